/* QuirkWarning equations: dx/dt = 1, x(t0) = 0; the hook makes every doStep a Warning. */
#include "model.h"

void model_initialize(ModelInstance* m) { F64(m, VR_X) = 0.0; }

void model_calculate(ModelInstance* m) { F64(m, VR_DER_X) = 1.0; }

void model_event_update(ModelInstance* m, EventUpdate* e) { (void)m, (void)e; }

Status model_hook(ModelInstance* m, Hook hook, double t, double h) {
    if (hook != HOOK_DO_STEP) return OK;
    /* The step itself is computed normally: the glue carries on after a Warning from the hook. */
    LOG(m, Warning, LOG_STATUS_WARNING, "QuirkWarning: step from t=%g with h=%g done with reduced accuracy", t, h);
    return Warning;
}
