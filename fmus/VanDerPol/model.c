/* Van der Pol equations. */
#include "model.h"

void model_initialize(ModelInstance* m) {
    F64(m, VR_X0) = 2.0;
    F64(m, VR_X1) = 0.0;
}

void model_calculate(ModelInstance* m) {
    const double x0 = F64(m, VR_X0), x1 = F64(m, VR_X1);
    F64(m, VR_DER_X0) = x1;
    F64(m, VR_DER_X1) = F64(m, VR_MU) * (1.0 - x0 * x0) * x1 - x0;
}

void model_event_update(ModelInstance* m, EventUpdate* e) { (void)m, (void)e; }
