/* DualMass1 equations: m1 dv1/dt = -c1*x1 - d1*v1 + F, dx1/dt = v1. */
#include "model.h"

void model_initialize(ModelInstance* m) {
    F64(m, VR_X1) = F64(m, VR_X1_0);
    F64(m, VR_V1) = F64(m, VR_V1_0);
}

void model_calculate(ModelInstance* m) {
    F64(m, VR_DER_X1) = F64(m, VR_V1);
    F64(m, VR_DER_V1) = (-F64(m, VR_C1) * F64(m, VR_X1) - F64(m, VR_D1) * F64(m, VR_V1) + F64(m, VR_F)) / F64(m, VR_M1);
}

void model_event_update(ModelInstance* m, EventUpdate* e) { (void)m, (void)e; }

double model_partial(const ModelInstance* m, unsigned unknown, unsigned known) {
    const double m1 = F64(m, VR_M1);
    switch (unknown) {
        case VR_X1: return known == VR_X1;
        case VR_V1:
        case VR_DER_X1: return known == VR_V1;
        case VR_DER_V1:
            return known == VR_X1 ? -F64(m, VR_C1) / m1 : known == VR_V1 ? -F64(m, VR_D1) / m1 : known == VR_F ? 1 / m1 : 0;
    }
    return 0;
}
