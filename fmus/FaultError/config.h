/* FaultError: a trivial model (x = time) whose doStep / ME SetTime fail with Error from errorTime on. */
#ifndef FAULTERROR_CONFIG_H
#define FAULTERROR_CONFIG_H

#define MODEL_NAME "FaultError"
#define MODEL_DESCRIPTION "Fault injection: x = time; doStep and SetTime return Error once time >= errorTime"
#define INSTANTIATION_TOKEN "{26ff71fc-e730-45a6-931d-5d2f453a356d}"
#define MODEL_HAS_HOOK 1

enum { VR_TIME, VR_X, VR_DER_X, VR_ERROR_TIME, N_VARIABLES };

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
    [VR_ERROR_TIME] = {"errorTime", T_FLOAT64, C_PARAMETER, V_FIXED, I_NONE, 0.5, "s",
                       .description = "doStep from a time >= errorTime (ME: SetTime to it) returns Error"},
};

#endif
