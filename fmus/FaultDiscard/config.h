/* FaultDiscard: a trivial model (x = time) that discards steps over discardTime larger than discardMaxStep. */
#ifndef FAULTDISCARD_CONFIG_H
#define FAULTDISCARD_CONFIG_H

#define MODEL_NAME "FaultDiscard"
#define MODEL_DESCRIPTION "Fault injection: x = time; doStep returns Discard (staying at t) when [t, t+h] contains discardTime and h > discardMaxStep"
#define INSTANTIATION_TOKEN "{cd825017-1ef5-4c7c-a6f0-31b947d5795d}"
#define MODEL_HAS_HOOK 1

enum { VR_TIME, VR_X, VR_DER_X, VR_DISCARD_TIME, VR_DISCARD_MAX_STEP, N_VARIABLES };

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
    [VR_DISCARD_TIME] = {"discardTime", T_FLOAT64, C_PARAMETER, V_FIXED, I_NONE, 0.5, "s",
                         .description = "Steps whose interval [t, t+h] contains this time may be discarded"},
    [VR_DISCARD_MAX_STEP] = {"discardMaxStep", T_FLOAT64, C_PARAMETER, V_FIXED, I_NONE, 0.0, "s", .min = "0",
                             .description = "Such steps are discarded when h > discardMaxStep (0: every such step)"},
};

#endif
