/* QuirkLogCategory equations: dx/dt = 1, x(t0) = 0; the hook logs with a NULL or empty category. */
#include <stdio.h>

#include "model.h"
#if FMI_VERSION == 3
#include "fmi3FunctionTypes.h"
#endif

void model_initialize(ModelInstance* m) { F64(m, VR_X) = 0.0; }

void model_calculate(ModelInstance* m) { F64(m, VR_DER_X) = 1.0; }

void model_event_update(ModelInstance* m, EventUpdate* e) { (void)m, (void)e; }

Status model_hook(ModelInstance* m, Hook hook, double t, double h) {
    (void)h;
    if (hook != HOOK_DO_STEP || !m->logFn) return OK;
    /* Deliberately bypasses LOG (which always names a category): NULL on odd steps, "" on even ones. */
    static const char* const empty = "";
    const long n = (long)(t / DEFAULT_STEP_SIZE + 0.5);
    const char* category = n % 2 ? NULL : empty;
#if FMI_VERSION == 2
    ((fmi2CallbackLogger)m->logFn)(m->environment, m->name, fmi2OK, category, "QuirkLogCategory: step %ld at t=%g", n, t);
#else
    char text[128];
    snprintf(text, sizeof text, "QuirkLogCategory: step %ld at t=%g", n, t);
    ((fmi3LogMessageCallback)m->logFn)(m->environment, fmi3OK, category, text);
#endif
    return OK;
}
