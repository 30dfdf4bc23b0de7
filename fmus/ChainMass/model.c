/* ChainMass equations: m dv/dt = c*(xl - x) + d*(vl - v) + c*(xr - x) + d*(vr - v), dx/dt = v. */
#include "model.h"

void model_initialize(ModelInstance* m) {
    F64(m, VR_X) = F64(m, VR_X0);
    F64(m, VR_V) = F64(m, VR_V0);
}

void model_calculate(ModelInstance* m) {
    const double c = F64(m, VR_C), d = F64(m, VR_D), x = F64(m, VR_X), v = F64(m, VR_V);
    const double force = c * (F64(m, VR_XL) - x) + d * (F64(m, VR_VL) - v) + c * (F64(m, VR_XR) - x) + d * (F64(m, VR_VR) - v);
    F64(m, VR_DER_X) = v;
    F64(m, VR_DER_V) = force / F64(m, VR_M);
}

void model_event_update(ModelInstance* m, EventUpdate* e) { (void)m, (void)e; }

double model_partial(const ModelInstance* m, unsigned unknown, unsigned known) {
    const double c = F64(m, VR_C) / F64(m, VR_M), d = F64(m, VR_D) / F64(m, VR_M);
    switch (unknown) {
        case VR_X: return known == VR_X;
        case VR_V:
        case VR_DER_X: return known == VR_V;
        case VR_DER_V:
            switch (known) {
                case VR_XL: case VR_XR: return c;
                case VR_VL: case VR_VR: return d;
                case VR_X: return -2 * c;
                case VR_V: return -2 * d;
            }
    }
    return 0;
}
