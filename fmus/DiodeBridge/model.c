/* DiodeBridge equations.
 *   vS = V sin(2 pi f t)
 *   D1, D4 conduct the positive half wave (source + -> D1 -> output + ... output - -> D4 -> source -),
 *   D2, D3 the negative one. Ideal diodes: a conducting pair is a short, a blocking pair an open.
 *   iOut = (vS - vC)/Rs when D1, D4 conduct; (-vS - vC)/Rs when D2, D3 conduct; else 0
 *   C dvC/dt = iOut - vC/RL
 * Event indicator of a diode: its current when it conducts, its forward voltage when it blocks
 * (a blocking pair shares the voltage equally). A diode switches on when its forward voltage
 * becomes > 0 and off when its current becomes <= 0; both only in the event update.
 */
#include "model.h"

#define PI 3.14159265358979323846

static double source(const ModelInstance* m) {
    return F64(m, VR_AMPL) * sin(2.0 * PI * F64(m, VR_FREQ) * TIME(m));
}

void model_initialize(ModelInstance* m) {
    F64(m, VR_VC) = F64(m, VR_VC0);
    for (unsigned vr = VR_ON1; vr <= VR_ON4; vr++) BOOL(m, vr) = false;
    I32(m, VR_SWITCHES) = 0;
}

void model_calculate(ModelInstance* m) {
    const double vs = source(m), vc = F64(m, VR_VC), rs = F64(m, VR_RS);
    const double fwdPos = vs - vc, fwdNeg = -vs - vc; /* across a pair of the positive / negative half wave */
    const bool pos = BOOL(m, VR_ON1) && BOOL(m, VR_ON4), neg = BOOL(m, VR_ON2) && BOOL(m, VR_ON3);
    const double iPos = pos ? fwdPos / rs : 0.0, iNeg = neg ? fwdNeg / rs : 0.0;
    F64(m, VR_VS) = vs;
    F64(m, VR_IOUT) = iPos + iNeg;
    F64(m, VR_IS) = iPos - iNeg;
    F64(m, VR_DER_VC) = (iPos + iNeg - vc / F64(m, VR_RL)) / F64(m, VR_CAP);
    F64(m, VR_Z1) = BOOL(m, VR_ON1) ? iPos : 0.5 * fwdPos;
    F64(m, VR_Z4) = BOOL(m, VR_ON4) ? iPos : 0.5 * fwdPos;
    F64(m, VR_Z2) = BOOL(m, VR_ON2) ? iNeg : 0.5 * fwdNeg;
    F64(m, VR_Z3) = BOOL(m, VR_ON3) ? iNeg : 0.5 * fwdNeg;
}

/* The conduction state that matches the indicators' domains: on iff z > 0 (forward voltage and current
 * have the same sign here, so a diode that switches keeps its indicator's sign). */
void model_event_update(ModelInstance* m, EventUpdate* e) {
    (void)e; /* the capacitor voltage is continuous: no re-initialisation */
    for (unsigned i = 0; i < 4; i++) {
        const bool on = F64(m, VR_Z1 + i) > 0.0;
        if (on == BOOL(m, VR_ON1 + i)) continue;
        BOOL(m, VR_ON1 + i) = on;
        I32(m, VR_SWITCHES)++;
        LOG(m, OK, LOG_EVENTS, "t=%.17g: D%u %s", TIME(m), i + 1, on ? "conducts" : "blocks");
    }
}
