/* Malformed: a valid binary (x = time) shipped with a modelDescription.xml cut off mid-element. */
#ifndef MALFORMED_CONFIG_H
#define MALFORMED_CONFIG_H

#define MODEL_NAME "Malformed"
#define MODEL_DESCRIPTION "x = time; the modelDescription.xml is deliberately truncated inside <ModelVariables>"
#define INSTANTIATION_TOKEN "{64c00718-2948-45da-829d-8389ca460b34}"
#define MODEL_MALFORMED_XML 1

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
