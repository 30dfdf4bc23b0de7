/* QuirkStopTimeJump equations: dy/dt = 1, y(t0) = t0, so y = time. The hook reproduces OpenModelica 1.13
 * co-simulation FMUs: told a stop time (stopTimeDefined = true), the first doStep integrates to it, and
 * every later communication point shows the values at the stop time. Model exchange is unaffected. */
#include "model.h"

void model_initialize(ModelInstance* m) {
    F64(m, VR_Y) = TIME(m);
    BOOL(m, VR_AT_STOP) = false;
}

void model_calculate(ModelInstance* m) { F64(m, VR_DER_Y) = BOOL(m, VR_AT_STOP) ? 0.0 : 1.0; }

void model_event_update(ModelInstance* m, EventUpdate* e) { (void)m, (void)e; }

Status model_hook(ModelInstance* m, Hook hook, double t, double h) {
    if (hook != HOOK_DO_STEP || !m->stopTimeDefined || BOOL(m, VR_AT_STOP)) return OK;
    /* The solver runs on to the stop time; the glue then integrates dy/dt = 0 over the step the importer asked for. */
    F64(m, VR_Y) = m->stopTime;
    BOOL(m, VR_AT_STOP) = true;
    m->s.dirty = true;
    LOG(m, OK, LOG_EVENTS, "QuirkStopTimeJump: doStep from t=%g with h=%g integrated to the stop time %g", t, h, m->stopTime);
    return OK;
}
