/* LevelMonitor: sampled level alarm (low/high limit or a failed sensor) with a debounce delay, latched. */
#ifndef LEVELMONITOR_CONFIG_H
#define LEVELMONITOR_CONFIG_H

#define MODEL_NAME "LevelMonitor"
#define MODEL_DESCRIPTION "Level alarm: raised when the measured level stays outside [low, high] for delay seconds; latched"
#define INSTANTIATION_TOKEN "{6c0b3f7e-2a51-4d8e-9f57-0d1f0c8a4b21}"

enum {
    VR_TIME,        /* 0 */
    VR_LEVEL,       /* 1 input: the measured level [m] */
    VR_ALARM,       /* 2 output Boolean, latched */
    VR_ALARM_TIME,  /* 3 output: when the alarm was raised [s], -1 while it is not */
    VR_BAD_SINCE,   /* 4 local: start of the current out-of-limits stretch [s], -1 when within limits */
    VR_TS,          /* 5 parameter sample period [s] */
    VR_LOW,         /* 6 parameter [m] */
    VR_HIGH,        /* 7 parameter [m] */
    VR_DELAY,       /* 8 parameter debounce [s] */
    VR_SAMPLES,     /* 9 local Int32: samples taken so far */
    N_VARIABLES
};

#define N_STATES 0
#define N_EVENT_INDICATORS 0
#define SOLVER_STEP 0.1 /* nothing to integrate; doStep only walks from sample to sample */

#define DEFAULT_START_TIME 0.0
#define DEFAULT_STOP_TIME 10.0
#define DEFAULT_STEP_SIZE 0.1
#define DEFAULT_TOLERANCE 1e-6

#define MODEL_UNITS {               \
    {"s", "s=\"1\""},               \
    {"m", "m=\"1\""},               \
}

static const VariableInfo MODEL_VARIABLES[N_VARIABLES] MODEL_TABLE = {
    [VR_TIME] = {"time", T_FLOAT64, C_INDEPENDENT, V_CONTINUOUS, I_NONE, 0, "s", .description = "Simulation time"},
    [VR_LEVEL] = {"level", T_FLOAT64, C_INPUT, V_CONTINUOUS, I_NONE, 1.0, "m", .description = "Measured level"},
    /* alarm changes only at samples: no direct feedthrough from level */
    [VR_ALARM] = {"alarm", T_BOOLEAN, C_OUTPUT, V_DISCRETE, I_CALCULATED, 0, NULL, .dependencies = "",
                  .description = "Level alarm (latched until the FMU is reset)"},
    [VR_ALARM_TIME] = {"alarmTime", T_FLOAT64, C_OUTPUT, V_DISCRETE, I_CALCULATED, -1, "s", .dependencies = "",
                       .description = "Time the alarm was raised, -1 while it is not"},
    [VR_BAD_SINCE] = {"badSince", T_FLOAT64, C_LOCAL, V_DISCRETE, I_CALCULATED, -1, "s",
                      .description = "Start of the current stretch outside the limits, -1 within them"},
    [VR_TS] = {"Ts", T_FLOAT64, C_PARAMETER, V_FIXED, I_NONE, 0.1, "s", .min = "1e-09", .description = "Sample period"},
    [VR_LOW] = {"low", T_FLOAT64, C_PARAMETER, V_FIXED, I_NONE, 0.2, "m", .description = "Lowest plausible level"},
    [VR_HIGH] = {"high", T_FLOAT64, C_PARAMETER, V_FIXED, I_NONE, 1.6, "m", .description = "Highest allowed level"},
    [VR_DELAY] = {"delay", T_FLOAT64, C_PARAMETER, V_FIXED, I_NONE, 2.0, "s", .min = "0",
                  .description = "How long the level must stay outside the limits before the alarm"},
    [VR_SAMPLES] = {"samples", T_INT32, C_LOCAL, V_DISCRETE, I_CALCULATED, 0, NULL, .description = "Samples taken so far"},
};

#endif
