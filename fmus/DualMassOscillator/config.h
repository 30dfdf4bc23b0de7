/* DualMassOscillator: stiff two-mass oscillator; m1 on a spring/damper to the wall, m2 coupled to m1 by a stiff spring (1e5 N/m)/damper. */
#ifndef DUALMASSOSCILLATOR_CONFIG_H
#define DUALMASSOSCILLATOR_CONFIG_H

#define MODEL_NAME "DualMassOscillator"
#define MODEL_DESCRIPTION "Stiff two-mass oscillator (monolithic, c2 = 1e5 N/m): wall -c1/d1- m1 -c2/d2- m2"
#define INSTANTIATION_TOKEN "{b2597ca2-41f1-4765-8134-0f82da4d851e}"

enum {
    VR_TIME, /* 0 */
    VR_X1,   /* 1 output, state */
    VR_V1,   /* 2 output, state */
    VR_X2,   /* 3 output, state */
    VR_V2,   /* 4 output, state */
    VR_DER_X1, VR_DER_V1, VR_DER_X2, VR_DER_V2, /* 5..8 */
    VR_F,    /* 9 local coupling force on m1 [N] */
    VR_M1, VR_M2, VR_C1, VR_D1, VR_C2, VR_D2,   /* 10..15 parameters */
    VR_X1_0, VR_V1_0, VR_X2_0, VR_V2_0,         /* 16..19 initial values */
    N_VARIABLES
};

#define N_STATES 4
#define N_EVENT_INDICATORS 0
#define SOLVER_STEP 1e-4

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

#define DER(vr, name, unit, of) [vr] = {name, T_FLOAT64, C_LOCAL, V_CONTINUOUS, I_CALCULATED, 0, unit, .derivativeOf = of}
#define P(vr, name, value, unit, text) [vr] = {name, T_FLOAT64, C_PARAMETER, V_FIXED, I_NONE, value, unit, .description = text}

static const VariableInfo MODEL_VARIABLES[N_VARIABLES] MODEL_TABLE = {
    [VR_TIME] = {"time", T_FLOAT64, C_INDEPENDENT, V_CONTINUOUS, I_NONE, 0, "s", .description = "Simulation time"},
    [VR_X1] = {"x1", T_FLOAT64, C_OUTPUT, V_CONTINUOUS, I_CALCULATED, 0, "m", .dependencies = "1", .description = "Position of mass 1"},
    [VR_V1] = {"v1", T_FLOAT64, C_OUTPUT, V_CONTINUOUS, I_CALCULATED, 0, "m/s", .dependencies = "2", .description = "Velocity of mass 1"},
    [VR_X2] = {"x2", T_FLOAT64, C_OUTPUT, V_CONTINUOUS, I_CALCULATED, 0, "m", .dependencies = "3", .description = "Position of mass 2"},
    [VR_V2] = {"v2", T_FLOAT64, C_OUTPUT, V_CONTINUOUS, I_CALCULATED, 0, "m/s", .dependencies = "4", .description = "Velocity of mass 2"},
    DER(VR_DER_X1, "der(x1)", "m/s", VR_X1),
    DER(VR_DER_V1, "der(v1)", "m/s2", VR_V1),
    DER(VR_DER_X2, "der(x2)", "m/s", VR_X2),
    DER(VR_DER_V2, "der(v2)", "m/s2", VR_V2),
    [VR_F] = {"F", T_FLOAT64, C_LOCAL, V_CONTINUOUS, I_CALCULATED, 0, "N", .description = "Coupling force on mass 1: c2*(x2-x1) + d2*(v2-v1)"},
    P(VR_M1, "m1", 1.0, "kg", "Mass 1"),
    P(VR_M2, "m2", 1.0, "kg", "Mass 2"),
    P(VR_C1, "c1", 10.0, "N/m", "Spring wall - mass 1"),
    P(VR_D1, "d1", 0.2, "N.s/m", "Damper wall - mass 1"),
    P(VR_C2, "c2", 1e5, "N/m", "Spring mass 1 - mass 2"),
    P(VR_D2, "d2", 10.0, "N.s/m", "Damper mass 1 - mass 2"),
    P(VR_X1_0, "x1_0", 0.0, "m", "Initial position of mass 1"),
    P(VR_V1_0, "v1_0", 0.0, "m/s", "Initial velocity of mass 1"),
    P(VR_X2_0, "x2_0", 0.01, "m", "Initial position of mass 2"),
    P(VR_V2_0, "v2_0", 0.0, "m/s", "Initial velocity of mass 2"),
};

#undef DER
#undef P
#endif
