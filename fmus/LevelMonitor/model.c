/* LevelMonitor equations: a sampled limit check with debounce and a latched alarm. */
#include "model.h"

/* Sample at t: a level outside [low, high] (e.g. a failed sensor reading 0) starts or continues a bad
 * stretch; once the stretch has lasted delay seconds the alarm is raised and stays raised. */
static void take_sample(ModelInstance* m) {
    const double t = TIME(m), level = F64(m, VR_LEVEL);
    const bool bad = level < F64(m, VR_LOW) || level > F64(m, VR_HIGH);
    if (!bad) F64(m, VR_BAD_SINCE) = -1.0;
    else if (F64(m, VR_BAD_SINCE) < 0.0) F64(m, VR_BAD_SINCE) = t;
    if (bad && !BOOL(m, VR_ALARM) && t - F64(m, VR_BAD_SINCE) >= F64(m, VR_DELAY) - time_eps(t)) {
        BOOL(m, VR_ALARM) = true;
        F64(m, VR_ALARM_TIME) = t;
        LOG(m, OK, LOG_EVENTS, "alarm at t=%.17g: level %g outside [%g, %g] since t=%g", t, level, F64(m, VR_LOW),
            F64(m, VR_HIGH), F64(m, VR_BAD_SINCE));
    }
    I32(m, VR_SAMPLES)++;
}

static double next_sample_time(const ModelInstance* m) {
    return m->startTime + I32(m, VR_SAMPLES) * F64(m, VR_TS); /* t0 + k*Ts, never accumulated */
}

void model_initialize(ModelInstance* m) {
    BOOL(m, VR_ALARM) = false;
    F64(m, VR_ALARM_TIME) = -1.0;
    F64(m, VR_BAD_SINCE) = -1.0;
    I32(m, VR_SAMPLES) = 0;
    take_sample(m); /* sample 0 at the start time */
}

void model_calculate(ModelInstance* m) { (void)m; /* the alarm changes only at samples */ }

void model_event_update(ModelInstance* m, EventUpdate* e) {
    if (time_reached(m, next_sample_time(m))) take_sample(m);
    e->nextEventTimeDefined = true;
    e->nextEventTime = next_sample_time(m);
}
