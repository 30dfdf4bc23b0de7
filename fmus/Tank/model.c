/* Tank equations. A dh/dt = q_in - q_out, q_in = valve*maxInflow, q_out = k*sqrt(max(h, 0)). */
#include "model.h"

void model_initialize(ModelInstance* m) { F64(m, VR_LEVEL) = F64(m, VR_H0); }

void model_calculate(ModelInstance* m) {
    const double valve = fmin(fmax(F64(m, VR_VALVE), 0.0), 1.0);
    const double h = F64(m, VR_LEVEL);
    F64(m, VR_INFLOW) = valve * F64(m, VR_MAX_INFLOW);
    F64(m, VR_OUTFLOW) = F64(m, VR_OUTLET_COEFFICIENT) * sqrt(fmax(h, 0.0));
    F64(m, VR_DER_LEVEL) = (F64(m, VR_INFLOW) - F64(m, VR_OUTFLOW)) / F64(m, VR_AREA);
}

void model_event_update(ModelInstance* m, EventUpdate* e) { (void)m, (void)e; /* no events */ }
