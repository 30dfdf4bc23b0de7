/*
 * SampledRamp.c - an FMI 3.0 Co-Simulation FMU with clocks in Event Mode: a ramp x = t, an input
 * clock `sample` (constant, 0.25 s) that samples x into `held`, and an output clock `crossed` that
 * ticks whenever x reaches a multiple of `crossingStep` (0.35). With earlyReturnAllowed, fmi3DoStep
 * returns early at a crossing inside the step. Without Event Mode (eventModeUsed = false) the clocks
 * are inert: crossings are still counted inside fmi3DoStep, `held` stays at its start value.
 * The schedule is worked by hand in readme.md.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fmi3Functions.h"

#define INSTANTIATION_TOKEN "{0d9a3b62-5a3e-4f7c-b1d2-5a3b1e7a9c21}"

enum { VR_TIME = 0, VR_X = 1, VR_SAMPLE = 2, VR_CROSSED = 3, VR_HELD = 4, VR_SAMPLES = 5, VR_CROSSINGS = 6, VR_LAST_CROSSING = 7, VR_CROSSING_STEP = 8 };

typedef enum { MODE_INSTANTIATED, MODE_INITIALIZATION, MODE_EVENT, MODE_STEP, MODE_TERMINATED } Mode;

typedef struct {
    fmi3InstanceEnvironment environment;
    fmi3LogMessageCallback log;
    bool eventModeUsed, earlyReturnAllowed;
    Mode mode;
    double time, crossingStep;
    bool sampleActive;  /* input clock set by the importer in this Event Mode */
    bool crossedActive; /* output clock: the Event Mode is at a crossing */
    double held, lastCrossing;
    double pendingCrossing;  /* a crossing inside the last step, handled late at its end (no early return); -1: none */
    int32_t samples, crossings;
} Instance;

static fmi3Status fail(Instance* m, const char* function, const char* what) {
    if (m->log) {
        char text[256];
        snprintf(text, sizeof text, "%s: %s", function, what);
        m->log(m->environment, fmi3Error, "logStatusError", text);
    }
    return fmi3Error;
}

static double eps(double t) { return 1e-9 * (fabs(t) > 1 ? fabs(t) : 1); }
/* The first crossing strictly after t (a crossing at t itself is handled at t). */
static double next_crossing(const Instance* m, double t) { return (floor((t + eps(t)) / m->crossingStep) + 1) * m->crossingStep; }
static bool at_crossing(const Instance* m, double t) {
    double k = round(t / m->crossingStep);
    return k >= 1 && fabs(k * m->crossingStep - t) <= eps(t);
}

const char* fmi3GetVersion(void) { return fmi3Version; }

fmi3Status fmi3SetDebugLogging(fmi3Instance instance, fmi3Boolean loggingOn, size_t nCategories, const fmi3String categories[]) {
    (void)instance, (void)loggingOn, (void)nCategories, (void)categories;
    return fmi3OK;
}

fmi3Instance fmi3InstantiateCoSimulation(fmi3String instanceName, fmi3String instantiationToken, fmi3String resourcePath,
                                         fmi3Boolean visible, fmi3Boolean loggingOn, fmi3Boolean eventModeUsed,
                                         fmi3Boolean earlyReturnAllowed, const fmi3ValueReference requiredIntermediateVariables[],
                                         size_t nRequiredIntermediateVariables, fmi3InstanceEnvironment instanceEnvironment,
                                         fmi3LogMessageCallback logMessage, fmi3IntermediateUpdateCallback intermediateUpdate) {
    (void)instanceName, (void)resourcePath, (void)visible, (void)loggingOn, (void)requiredIntermediateVariables,
        (void)nRequiredIntermediateVariables, (void)intermediateUpdate;
    if (!instantiationToken || strcmp(instantiationToken, INSTANTIATION_TOKEN) != 0) {
        if (logMessage) logMessage(instanceEnvironment, fmi3Error, "logStatusError", "fmi3InstantiateCoSimulation: wrong instantiationToken");
        return NULL;
    }
    Instance* m = calloc(1, sizeof *m);
    if (!m) return NULL;
    m->environment = instanceEnvironment;
    m->log = logMessage;
    m->eventModeUsed = eventModeUsed;
    m->earlyReturnAllowed = earlyReturnAllowed;
    m->crossingStep = 0.35;
    m->lastCrossing = -1;
    m->pendingCrossing = -1;
    return m;
}

void fmi3FreeInstance(fmi3Instance instance) { free(instance); }

fmi3Status fmi3EnterInitializationMode(fmi3Instance instance, fmi3Boolean toleranceDefined, fmi3Float64 tolerance,
                                       fmi3Float64 startTime, fmi3Boolean stopTimeDefined, fmi3Float64 stopTime) {
    (void)toleranceDefined, (void)tolerance, (void)stopTimeDefined, (void)stopTime;
    Instance* m = instance;
    if (m->mode != MODE_INSTANTIATED) return fail(m, "fmi3EnterInitializationMode", "not in Instantiated state");
    m->mode = MODE_INITIALIZATION;
    m->time = startTime;
    return fmi3OK;
}

