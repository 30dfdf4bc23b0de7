/* QuirkDirectionalOverrun equations: dx/dt = -a x. The overrun itself is in the glue (MODEL_DIRECTIONAL_OVERRUN). */
#include "model.h"

void model_initialize(ModelInstance* m) { F64(m, VR_X) = F64(m, VR_X0); }

void model_calculate(ModelInstance* m) { F64(m, VR_DER_X) = -F64(m, VR_A) * F64(m, VR_X); }

void model_event_update(ModelInstance* m, EventUpdate* e) { (void)m, (void)e; }

double model_partial(const ModelInstance* m, unsigned unknown, unsigned known) {
    if (known != VR_X) return 0;
    return unknown == VR_DER_X ? -F64(m, VR_A) : unknown == VR_X ? 1 : 0;
}
