/* PIController equations: sampled PI with output limits and conditional-integration anti-windup. */
#include "model.h"

/* Sample k (at t0 + k*Ts): u_k = clamp(kp*e_k + ki*I_k); I_{k+1} = I_k + Ts*e_k unless that would
 * wind the integrator further into the limit u is clamped at. */
static void take_sample(ModelInstance* m) {
    const double e = F64(m, VR_SETPOINT) - F64(m, VR_MEASUREMENT);
    const double unclamped = F64(m, VR_KP) * e + F64(m, VR_KI) * F64(m, VR_INTEGRAL);
    const double u = fmin(fmax(unclamped, F64(m, VR_U_MIN)), F64(m, VR_U_MAX));
    const bool windsUp = (unclamped > F64(m, VR_U_MAX) && e > 0.0) || (unclamped < F64(m, VR_U_MIN) && e < 0.0);
    if (!windsUp) F64(m, VR_INTEGRAL) += F64(m, VR_TS) * e;
    F64(m, VR_U) = u;
    F64(m, VR_ERROR) = e;
    BOOL(m, VR_SATURATED) = u != unclamped;
    I32(m, VR_SAMPLES)++;
}

static double next_sample_time(const ModelInstance* m) {
    return m->startTime + I32(m, VR_SAMPLES) * F64(m, VR_TS); /* t0 + k*Ts, never accumulated */
}

void model_initialize(ModelInstance* m) {
    F64(m, VR_INTEGRAL) = 0.0;
    I32(m, VR_SAMPLES) = 0;
    take_sample(m); /* sample 0 at the start time */
}

void model_calculate(ModelInstance* m) { (void)m; /* u is held between samples */ }

void model_event_update(ModelInstance* m, EventUpdate* e) {
    if (time_reached(m, next_sample_time(m))) {
        take_sample(m);
        LOG(m, OK, LOG_EVENTS, "sample %d at t=%.17g: error=%g, u=%g", (int)I32(m, VR_SAMPLES) - 1, TIME(m),
            F64(m, VR_ERROR), F64(m, VR_U));
    }
    e->nextEventTimeDefined = true;
    e->nextEventTime = next_sample_time(m);
}