/* With Event Mode the FMU starts in Event Mode (the importer may tick input clocks at the start time). */
fmi3Status fmi3ExitInitializationMode(fmi3Instance instance) {
    Instance* m = instance;
    if (m->mode != MODE_INITIALIZATION) return fail(m, "fmi3ExitInitializationMode", "not in Initialization Mode");
    if (!(m->crossingStep > 0)) return fail(m, "fmi3ExitInitializationMode", "crossingStep must be positive");
    m->mode = m->eventModeUsed ? MODE_EVENT : MODE_STEP;
    m->crossedActive = m->eventModeUsed && at_crossing(m, m->time);
    return fmi3OK;
}

fmi3Status fmi3EnterEventMode(fmi3Instance instance) {
    Instance* m = instance;
    if (!m->eventModeUsed || m->mode != MODE_STEP) return fail(m, "fmi3EnterEventMode", "Event Mode not used, or not in Step Mode");
    m->mode = MODE_EVENT;
    m->crossedActive = m->pendingCrossing >= 0 || at_crossing(m, m->time);
    return fmi3OK;
}

fmi3Status fmi3EnterStepMode(fmi3Instance instance) {
    Instance* m = instance;
    if (m->mode != MODE_EVENT) return fail(m, "fmi3EnterStepMode", "not in Event Mode");
    m->mode = MODE_STEP;
    m->sampleActive = m->crossedActive = false; /* clocks are active only within one Event Mode */
    m->pendingCrossing = -1;
    return fmi3OK;
}

fmi3Status fmi3Terminate(fmi3Instance instance) {
    ((Instance*)instance)->mode = MODE_TERMINATED;
    return fmi3OK;
}

fmi3Status fmi3Reset(fmi3Instance instance) {
    Instance* m = instance;
    bool eventModeUsed = m->eventModeUsed, earlyReturnAllowed = m->earlyReturnAllowed;
    fmi3InstanceEnvironment environment = m->environment;
    fmi3LogMessageCallback log = m->log;
    memset(m, 0, sizeof *m);
    m->environment = environment, m->log = log, m->eventModeUsed = eventModeUsed, m->earlyReturnAllowed = earlyReturnAllowed;
    m->crossingStep = 0.35;
    m->lastCrossing = -1;
    m->pendingCrossing = -1;
    return fmi3OK;
}

fmi3Status fmi3GetFloat64(fmi3Instance instance, const fmi3ValueReference vrs[], size_t nvr, fmi3Float64 values[], size_t nValues) {
    Instance* m = instance;
    if (nValues != nvr) return fail(m, "fmi3GetFloat64", "nValues differs from nValueReferences");
    for (size_t i = 0; i < nvr; i++) {
        switch (vrs[i]) {
            case VR_TIME: case VR_X: values[i] = m->time; break;
            case VR_HELD: values[i] = m->held; break;
            case VR_LAST_CROSSING: values[i] = m->lastCrossing; break;
            case VR_CROSSING_STEP: values[i] = m->crossingStep; break;
            default: return fail(m, "fmi3GetFloat64", "unknown value reference");
        }
    }
    return fmi3OK;
}

fmi3Status fmi3SetFloat64(fmi3Instance instance, const fmi3ValueReference vrs[], size_t nvr, const fmi3Float64 values[], size_t nValues) {
    Instance* m = instance;
    if (nValues != nvr) return fail(m, "fmi3SetFloat64", "nValues differs from nValueReferences");
    for (size_t i = 0; i < nvr; i++) {
        if (vrs[i] != VR_CROSSING_STEP || (m->mode != MODE_INSTANTIATED && m->mode != MODE_INITIALIZATION))
            return fail(m, "fmi3SetFloat64", "only the parameter crossingStep can be set, before the run");
        m->crossingStep = values[i];
    }
    return fmi3OK;
}

fmi3Status fmi3GetInt32(fmi3Instance instance, const fmi3ValueReference vrs[], size_t nvr, fmi3Int32 values[], size_t nValues) {
    Instance* m = instance;
    if (nValues != nvr) return fail(m, "fmi3GetInt32", "nValues differs from nValueReferences");
    for (size_t i = 0; i < nvr; i++) {
        if (vrs[i] == VR_SAMPLES) values[i] = m->samples;
        else if (vrs[i] == VR_CROSSINGS) values[i] = m->crossings;
        else return fail(m, "fmi3GetInt32", "unknown value reference");
    }
    return fmi3OK;
}

