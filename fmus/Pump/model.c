/* Pump equations.
 *   i      = (V - kPhi*omega) / R                              quasi-static armature (no inductance)
 *   J domega/dt = kPhi*i - (b*omega + c0*omega^2 + c1*omega*Q)
 *   dp_pump = a*omega^2 - rPump*Q|Q|
 *   L dQ/dt = dp_pump - (rPipe + rValve/o^2)*Q|Q|,   o = max(valve, minOpening)
 *   Cth dT/dt = R*i^2 - (T - Tambient)/Rth
 */
#include "model.h"

void model_initialize(ModelInstance* m) {
    F64(m, VR_OMEGA) = 0.0;
    F64(m, VR_VOLUME_FLOW) = 0.0;
    F64(m, VR_MOTOR_TEMPERATURE) = F64(m, VR_T0);
}

void model_calculate(ModelInstance* m) {
    const double w = F64(m, VR_OMEGA), q = F64(m, VR_VOLUME_FLOW), temperature = F64(m, VR_MOTOR_TEMPERATURE);
    const double opening = fmax(fmin(F64(m, VR_VALVE), 1.0), F64(m, VR_MIN_OPENING));
    const double i = (F64(m, VR_VOLTAGE) - F64(m, VR_K_PHI) * w) / F64(m, VR_R);
    const double dpPump = F64(m, VR_A) * w * w - F64(m, VR_R_PUMP) * q * fabs(q);
    const double dpLoss = (F64(m, VR_R_PIPE) + F64(m, VR_R_VALVE) / (opening * opening)) * q * fabs(q);

    F64(m, VR_MOTOR_TORQUE) = F64(m, VR_K_PHI) * i;
    F64(m, VR_LOAD_TORQUE) = F64(m, VR_B) * w + F64(m, VR_C0) * w * w + F64(m, VR_C1) * w * q;
    F64(m, VR_DER_OMEGA) = (F64(m, VR_MOTOR_TORQUE) - F64(m, VR_LOAD_TORQUE)) / F64(m, VR_J);
    F64(m, VR_DER_VOLUME_FLOW) = (dpPump - dpLoss) / F64(m, VR_L);
    F64(m, VR_DER_TEMPERATURE) =
        (F64(m, VR_R) * i * i - (temperature - F64(m, VR_T_AMBIENT)) / F64(m, VR_R_TH)) / F64(m, VR_C_TH);

    F64(m, VR_SPEED) = w * 60.0 / (2.0 * M_PI);
    F64(m, VR_CURRENT) = i;
    F64(m, VR_FLOW_RATE) = q * 60000.0;
    F64(m, VR_PRESSURE) = dpPump / 1e5;
}

void model_event_update(ModelInstance* m, EventUpdate* e) { (void)m, (void)e; }
