/* Feedthrough equations: algebraic only, no states.
 *   y    = k*u + b
 *   ramp = rampStart + slope*time
 *   toleranceDefined, toleranceGiven = what the importer passed at initialization
 */
#include "model.h"

void model_initialize(ModelInstance* m) { (void)m; }

void model_calculate(ModelInstance* m) {
    F64(m, VR_Y) = F64(m, VR_K) * F64(m, VR_U) + F64(m, VR_B);
    F64(m, VR_RAMP) = F64(m, VR_RAMP_START) + F64(m, VR_SLOPE) * TIME(m);
    BOOL(m, VR_TOLERANCE_DEFINED) = m->toleranceDefined;
    F64(m, VR_TOLERANCE_GIVEN) = m->toleranceDefined ? m->tolerance : 0.0;
}

void model_event_update(ModelInstance* m, EventUpdate* e) { (void)m, (void)e; }
