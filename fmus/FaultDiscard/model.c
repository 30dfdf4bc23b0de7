/* FaultDiscard equations: dx/dt = 1, x(t0) = 0, plus the discarding hook. */
#include "model.h"

void model_initialize(ModelInstance* m) { F64(m, VR_X) = 0.0; }

void model_calculate(ModelInstance* m) { F64(m, VR_DER_X) = 1.0; }

void model_event_update(ModelInstance* m, EventUpdate* e) { (void)m, (void)e; }

Status model_hook(ModelInstance* m, Hook hook, double t, double h) {
    if (hook != HOOK_DO_STEP) return OK;
    const double td = F64(m, VR_DISCARD_TIME);
    const bool contains = t <= td + time_eps(td) && td <= t + h + time_eps(td);
    if (!contains || h <= F64(m, VR_DISCARD_MAX_STEP)) return OK;
    LOG(m, Discard, LOG_STATUS_DISCARD, "FaultDiscard: [%g, %g] contains discardTime=%g and h=%g > discardMaxStep=%g",
        t, t + h, td, h, F64(m, VR_DISCARD_MAX_STEP));
    return Discard;
}
