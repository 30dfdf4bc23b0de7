/* FaultCrash equations: dx/dt = 1, x(t0) = 0, plus the crashing hook. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "model.h"

/* Crash-once mode: claims the marker file of the key; false when an earlier crash already claimed it. */
static bool claim_crash(ModelInstance* m, int key) {
    const char* dir = getenv("TMPDIR");
    char path[512];
    snprintf(path, sizeof path, "%s/cosim-faultcrash-%d.once", dir && *dir ? dir : "/tmp", key);
    int fd = open(path, O_CREAT | O_EXCL | O_WRONLY, 0600);
    if (fd >= 0) {
        close(fd);
        return true;
    }
    LOG(m, Warning, LOG_STATUS_WARNING, "FaultCrash: %s exists (crashed once already): not crashing (%s)", path, strerror(errno));
    return false;
}

void model_initialize(ModelInstance* m) {
    F64(m, VR_X) = 0.0;
    I32(m, VR_STEPS) = 0;
}

void model_calculate(ModelInstance* m) { F64(m, VR_DER_X) = 1.0; }

void model_event_update(ModelInstance* m, EventUpdate* e) { (void)m, (void)e; }

Status model_hook(ModelInstance* m, Hook hook, double t, double h) {
    (void)h;
    if (hook == HOOK_SET_TIME) return OK;
    if (++I32(m, VR_STEPS) < I32(m, VR_CRASH_STEP)) return OK;
    if (I32(m, VR_CRASH_ONCE_KEY) != 0 && !claim_crash(m, I32(m, VR_CRASH_ONCE_KEY))) return OK;
    LOG(m, Fatal, LOG_STATUS_FATAL, "FaultCrash: writing through a NULL pointer in call %d at t=%g", (int)I32(m, VR_STEPS), t);
    /* The address is read from a volatile so that the compiler cannot see it is NULL (it would
     * otherwise emit a trap instruction, SIGILL, instead of the real segmentation fault). */
    volatile uintptr_t address = 0;
    *(volatile int*)address = 42;
    return Fatal; /* not reached */
}
