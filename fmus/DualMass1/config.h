/* DualMass1: mass 1 of the stiff DualMassOscillator, driven by the coupling force F computed by DualMass2. */
#ifndef DUALMASS1_CONFIG_H
#define DUALMASS1_CONFIG_H

#define MODEL_NAME "DualMass1"
#define MODEL_DESCRIPTION "Mass 1 of the split stiff DualMassOscillator: input coupling force F, outputs x1, v1 (no direct feedthrough)"
#define INSTANTIATION_TOKEN "{fde5ab7f-7861-4bc4-b6ca-48a0f7c31c3e}"

enum {
    VR_TIME,  /* 0 */
    VR_F,     /* 1 input coupling force [N] */
    VR_X1,    /* 2 output, state */
    VR_V1,    /* 3 output, state */
    VR_DER_X1, VR_DER_V1,      /* 4, 5 */
    VR_M1, VR_C1, VR_D1,       /* 6..8 */
    VR_X1_0, VR_V1_0,          /* 9, 10 */
    N_VARIABLES
};

#define N_STATES 2
#define N_EVENT_INDICATORS 0
#define SOLVER_STEP 1e-4
#define MODEL_HAS_PARTIALS 1 /* directional derivatives: model_partial() */

#define DEFAULT_START_TIME 0.0
#define DEFAULT_STOP_TIME 2.0
#define DEFAULT_STEP_SIZE 0.01
#define DEFAULT_TOLERANCE 1e-8

#define MODEL_UNITS {                      \
    {"s", "s=\"1\""},                      \
    {"m", "m=\"1\""},                      \
    {"m/s", "m=\"1\" s=\"-1\""},           \
    {"m/s2", "m=\"1\" s=\"-2\""},          \
    {"N", "kg=\"1\" m=\"1\" s=\"-2\""},    \
    {"kg", "kg=\"1\""},                    \
    {"N/m", "kg=\"1\" s=\"-2\""},          \
    {"N.s/m", "kg=\"1\" s=\"-1\""},        \
}

#define P(vr, name, value, unit, text) [vr] = {name, T_FLOAT64, C_PARAMETER, V_FIXED, I_NONE, value, unit, .description = text}

static const VariableInfo MODEL_VARIABLES[N_VARIABLES] MODEL_TABLE = {
    [VR_TIME] = {"time", T_FLOAT64, C_INDEPENDENT, V_CONTINUOUS, I_NONE, 0, "s", .description = "Simulation time"},
    [VR_F] = {"F", T_FLOAT64, C_INPUT, V_CONTINUOUS, I_NONE, 0.0, "N", .description = "Coupling force on mass 1 (from DualMass2.F)"},
    /* outputs are states: they do not depend on F (no direct feedthrough) */
    [VR_X1] = {"x1", T_FLOAT64, C_OUTPUT, V_CONTINUOUS, I_CALCULATED, 0, "m", .dependencies = "2", .description = "Position of mass 1"},
    [VR_V1] = {"v1", T_FLOAT64, C_OUTPUT, V_CONTINUOUS, I_CALCULATED, 0, "m/s", .dependencies = "3", .description = "Velocity of mass 1"},
    [VR_DER_X1] = {"der(x1)", T_FLOAT64, C_LOCAL, V_CONTINUOUS, I_CALCULATED, 0, "m/s", .derivativeOf = VR_X1, .dependencies = "3"},
    [VR_DER_V1] = {"der(v1)", T_FLOAT64, C_LOCAL, V_CONTINUOUS, I_CALCULATED, 0, "m/s2", .derivativeOf = VR_V1, .dependencies = "1 2 3"},
    P(VR_M1, "m1", 1.0, "kg", "Mass 1"),
    P(VR_C1, "c1", 10.0, "N/m", "Spring wall - mass 1"),
    P(VR_D1, "d1", 0.2, "N.s/m", "Damper wall - mass 1"),
    P(VR_X1_0, "x1_0", 0.0, "m", "Initial position of mass 1"),
    P(VR_V1_0, "v1_0", 0.0, "m/s", "Initial velocity of mass 1"),
};

#undef P
#endif
