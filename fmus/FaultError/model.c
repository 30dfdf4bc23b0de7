/* FaultError equations: dx/dt = 1, x(t0) = 0, plus the failure hook. */
#include "model.h"

void model_initialize(ModelInstance* m) { F64(m, VR_X) = 0.0; }

void model_calculate(ModelInstance* m) { F64(m, VR_DER_X) = 1.0; }

void model_event_update(ModelInstance* m, EventUpdate* e) { (void)m, (void)e; }

Status model_hook(ModelInstance* m, Hook hook, double t, double h) {
    (void)h;
    if (hook == HOOK_COMPLETED_INTEGRATOR_STEP || t < F64(m, VR_ERROR_TIME) - time_eps(t)) return OK;
    LOG(m, Error, LOG_STATUS_ERROR, "FaultError: simulated failure in %s at t=%g (errorTime=%g)",
        hook == HOOK_DO_STEP ? "doStep" : "SetTime", t, F64(m, VR_ERROR_TIME));
    return Error;
}
