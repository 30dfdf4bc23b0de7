/* VanDerPol: the Van der Pol oscillator, the model importers are usually timed on (limit cycle, no events). */
#ifndef VANDERPOL_CONFIG_H
#define VANDERPOL_CONFIG_H

#define MODEL_NAME "VanDerPol"
#define MODEL_DESCRIPTION "Van der Pol oscillator: dx0/dt = x1, dx1/dt = mu*(1 - x0^2)*x1 - x0"
#define INSTANTIATION_TOKEN "{5e7c8f0e-3b1a-4c2d-9f6e-8a0b1c2d3e4f}"

enum {
    VR_TIME,                 /* 0 */
    VR_X0, VR_X1,            /* 1..2 outputs, states */
    VR_DER_X0, VR_DER_X1,    /* 3..4 */
    VR_MU,                   /* 5 parameter */
    N_VARIABLES
};

#define N_STATES 2
#define N_EVENT_INDICATORS 0
/* Explicit RK4 inside doStep; mu = 1 is not stiff. */
#define SOLVER_STEP 1e-3

#define DEFAULT_START_TIME 0.0
#define DEFAULT_STOP_TIME 20.0
#define DEFAULT_STEP_SIZE 0.01
#define DEFAULT_TOLERANCE 1e-6

#define MODEL_UNITS {                 \
    {"s", "s=\"1\""},                 \
}

static const VariableInfo MODEL_VARIABLES[N_VARIABLES] MODEL_TABLE = {
    [VR_TIME] = {"time", T_FLOAT64, C_INDEPENDENT, V_CONTINUOUS, I_NONE, 0, "s", .description = "Simulation time"},
    [VR_X0] = {"x0", T_FLOAT64, C_OUTPUT, V_CONTINUOUS, I_CALCULATED, 0, NULL, .dependencies = "1", .description = "Position, x0(0) = 2"},
    [VR_X1] = {"x1", T_FLOAT64, C_OUTPUT, V_CONTINUOUS, I_CALCULATED, 0, NULL, .dependencies = "2", .description = "Velocity, x1(0) = 0"},
    [VR_DER_X0] = {"der(x0)", T_FLOAT64, C_LOCAL, V_CONTINUOUS, I_CALCULATED, 0, NULL, .derivativeOf = VR_X0},
    [VR_DER_X1] = {"der(x1)", T_FLOAT64, C_LOCAL, V_CONTINUOUS, I_CALCULATED, 0, NULL, .derivativeOf = VR_X1},
    [VR_MU] = {"mu", T_FLOAT64, C_PARAMETER, V_FIXED, I_NONE, 1.0, NULL, .description = "Damping parameter"},
};

#endif
