/* PIController: discrete PI controller sampled every Ts, output held between samples. */
#ifndef PICONTROLLER_CONFIG_H
#define PICONTROLLER_CONFIG_H

#define MODEL_NAME "PIController"
#define MODEL_DESCRIPTION "Discrete PI controller, sample period Ts, output limits with conditional-integration anti-windup"
#define INSTANTIATION_TOKEN "{47d04341-3104-4e37-b828-3fa27a280d37}"

enum {
    VR_TIME,        /* 0 */
    VR_SETPOINT,    /* 1 input */
    VR_MEASUREMENT, /* 2 input */
    VR_U,           /* 3 output, held between samples */
    VR_INTEGRAL,    /* 4 local discrete: I, integral of the error up to the last sample */
    VR_ERROR,       /* 5 local discrete: error at the last sample */
    VR_TS,          /* 6 parameter sample period [s] */
    VR_KP,          /* 7 parameter */
    VR_KI,          /* 8 parameter [1/s] */
    VR_U_MIN,       /* 9 parameter */
    VR_U_MAX,       /* 10 parameter */
    VR_SAMPLES,     /* 11 local Int32: samples taken so far */
    VR_SATURATED,   /* 12 local Boolean: u is at a limit */
    N_VARIABLES
};

#define N_STATES 0
#define N_EVENT_INDICATORS 0
#define SOLVER_STEP 0.1 /* nothing to integrate; doStep only walks from sample to sample */

#define DEFAULT_START_TIME 0.0
#define DEFAULT_STOP_TIME 2.0
#define DEFAULT_STEP_SIZE 0.1
#define DEFAULT_TOLERANCE 1e-6

#define MODEL_UNITS {               \
    {"s", "s=\"1\""},               \
    {"1/s", "s=\"-1\""},            \
}

static const VariableInfo MODEL_VARIABLES[N_VARIABLES] MODEL_TABLE = {
    [VR_TIME] = {"time", T_FLOAT64, C_INDEPENDENT, V_CONTINUOUS, I_NONE, 0, "s", .description = "Simulation time"},
    [VR_SETPOINT] = {"setpoint", T_FLOAT64, C_INPUT, V_CONTINUOUS, I_NONE, 1.0, NULL, .description = "Reference r"},
    [VR_MEASUREMENT] = {"measurement", T_FLOAT64, C_INPUT, V_CONTINUOUS, I_NONE, 0.4, NULL, .description = "Measured value y"},
    /* u changes only at samples: setting an input never changes u directly (no direct feedthrough) */
    [VR_U] = {"u", T_FLOAT64, C_OUTPUT, V_DISCRETE, I_CALCULATED, 0, NULL, .dependencies = "",
              .description = "Controller output, held between samples"},
    [VR_INTEGRAL] = {"integral", T_FLOAT64, C_LOCAL, V_DISCRETE, I_CALCULATED, 0, "s", .description = "Sum of Ts*error over the samples so far"},
    [VR_ERROR] = {"error", T_FLOAT64, C_LOCAL, V_DISCRETE, I_CALCULATED, 0, NULL, .description = "setpoint - measurement at the last sample"},
    [VR_TS] = {"Ts", T_FLOAT64, C_PARAMETER, V_FIXED, I_NONE, 0.1, "s", .min = "1e-09", .description = "Sample period"},
    [VR_KP] = {"kp", T_FLOAT64, C_PARAMETER, V_FIXED, I_NONE, 1.0, NULL, .description = "Proportional gain"},
    [VR_KI] = {"ki", T_FLOAT64, C_PARAMETER, V_FIXED, I_NONE, 0.5, "1/s", .description = "Integral gain"},
    [VR_U_MIN] = {"uMin", T_FLOAT64, C_PARAMETER, V_FIXED, I_NONE, -1.0, NULL, .description = "Lower output limit"},
    [VR_U_MAX] = {"uMax", T_FLOAT64, C_PARAMETER, V_FIXED, I_NONE, 1.0, NULL, .description = "Upper output limit"},
    [VR_SAMPLES] = {"samples", T_INT32, C_LOCAL, V_DISCRETE, I_CALCULATED, 0, NULL, .description = "Samples taken so far"},
    [VR_SATURATED] = {"saturated", T_BOOLEAN, C_LOCAL, V_DISCRETE, I_CALCULATED, 0, NULL, .description = "u is at uMin or uMax"},
};

#endif
