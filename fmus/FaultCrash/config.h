/* FaultCrash: a trivial model (x = time) that dereferences NULL (SIGSEGV) at the crashStep-th doStep. */
#ifndef FAULTCRASH_CONFIG_H
#define FAULTCRASH_CONFIG_H

#define MODEL_NAME "FaultCrash"
#define MODEL_DESCRIPTION "Fault injection: x = time; the crashStep-th doStep (ME: CompletedIntegratorStep) writes through a NULL pointer"
#define INSTANTIATION_TOKEN "{cebda2b7-6d16-4eea-8c8d-b29393eb8468}"
#define MODEL_HAS_HOOK 1
#define MODEL_NEEDS_COMPLETED_INTEGRATOR_STEP 1

enum { VR_TIME, VR_X, VR_DER_X, VR_CRASH_STEP, VR_STEPS, VR_CRASH_ONCE_KEY, N_VARIABLES };

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
    [VR_CRASH_STEP] = {"crashStep", T_INT32, C_PARAMETER, V_FIXED, I_NONE, 10, NULL, .min = "1",
                       .description = "The crashStep-th call of doStep (ME: CompletedIntegratorStep) crashes the process"},
    [VR_STEPS] = {"steps", T_INT32, C_LOCAL, V_DISCRETE, I_CALCULATED, 0, NULL, .description = "doStep / CompletedIntegratorStep calls so far"},
    [VR_CRASH_ONCE_KEY] = {"crashOnceKey", T_INT32, C_PARAMETER, V_FIXED, I_NONE, 0, NULL, .min = "0",
                           .description = "0: crash every time; else crash only if the marker file $TMPDIR/cosim-faultcrash-<key>.once does not exist yet (it is created first)"},
};

#endif
