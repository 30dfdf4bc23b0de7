/* QuirkDirectionalOverrun: x' = -a x, whose GetDirectionalDerivative writes past the end of its array (see readme.md). */
#ifndef QUIRKDIRECTIONALOVERRUN_CONFIG_H
#define QUIRKDIRECTIONALOVERRUN_CONFIG_H

#define MODEL_NAME "QuirkDirectionalOverrun"
#define MODEL_DESCRIPTION "Exporter quirk: x' = -a x; fmi*GetDirectionalDerivative writes one value past the end of the heap array it fills"
#define INSTANTIATION_TOKEN "{8f1d2a64-5b3e-4c07-9a6d-e2f0b7c41d95}"
#define MODEL_HAS_PARTIALS 1        /* offers directional derivatives (right values) ... */
#define MODEL_DIRECTIONAL_OVERRUN 1 /* ... but corrupts the C heap while computing them */

enum {
    VR_TIME,  /* 0 */
    VR_X,     /* 1 output, state */
    VR_DER_X, /* 2 */
    VR_A,     /* 3 parameter */
    VR_X0,    /* 4 parameter */
    N_VARIABLES
};

#define N_STATES 1
#define N_EVENT_INDICATORS 0
#define SOLVER_STEP 1e-3

#define DEFAULT_START_TIME 0.0
#define DEFAULT_STOP_TIME 1.0
#define DEFAULT_STEP_SIZE 0.1
#define DEFAULT_TOLERANCE 1e-8

#define MODEL_UNITS { {"s", "s=\"1\""}, {"1/s", "s=\"-1\""} }

static const VariableInfo MODEL_VARIABLES[N_VARIABLES] MODEL_TABLE = {
    [VR_TIME] = {"time", T_FLOAT64, C_INDEPENDENT, V_CONTINUOUS, I_NONE, 0, "s", .description = "Simulation time"},
    [VR_X] = {"x", T_FLOAT64, C_OUTPUT, V_CONTINUOUS, I_CALCULATED, 0, NULL, .dependencies = "1", .description = "x = x0 exp(-a t)"},
    [VR_DER_X] = {"der(x)", T_FLOAT64, C_LOCAL, V_CONTINUOUS, I_CALCULATED, 0, "1/s", .derivativeOf = VR_X, .dependencies = "1"},
    [VR_A] = {"a", T_FLOAT64, C_PARAMETER, V_FIXED, I_NONE, 2.0, "1/s", .description = "Decay rate"},
    [VR_X0] = {"x0", T_FLOAT64, C_PARAMETER, V_FIXED, I_NONE, 1.0, NULL, .description = "Initial value"},
};

#endif
