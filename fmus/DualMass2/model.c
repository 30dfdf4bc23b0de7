/* DualMass2 equations: F = c2*(x2 - x1) + d2*(v2 - v1) (on mass 1), m2 dv2/dt = -F, dx2/dt = v2. */
#include "model.h"

void model_initialize(ModelInstance* m) {
    F64(m, VR_X2) = F64(m, VR_X2_0);
    F64(m, VR_V2) = F64(m, VR_V2_0);
}

void model_calculate(ModelInstance* m) {
    const double f = F64(m, VR_C2) * (F64(m, VR_X2) - F64(m, VR_X1)) + F64(m, VR_D2) * (F64(m, VR_V2) - F64(m, VR_V1));
    F64(m, VR_F) = f;
    F64(m, VR_DER_X2) = F64(m, VR_V2);
    F64(m, VR_DER_V2) = -f / F64(m, VR_M2);
}

void model_event_update(ModelInstance* m, EventUpdate* e) { (void)m, (void)e; }

/* dF/d(known): F = c2*(x2 - x1) + d2*(v2 - v1). */
static double force_partial(const ModelInstance* m, unsigned known) {
    switch (known) {
        case VR_X1: return -F64(m, VR_C2);
        case VR_V1: return -F64(m, VR_D2);
        case VR_X2: return F64(m, VR_C2);
        case VR_V2: return F64(m, VR_D2);
    }
    return 0;
}

double model_partial(const ModelInstance* m, unsigned unknown, unsigned known) {
    switch (unknown) {
        case VR_F: return force_partial(m, known);
        case VR_X2: return known == VR_X2;
        case VR_V2:
        case VR_DER_X2: return known == VR_V2;
        case VR_DER_V2: return -force_partial(m, known) / F64(m, VR_M2);
    }
    return 0;
}