fmi3Status fmi3GetClock(fmi3Instance instance, const fmi3ValueReference vrs[], size_t nvr, fmi3Clock values[]) {
    Instance* m = instance;
    if (m->mode != MODE_EVENT) return fail(m, "fmi3GetClock", "clocks are read in Event Mode");
    for (size_t i = 0; i < nvr; i++) {
        if (vrs[i] != VR_CROSSED) return fail(m, "fmi3GetClock", "only the output clock 'crossed' can be read");
        values[i] = m->crossedActive;
    }
    return fmi3OK;
}

fmi3Status fmi3SetClock(fmi3Instance instance, const fmi3ValueReference vrs[], size_t nvr, const fmi3Clock values[]) {
    Instance* m = instance;
    if (m->mode != MODE_EVENT) return fail(m, "fmi3SetClock", "clocks are set in Event Mode");
    for (size_t i = 0; i < nvr; i++) {
        if (vrs[i] != VR_SAMPLE) return fail(m, "fmi3SetClock", "only the input clock 'sample' can be set");
        m->sampleActive = values[i];
    }
    return fmi3OK;
}

fmi3Status fmi3GetIntervalDecimal(fmi3Instance instance, const fmi3ValueReference vrs[], size_t nvr, fmi3Float64 intervals[],
                                  fmi3IntervalQualifier qualifiers[]) {
    Instance* m = instance;
    for (size_t i = 0; i < nvr; i++) {
        if (vrs[i] != VR_SAMPLE) return fail(m, "fmi3GetIntervalDecimal", "only 'sample' is a time-based clock");
        intervals[i] = 0.25;
        qualifiers[i] = fmi3IntervalUnchanged;
    }
    return fmi3OK;
}

/* The clocked partitions: sample -> held, samples; crossed -> crossings, lastCrossing. Idempotent within one Event Mode. */
fmi3Status fmi3UpdateDiscreteStates(fmi3Instance instance, fmi3Boolean* discreteStatesNeedUpdate, fmi3Boolean* terminateSimulation,
                                    fmi3Boolean* nominalsOfContinuousStatesChanged, fmi3Boolean* valuesOfContinuousStatesChanged,
                                    fmi3Boolean* nextEventTimeDefined, fmi3Float64* nextEventTime) {
    Instance* m = instance;
    if (m->mode != MODE_EVENT) return fail(m, "fmi3UpdateDiscreteStates", "not in Event Mode");
    if (m->sampleActive) {
        m->held = m->time;
        m->samples++;
        m->sampleActive = false; /* one tick, however often the importer iterates */
    }
    double crossing = m->pendingCrossing >= 0 ? m->pendingCrossing : m->time;
    if (m->crossedActive && m->lastCrossing != crossing) {
        m->crossings++;
        m->lastCrossing = crossing;
    }
    *discreteStatesNeedUpdate = false;
    *terminateSimulation = false;
    *nominalsOfContinuousStatesChanged = false;
    *valuesOfContinuousStatesChanged = false;
    *nextEventTimeDefined = true;
    *nextEventTime = next_crossing(m, m->time);
    return fmi3OK;
}

fmi3Status fmi3DoStep(fmi3Instance instance, fmi3Float64 currentCommunicationPoint, fmi3Float64 communicationStepSize,
                      fmi3Boolean noSetFMUStatePriorToCurrentPoint, fmi3Boolean* eventHandlingNeeded, fmi3Boolean* terminateSimulation,
                      fmi3Boolean* earlyReturn, fmi3Float64* lastSuccessfulTime) {
    (void)noSetFMUStatePriorToCurrentPoint;
    Instance* m = instance;
    if (m->mode != MODE_STEP) return fail(m, "fmi3DoStep", "not in Step Mode (after Event Mode, call fmi3EnterStepMode)");
    if (fabs(currentCommunicationPoint - m->time) > eps(m->time)) return fail(m, "fmi3DoStep", "currentCommunicationPoint is not the FMU's time");
    double end = currentCommunicationPoint + communicationStepSize;
    *eventHandlingNeeded = false;
    *terminateSimulation = false;
    *earlyReturn = false;
    for (double c = next_crossing(m, m->time); c <= end + eps(end); c = next_crossing(m, c)) {
        if (m->eventModeUsed) {
            *eventHandlingNeeded = true;
            if (m->earlyReturnAllowed && c < end - eps(end)) { /* stop at the crossing, the importer handles it there */
                m->time = c;
                *earlyReturn = true;
                *lastSuccessfulTime = c;
                return fmi3OK;
            }
            if (c < end - eps(end)) m->pendingCrossing = c; /* handled late, at the end of the step */
            break;
        }
        m->crossings++; /* no Event Mode: the FMU handles the crossing itself */
        m->lastCrossing = c;
    }
    m->time = end;
    *lastSuccessfulTime = end;
    return fmi3OK;
}
