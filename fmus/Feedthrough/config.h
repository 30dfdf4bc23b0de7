/* Feedthrough: y = k*u + b (direct feedthrough), a ramp source without feedthrough, and what
 * SetupExperiment / EnterInitializationMode received as tolerance (so tests can see it). */
#ifndef FEEDTHROUGH_CONFIG_H
#define FEEDTHROUGH_CONFIG_H

#define MODEL_NAME "Feedthrough"
#define MODEL_DESCRIPTION "y = k*u + b (direct feedthrough); ramp = rampStart + slope*time (no feedthrough); reports the tolerance it was given"
#define INSTANTIATION_TOKEN "{5d0f8a3e-2c41-4b7e-9a6d-0e93c1f2b7a4}"

enum {
    VR_TIME,               /* 0 */
    VR_U,                  /* 1 input */
    VR_Y,                  /* 2 output k*u + b, depends on u */
    VR_RAMP,               /* 3 output rampStart + slope*time, depends on no input */
    VR_TOLERANCE_DEFINED,  /* 4 output: toleranceDefined as received at initialization */
    VR_TOLERANCE_GIVEN,    /* 5 output: the tolerance received, 0 when none */
    VR_K,                  /* 6 parameters */
    VR_B,
    VR_RAMP_START,
    VR_SLOPE,
    N_VARIABLES
};

#define N_STATES 0
#define N_EVENT_INDICATORS 0
#define SOLVER_STEP 0.1 /* nothing to integrate */

#define DEFAULT_START_TIME 0.0
#define DEFAULT_STOP_TIME 1.0
#define DEFAULT_STEP_SIZE 0.1
#define DEFAULT_TOLERANCE 1e-6 /* deliberately present: importers must not pass it to CS unasked */

#define MODEL_UNITS { {"s", "s=\"1\""} }

#define P(vr, name, value, text) [vr] = {name, T_FLOAT64, C_PARAMETER, V_FIXED, I_NONE, value, NULL, .description = text}

static const VariableInfo MODEL_VARIABLES[N_VARIABLES] MODEL_TABLE = {
    [VR_TIME] = {"time", T_FLOAT64, C_INDEPENDENT, V_CONTINUOUS, I_NONE, 0, "s", .description = "Simulation time"},
    [VR_U] = {"u", T_FLOAT64, C_INPUT, V_CONTINUOUS, I_NONE, 0.0, NULL, .description = "Input"},
    [VR_Y] = {"y", T_FLOAT64, C_OUTPUT, V_CONTINUOUS, I_CALCULATED, 0, NULL, .dependencies = "1", .description = "k*u + b: direct feedthrough from u"},
    [VR_RAMP] = {"ramp", T_FLOAT64, C_OUTPUT, V_CONTINUOUS, I_CALCULATED, 0, NULL, .dependencies = "",
                 .description = "rampStart + slope*time: a source, no feedthrough"},
    [VR_TOLERANCE_DEFINED] = {"toleranceDefined", T_BOOLEAN, C_OUTPUT, V_DISCRETE, I_CALCULATED, 0, NULL, .dependencies = "",
                              .description = "Whether SetupExperiment (FMI 2) / EnterInitializationMode (FMI 3) received a tolerance"},
    [VR_TOLERANCE_GIVEN] = {"toleranceGiven", T_FLOAT64, C_OUTPUT, V_DISCRETE, I_CALCULATED, 0, NULL, .dependencies = "",
                            .description = "The tolerance received (0 when toleranceDefined is false)"},
    P(VR_K, "k", 1.0, "Gain"),
    P(VR_B, "b", 0.0, "Offset"),
    P(VR_RAMP_START, "rampStart", 0.0, "Value of ramp at time 0"),
    P(VR_SLOPE, "slope", 1.0, "Slope of ramp [1/s]"),
};

#undef P
#endif
