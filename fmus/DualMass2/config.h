/* DualMass2: mass 2 of the stiff DualMassOscillator plus the stiff coupling spring/damper; outputs the coupling force. */
#ifndef DUALMASS2_CONFIG_H
#define DUALMASS2_CONFIG_H

#define MODEL_NAME "DualMass2"
#define MODEL_DESCRIPTION "Mass 2 and the stiff coupling spring/damper of the split DualMassOscillator: inputs x1, v1; outputs F (direct feedthrough), x2, v2"
#define INSTANTIATION_TOKEN "{1441af03-3d28-402d-aaf9-5ac59853d686}"

enum {
    VR_TIME, /* 0 */
    VR_X1,   /* 1 input position of mass 1 */
    VR_V1,   /* 2 input velocity of mass 1 */
    VR_F,    /* 3 output coupling force on mass 1 */
    VR_X2,   /* 4 output, state */
    VR_V2,   /* 5 output, state */
    VR_DER_X2, VR_DER_V2,      /* 6, 7 */
    VR_M2, VR_C2, VR_D2,       /* 8..10 */
    VR_X2_0, VR_V2_0,          /* 11, 12 */
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
    [VR_X1] = {"x1", T_FLOAT64, C_INPUT, V_CONTINUOUS, I_NONE, 0.0, "m", .description = "Position of mass 1 (from DualMass1.x1)"},
    [VR_V1] = {"v1", T_FLOAT64, C_INPUT, V_CONTINUOUS, I_NONE, 0.0, "m/s", .description = "Velocity of mass 1 (from DualMass1.v1)"},
    /* F depends on the inputs x1, v1 directly (direct feedthrough) and on the states x2, v2 */
    [VR_F] = {"F", T_FLOAT64, C_OUTPUT, V_CONTINUOUS, I_CALCULATED, 0, "N", .dependencies = "1 2 4 5",
              .description = "Coupling force on mass 1: c2*(x2-x1) + d2*(v2-v1)"},
    [VR_X2] = {"x2", T_FLOAT64, C_OUTPUT, V_CONTINUOUS, I_CALCULATED, 0, "m", .dependencies = "4", .description = "Position of mass 2"},
    [VR_V2] = {"v2", T_FLOAT64, C_OUTPUT, V_CONTINUOUS, I_CALCULATED, 0, "m/s", .dependencies = "5", .description = "Velocity of mass 2"},
    [VR_DER_X2] = {"der(x2)", T_FLOAT64, C_LOCAL, V_CONTINUOUS, I_CALCULATED, 0, "m/s", .derivativeOf = VR_X2, .dependencies = "5"},
    [VR_DER_V2] = {"der(v2)", T_FLOAT64, C_LOCAL, V_CONTINUOUS, I_CALCULATED, 0, "m/s2", .derivativeOf = VR_V2, .dependencies = "1 2 4 5"},
    P(VR_M2, "m2", 1.0, "kg", "Mass 2"),
    P(VR_C2, "c2", 1e5, "N/m", "Spring mass 1 - mass 2"),
    P(VR_D2, "d2", 10.0, "N.s/m", "Damper mass 1 - mass 2"),
    P(VR_X2_0, "x2_0", 0.01, "m", "Initial position of mass 2"),
    P(VR_V2_0, "v2_0", 0.0, "m/s", "Initial velocity of mass 2"),
};

#undef P
#endif
