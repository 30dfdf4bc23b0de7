/* QuirkStopTimeJump: y = time, but a co-simulation instance told a stop time jumps there in its first doStep (see readme.md). */
#ifndef QUIRKSTOPTIMEJUMP_CONFIG_H
#define QUIRKSTOPTIMEJUMP_CONFIG_H

#define MODEL_NAME "QuirkStopTimeJump"
#define MODEL_DESCRIPTION "Exporter quirk: y = time; told stopTimeDefined = true, the first doStep integrates to the stop time"
#define INSTANTIATION_TOKEN "{3c5e9a17-0d42-4f6b-a8e1-7b29c4d60f83}"
#define MODEL_HAS_HOOK 1

enum {
    VR_TIME,    /* 0 */
    VR_Y,       /* 1 output y = time [s], state */
    VR_DER_Y,   /* 2 */
    VR_AT_STOP, /* 3 local Boolean: the instance has jumped to the stop time (co-simulation only) */
    N_VARIABLES
};

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
    [VR_Y] = {"y", T_FLOAT64, C_OUTPUT, V_CONTINUOUS, I_CALCULATED, 0, "s", .dependencies = "1",
              .description = "A clock: y = time (Modelica.Blocks.Sources.Clock)"},
    [VR_DER_Y] = {"der(y)", T_FLOAT64, C_LOCAL, V_CONTINUOUS, I_CALCULATED, 0, NULL, .derivativeOf = VR_Y},
    [VR_AT_STOP] = {"atStop", T_BOOLEAN, C_LOCAL, V_DISCRETE, I_CALCULATED, 0, NULL,
                    .description = "Co-simulation: the instance has integrated to the stop time it was told"},
};

#endif
