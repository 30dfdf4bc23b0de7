/* Robertson: the stiff chemical kinetics test problem (Robertson 1966). */
#ifndef ROBERTSON_CONFIG_H
#define ROBERTSON_CONFIG_H

#define MODEL_NAME "Robertson"
#define MODEL_DESCRIPTION "Robertson's stiff chemical kinetics: y1' = -k1 y1 + k3 y2 y3, y2' = k1 y1 - k3 y2 y3 - k2 y2^2, y3' = k2 y2^2"
#define INSTANTIATION_TOKEN "{e7a37187-6d58-4616-ae1b-a32fcb404567}"

enum {
    VR_TIME,                    /* 0 */
    VR_Y1, VR_Y2, VR_Y3,        /* 1..3 outputs, states */
    VR_DER_Y1, VR_DER_Y2, VR_DER_Y3, /* 4..6 */
    VR_K1, VR_K2, VR_K3,        /* 7..9 parameters */
    N_VARIABLES
};

#define N_STATES 3
#define N_EVENT_INDICATORS 0
/* Explicit RK4 inside doStep: |lambda|max of the Jacobian stays below ~3.5e3 1/s on [0, 40] s,
 * so h = 1e-4 s keeps |h*lambda| < 0.35, well inside RK4's stability region (2.78). */
#define SOLVER_STEP 1e-4

#define DEFAULT_START_TIME 0.0
#define DEFAULT_STOP_TIME 40.0
#define DEFAULT_STEP_SIZE 0.1
#define DEFAULT_TOLERANCE 1e-8

#define MODEL_UNITS {                 \
    {"s", "s=\"1\""},                 \
    {"1/s", "s=\"-1\""},              \
}

static const VariableInfo MODEL_VARIABLES[N_VARIABLES] MODEL_TABLE = {
    [VR_TIME] = {"time", T_FLOAT64, C_INDEPENDENT, V_CONTINUOUS, I_NONE, 0, "s", .description = "Simulation time"},
    [VR_Y1] = {"y1", T_FLOAT64, C_OUTPUT, V_CONTINUOUS, I_CALCULATED, 0, NULL, .dependencies = "1", .nominal = 1.0, .description = "Concentration of species 1, y1(0) = 1"},
    [VR_Y2] = {"y2", T_FLOAT64, C_OUTPUT, V_CONTINUOUS, I_CALCULATED, 0, NULL, .dependencies = "2", .nominal = 1e-5, .description = "Concentration of species 2, y2(0) = 0"},
    [VR_Y3] = {"y3", T_FLOAT64, C_OUTPUT, V_CONTINUOUS, I_CALCULATED, 0, NULL, .dependencies = "3", .nominal = 1.0, .description = "Concentration of species 3, y3(0) = 0"},
    [VR_DER_Y1] = {"der(y1)", T_FLOAT64, C_LOCAL, V_CONTINUOUS, I_CALCULATED, 0, "1/s", .derivativeOf = VR_Y1},
    [VR_DER_Y2] = {"der(y2)", T_FLOAT64, C_LOCAL, V_CONTINUOUS, I_CALCULATED, 0, "1/s", .derivativeOf = VR_Y2},
    [VR_DER_Y3] = {"der(y3)", T_FLOAT64, C_LOCAL, V_CONTINUOUS, I_CALCULATED, 0, "1/s", .derivativeOf = VR_Y3},
    [VR_K1] = {"k1", T_FLOAT64, C_PARAMETER, V_FIXED, I_NONE, 0.04, "1/s", .description = "Rate of y1 -> y2"},
    [VR_K2] = {"k2", T_FLOAT64, C_PARAMETER, V_FIXED, I_NONE, 3e7, "1/s", .description = "Rate of 2 y2 -> y2 + y3"},
    [VR_K3] = {"k3", T_FLOAT64, C_PARAMETER, V_FIXED, I_NONE, 1e4, "1/s", .description = "Rate of y2 + y3 -> y1 + y3"},
};

#endif
