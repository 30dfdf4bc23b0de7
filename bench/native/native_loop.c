/*
 * The native limit for CoSim's benchmark: a plain C loop that loads an FMI 2.0 co-simulation
 * binary, steps it N times with doStep, reads the given outputs after each step with fmi2GetReal
 * and keeps them in a preallocated array ("-": in memory, like CoSim's in-memory recorder) or writes
 * them as CSV with fprintf (the same columns, full precision).
 *
 * Usage: native_loop BINARY GUID RESOURCE_URI STEPS STEP_SIZE VR[,VR...] OUT.csv|-
 * Prints: "steps=N seconds=S steps_per_second=R" (time from instantiation to the end of the loop).
 */
#define _POSIX_C_SOURCE 200809L
#include <dlfcn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fmi2Functions.h"

static void logger(fmi2ComponentEnvironment env, fmi2String name, fmi2Status status, fmi2String category, fmi2String message, ...)
{
    (void)env; (void)status; (void)category;
    va_list args;
    va_start(args, message);
    fprintf(stderr, "[%s] ", name);
    vfprintf(stderr, message, args);
    fputc('\n', stderr);
    va_end(args);
}

static void *symbol(void *lib, const char *name)
{
    void *p = dlsym(lib, name);
    if (!p) { fprintf(stderr, "missing %s\n", name); exit(2); }
    return p;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

int main(int argc, char **argv)
{
    if (argc != 8) { fprintf(stderr, "usage: native_loop BINARY GUID RESOURCE_URI STEPS STEP_SIZE VR[,VR...] OUT.csv|-\n"); return 2; }
    void *lib = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
    if (!lib) { fprintf(stderr, "%s\n", dlerror()); return 2; }
    long steps = atol(argv[4]);
    double h = atof(argv[5]);

    fmi2ValueReference vrs[256];
    size_t nvr = 0;
    for (char *tok = strtok(argv[6], ","); tok && nvr < 256; tok = strtok(NULL, ",")) vrs[nvr++] = (fmi2ValueReference)atoi(tok);
    fmi2Real values[256];

    fmi2InstantiateTYPE *instantiate = (fmi2InstantiateTYPE *)symbol(lib, "fmi2Instantiate");
    fmi2SetupExperimentTYPE *setup = (fmi2SetupExperimentTYPE *)symbol(lib, "fmi2SetupExperiment");
    fmi2EnterInitializationModeTYPE *enter = (fmi2EnterInitializationModeTYPE *)symbol(lib, "fmi2EnterInitializationMode");
    fmi2ExitInitializationModeTYPE *exitInit = (fmi2ExitInitializationModeTYPE *)symbol(lib, "fmi2ExitInitializationMode");
    fmi2DoStepTYPE *doStep = (fmi2DoStepTYPE *)symbol(lib, "fmi2DoStep");
    fmi2GetRealTYPE *getReal = (fmi2GetRealTYPE *)symbol(lib, "fmi2GetReal");
    fmi2TerminateTYPE *terminate = (fmi2TerminateTYPE *)symbol(lib, "fmi2Terminate");
    fmi2FreeInstanceTYPE *freeInstance = (fmi2FreeInstanceTYPE *)symbol(lib, "fmi2FreeInstance");

    FILE *out = strcmp(argv[7], "-") == 0 ? NULL : fopen(argv[7], "w");
    if (strcmp(argv[7], "-") != 0 && !out) { perror(argv[7]); return 2; }

    double *memory = NULL;
    if (!out) {
        memory = (double *)malloc(sizeof(double) * (size_t)(steps + 1) * (nvr ? nvr : 1));
        if (!memory) { fprintf(stderr, "out of memory\n"); return 2; }
    }

    double start = now();
    fmi2CallbackFunctions callbacks = { logger, calloc, free, NULL, NULL };
    fmi2Component c = instantiate("bench", fmi2CoSimulation, argv[2], argv[3], &callbacks, fmi2False, fmi2False);
    if (!c) { fprintf(stderr, "instantiate failed\n"); return 1; }
    if (setup(c, fmi2False, 0, 0, fmi2True, (double)steps * h) > fmi2Warning || enter(c) > fmi2Warning || exitInit(c) > fmi2Warning) return 1;

    double checksum = 0;
    for (long n = 0; n < steps; n++) {
        double t = (double)n * h;
        if (doStep(c, t, h, fmi2True) > fmi2Warning) { fprintf(stderr, "doStep failed at %g\n", t); return 1; }
        if (getReal(c, vrs, nvr, values) > fmi2Warning) return 1;
        if (out) {
            fprintf(out, "%.17g", (double)(n + 1) * h);
            for (size_t i = 0; i < nvr; i++) fprintf(out, ",%.17g", values[i]);
            fputc('\n', out);
        } else {
            memcpy(memory + (size_t)n * nvr, values, sizeof(double) * nvr);
        }
    }
    if (out) fclose(out);
    double seconds = now() - start;
    if (memory) { checksum = memory[0] + memory[(size_t)(steps - 1) * nvr]; free(memory); }
    terminate(c);
    freeInstance(c);
    printf("steps=%ld seconds=%.6f steps_per_second=%.0f checksum=%g\n", steps, seconds, (double)steps / seconds, checksum);
    return 0;
}
