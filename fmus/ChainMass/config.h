/* ChainMass: one mass of a chain of masses joined by springs and dampers, for strongly coupled groups of many states. */
#ifndef CHAINMASS_CONFIG_H
#define CHAINMASS_CONFIG_H

#define MODEL_NAME "ChainMass"
#define MODEL_DESCRIPTION "One mass of a chain: spring c and damper d to each neighbour (inputs xl, vl, xr, vr), outputs x, v (no direct feedthrough)"
#define INSTANTIATION_TOKEN "{5b0c3f5e-3a47-4d0e-9f51-2c6f1e8d7a90}"

enum {
    VR_TIME,                 /* 0 */
    VR_XL, VR_VL,            /* 1, 2 inputs: position and velocity of the left neighbour (0: a wall) */
    VR_XR, VR_VR,            /* 3, 4 inputs: position and velocity of the right neighbour (0: a wall) */
    VR_X, VR_V,              /* 5, 6 outputs, states */
    VR_DER_X, VR_DER_V,      /* 7, 8 */
    VR_M, VR_C, VR_D,        /* 9..11 */
    VR_X0, VR_V0,            /* 12, 13 */
    N_VARIABLES
};

#define N_STATES 2
#define N_EVENT_INDICATORS 0
#define SOLVER_STEP 1e-5
#define MODEL_HAS_PARTIALS 1 /* directional derivatives: model_partial() */

#define DEFAULT_START_TIME 0.0
#define DEFAULT_STOP_TIME 0.5
#define DEFAULT_STEP_SIZE 0.001
#define DEFAULT_TOLERANCE 1e-8

#define MODEL_UNITS {                      \
    {"s", "s=\"1\""},                      \
    {"m", "m=\"1\""},                      \
    {"m/s", "m=\"1\" s=\"-1\""},           \
    {"m/s2", "m=\"1\" s=\"-2\""},          \
    {"kg", "kg=\"1\""},                    \
    {"N/m", "kg=\"1\" s=\"-2\""},          \
    {"N.s/m", "kg=\"1\" s=\"-1\""},        \
}

#define P(vr, name, value, unit, text) [vr] = {name, T_FLOAT64, C_PARAMETER, V_FIXED, I_NONE, value, unit, .description = text}
#define IN(vr, name, unit, text) [vr] = {name, T_FLOAT64, C_INPUT, V_CONTINUOUS, I_NONE, 0.0, unit, .description = text}

static const VariableInfo MODEL_VARIABLES[N_VARIABLES] MODEL_TABLE = {
    [VR_TIME] = {"time", T_FLOAT64, C_INDEPENDENT, V_CONTINUOUS, I_NONE, 0, "s", .description = "Simulation time"},
    IN(VR_XL, "xl", "m", "Position of the left neighbour (its x; 0 for a wall)"),
    IN(VR_VL, "vl", "m/s", "Velocity of the left neighbour (its v; 0 for a wall)"),
    IN(VR_XR, "xr", "m", "Position of the right neighbour (its x; 0 for a wall)"),
    IN(VR_VR, "vr", "m/s", "Velocity of the right neighbour (its v; 0 for a wall)"),
    [VR_X] = {"x", T_FLOAT64, C_OUTPUT, V_CONTINUOUS, I_CALCULATED, 0, "m", .dependencies = "5", .description = "Displacement of the mass"},
    [VR_V] = {"v", T_FLOAT64, C_OUTPUT, V_CONTINUOUS, I_CALCULATED, 0, "m/s", .dependencies = "6", .description = "Velocity of the mass"},
    [VR_DER_X] = {"der(x)", T_FLOAT64, C_LOCAL, V_CONTINUOUS, I_CALCULATED, 0, "m/s", .derivativeOf = VR_X, .dependencies = "6"},
    [VR_DER_V] = {"der(v)", T_FLOAT64, C_LOCAL, V_CONTINUOUS, I_CALCULATED, 0, "m/s2", .derivativeOf = VR_V, .dependencies = "1 2 3 4 5 6"},
    P(VR_M, "m", 1.0, "kg", "Mass"),
    P(VR_C, "c", 1e5, "N/m", "Stiffness of the spring to each neighbour"),
    P(VR_D, "d", 10.0, "N.s/m", "Damping of the damper to each neighbour"),
    P(VR_X0, "x0", 0.0, "m", "Initial displacement"),
    P(VR_V0, "v0", 0.0, "m/s", "Initial velocity"),
};

#undef P
#undef IN
#endif
