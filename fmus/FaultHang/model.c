/* FaultHang equations: dx/dt = 1, x(t0) = 0, plus the hanging hook. */
#include <time.h>

#include "model.h"

void model_initialize(ModelInstance* m) { F64(m, VR_X) = 0.0; }

void model_calculate(ModelInstance* m) { F64(m, VR_DER_X) = 1.0; }

void model_event_update(ModelInstance* m, EventUpdate* e) { (void)m, (void)e; }

Status model_hook(ModelInstance* m, Hook hook, double t, double h) {
    (void)h;
    if (hook == HOOK_SET_TIME || t < F64(m, VR_HANG_TIME)) return OK;
    LOG(m, Warning, LOG_STATUS_WARNING, "FaultHang: sleeping forever at t=%g", t);
    /* A hang as a deadlocked or endlessly iterating FMU shows it: the call never returns and does
     * not burn CPU (nanosleep in a loop, so that a signal interrupting the sleep does not end it). */
    for (;;) {
        struct timespec second = {1, 0};
        nanosleep(&second, NULL);
    }
    return OK; /* not reached */
}
