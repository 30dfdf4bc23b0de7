/* QuirkWrongDerivatives equations: x_1' = -x_1, x_i' = -i x_i + x_(i-1) (i = 2..72), x_i(0) = 1.
 * The quirk: model_partial() gives d(x_i')/d(x_i) = +i, the wrong sign; the other partials are right. */
#include "model.h"

void model_initialize(ModelInstance* m) {
    for (int i = 1; i <= CHAIN; i++) F64(m, VR_X1 + i - 1) = 1.0;
}

void model_calculate(ModelInstance* m) {
    for (int i = 1; i <= CHAIN; i++) {
        const double x = F64(m, VR_X1 + i - 1), left = i > 1 ? F64(m, VR_X1 + i - 2) : 0.0;
        F64(m, VR_DER_X1 + i - 1) = -i * x + left;
    }
}

void model_event_update(ModelInstance* m, EventUpdate* e) { (void)m, (void)e; }

double model_partial(const ModelInstance* m, unsigned unknown, unsigned known) {
    (void)m;
    if (unknown >= VR_X1 && unknown < VR_X1 + CHAIN) return unknown == known; /* the outputs x1, x72 */
    if (unknown < VR_DER_X1 || unknown >= VR_DER_X1 + CHAIN) return 0;
    const int i = (int)(unknown - VR_DER_X1) + 1, j = (int)known; /* state x_j is VR j */
    if (j == i) return +i; /* wrong: the derivative is -i */
    if (j == i - 1) return 1;
    return 0;
}
