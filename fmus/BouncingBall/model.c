/* BouncingBall equations. */
#include <float.h>

#include "model.h"

void model_initialize(ModelInstance* m) {
    F64(m, VR_H) = F64(m, VR_H0);
    F64(m, VR_V) = F64(m, VR_V0);
    BOOL(m, VR_RESTING) = false;
    I32(m, VR_IMPACTS) = 0;
}

void model_calculate(ModelInstance* m) {
    const bool resting = BOOL(m, VR_RESTING);
    F64(m, VR_DER_H) = resting ? 0.0 : F64(m, VR_V);
    F64(m, VR_DER_V) = resting ? 0.0 : -F64(m, VR_G);
}

/* Called just after h crossed zero (or at any other event): bounce if the ball moves down. */
void model_event_update(ModelInstance* m, EventUpdate* e) {
    if (BOOL(m, VR_RESTING) || F64(m, VR_H) > 0.0 || F64(m, VR_V) >= 0.0) return;
    const double rebound = -F64(m, VR_E) * F64(m, VR_V);
    I32(m, VR_IMPACTS)++;
    if (rebound < F64(m, VR_V_MIN)) {
        BOOL(m, VR_RESTING) = true; /* stop bouncing: the next flights would be shorter than 2*vMin/g */
        F64(m, VR_H) = 0.0;
        F64(m, VR_V) = 0.0;
        LOG(m, OK, LOG_EVENTS, "impact %d at t=%.17g: ball comes to rest", (int)I32(m, VR_IMPACTS), TIME(m));
    } else {
        /* just above the ground, so that the indicator h is in the domain h > 0 again */
        F64(m, VR_H) = DBL_MIN;
        F64(m, VR_V) = rebound;
        LOG(m, OK, LOG_EVENTS, "impact %d at t=%.17g: v := %g", (int)I32(m, VR_IMPACTS), TIME(m), rebound);
    }
    e->valuesOfContinuousStatesChanged = true;
}
