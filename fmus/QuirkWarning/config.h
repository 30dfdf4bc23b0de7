/* QuirkWarning: x = time, but every doStep returns Warning (an exporter quirk, see readme.md). */
#ifndef QUIRKWARNING_CONFIG_H
#define QUIRKWARNING_CONFIG_H

#define MODEL_NAME "QuirkWarning"
#define MODEL_DESCRIPTION "Exporter quirk: x = time; every doStep returns Warning and logs a warning"
#define INSTANTIATION_TOKEN "{7f0c2d1e-5b3a-4c8e-9d21-64a0b7e3f512}"
#define MODEL_HAS_HOOK 1

enum { VR_TIME, VR_X, VR_DER_X, N_VARIABLES };

#define N_STATES 1
#define N_EVENT_INDICATORS 0
#define SOLVER_STEP 0.01

#define DEFAULT_START_TIME 0.0
#define DEFAULT_STOP_TIME 1.0
#define DEFAULT_STEP_SIZE 0.1
#define DEFAULT_TOLERANCE 1e-6

#define MODEL_UNITS { {"s", "s=\"1\""} }

static const VariableInfo MODEL_VARIABLES[N_VARIABLES] MODEL_TABLE = {
    [VR_TIME] = {"time", T_FLOAT64, C_INDEPENDENT, V_CONTINUOUS, I_NONE, 0, "s", .description = "Simulation time"},
    [VR_X] = {"x", T_FLOAT64, C_OUTPUT, V_CONTINUOUS, I_CALCULATED, 0, "s", .dependencies = "1", .description = "Integral of 1 dt: equals time"},
    [VR_DER_X] = {"der(x)", T_FLOAT64, C_LOCAL, V_CONTINUOUS, I_CALCULATED, 0, NULL, .derivativeOf = VR_X},
};

#endif
