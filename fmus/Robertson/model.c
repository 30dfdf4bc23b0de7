/* Robertson equations (y1 + y2 + y3 = 1 is conserved). */
#include "model.h"

void model_initialize(ModelInstance* m) {
    F64(m, VR_Y1) = 1.0;
    F64(m, VR_Y2) = 0.0;
    F64(m, VR_Y3) = 0.0;
}

void model_calculate(ModelInstance* m) {
    const double y1 = F64(m, VR_Y1), y2 = F64(m, VR_Y2), y3 = F64(m, VR_Y3);
    const double r1 = F64(m, VR_K1) * y1, r2 = F64(m, VR_K2) * y2 * y2, r3 = F64(m, VR_K3) * y2 * y3;
    F64(m, VR_DER_Y1) = -r1 + r3;
    F64(m, VR_DER_Y2) = r1 - r3 - r2;
    F64(m, VR_DER_Y3) = r2;
}

void model_event_update(ModelInstance* m, EventUpdate* e) { (void)m, (void)e; }
