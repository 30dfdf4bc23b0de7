/*
 * ClockedTasks.c - an FMI 3.0 Scheduled Execution FMU with one input clock of every time-based kind
 * (constant, fixed, calculated, tunable, changing, countdown), an output clock and a triggered
 * input clock. Each clock's model partition counts its ticks; the schedule is worked by hand in
 * readme.md. The shared glue has no Scheduled Execution, so this file implements the entry points
 * an importer of this interface calls; the rest of the FMI 3 API is not exported.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fmi3Functions.h"

#define INSTANTIATION_TOKEN "{5c0c4e1a-clk0-4d1e-9a37-c10c4ed7a5c5}"

/* Value references (see modelDescription.xml). */
enum {
    VR_TIME = 0,
    VR_FAST = 1,      /* constant 0.1 s,                      priority 0 */
    VR_SLOW = 2,      /* fixed, 0.25 s unless the importer sets another, priority 2 */
    VR_CALC = 3,      /* calculated from calcPeriod,          priority 3 */
    VR_TUNE = 4,      /* tunable: tunePeriod,                 priority 4 */
    VR_CHANGE = 5,    /* changing: intervals 0.1, 0.2, 0.3, ... priority 5 */
    VR_COUNTDOWN = 6, /* countdown: armed by every other slow tick, 0.05 s later, priority 6 */
    VR_ALARM = 7,     /* output clock: ticks in the fast partition at every 4th fast tick */
    VR_ON_ALARM = 8,  /* triggered input clock, priority 1 (the importer links it to an output clock) */
    VR_CALC_PERIOD = 10,
    VR_TUNE_PERIOD = 11,
    VR_U = 12,
    VR_Y = 13,
    VR_TICKS0 = 20,   /* 20..27: tick counters of clocks 1..8 */
    VR_ORDER = 28,
};
#define N_CLOCKS 8

typedef enum { MODE_INSTANTIATED, MODE_INITIALIZATION, MODE_ACTIVATION, MODE_TERMINATED, MODE_ERROR } Mode;

typedef struct {
    char* name;
    fmi3InstanceEnvironment environment;
    fmi3LogMessageCallback log;
    fmi3ClockUpdateCallback clockUpdate;
    Mode mode;
    double startTime;
    /* parameters and clock settings */
    double slowInterval, slowShift, calcPeriod, tunePeriod;
    bool tuneChanged;               /* tunePeriod set since the importer last read the interval */
    int changeStep;                 /* the changing clock's next interval is 0.1 * (changeStep + 1) */
    bool changeChanged;
    double countdownInterval;
    bool countdownChanged;          /* armed, not yet read by the importer */
    bool alarm;                     /* output clock active (reset when the importer reads it) */
    /* clocked variables */
    double u, y;
    int32_t ticks[N_CLOCKS];
    int32_t order;                  /* clock numbers activated at the last activation instant, in call order */
    double lastActivation;
} Instance;

static void logf_(Instance* m, fmi3Status status, const char* category, const char* fmt, ...) __attribute__((format(printf, 4, 5)));
static void logf_(Instance* m, fmi3Status status, const char* category, const char* fmt, ...) {
    if (!m->log) return;
    char text[512];
    va_list args;
    va_start(args, fmt);
    vsnprintf(text, sizeof text, fmt, args);
    va_end(args);
    m->log(m->environment, status, category, text);
}

static fmi3Status fail(Instance* m, const char* fmt, const char* function, unsigned vr) {
    char text[256];
    snprintf(text, sizeof text, fmt, function, vr);
    logf_(m, fmi3Error, "logStatusError", "%s", text);
    return fmi3Error;
}

static fmi3Status fail_plain(Instance* m, const char* function, const char* what) {
    logf_(m, fmi3Error, "logStatusError", "%s: %s", function, what);
    return fmi3Error;
}

static bool is_clock(fmi3ValueReference vr) { return vr >= VR_FAST && vr <= VR_ON_ALARM; }
static bool is_input_clock(fmi3ValueReference vr) { return is_clock(vr) && vr != VR_ALARM; }

static void reset_values(Instance* m) {
    m->mode = MODE_INSTANTIATED;
    m->slowInterval = 0.25;
    m->slowShift = 0;
    m->calcPeriod = 0.3;
    m->tunePeriod = 0.2;
    m->tuneChanged = true;
    m->changeStep = 0;
    m->changeChanged = true;
    m->countdownInterval = 0;
    m->countdownChanged = false;
    m->alarm = false;
    m->u = 2;
    m->y = 0;
    memset(m->ticks, 0, sizeof m->ticks);
    m->order = 0;
    m->lastActivation = -1e300;
}

const char* fmi3GetVersion(void) { return fmi3Version; }

fmi3Status fmi3SetDebugLogging(fmi3Instance instance, fmi3Boolean loggingOn, size_t nCategories, const fmi3String categories[]) {
    (void)instance, (void)loggingOn, (void)nCategories, (void)categories;
    return fmi3OK; /* errors are always logged; there is nothing else to log */
}

fmi3Instance fmi3InstantiateScheduledExecution(fmi3String instanceName, fmi3String instantiationToken, fmi3String resourcePath,
                                               fmi3Boolean visible, fmi3Boolean loggingOn, fmi3InstanceEnvironment instanceEnvironment,
                                               fmi3LogMessageCallback logMessage, fmi3ClockUpdateCallback clockUpdate,
                                               fmi3LockPreemptionCallback lockPreemption, fmi3UnlockPreemptionCallback unlockPreemption) {
    (void)resourcePath, (void)visible, (void)loggingOn, (void)lockPreemption, (void)unlockPreemption;
    if (!instantiationToken || strcmp(instantiationToken, INSTANTIATION_TOKEN) != 0) {
        if (logMessage)
            logMessage(instanceEnvironment, fmi3Error, "logStatusError",
                       "fmi3InstantiateScheduledExecution: wrong instantiationToken");
        return NULL;
    }
    if (!clockUpdate) {
        if (logMessage)
            logMessage(instanceEnvironment, fmi3Error, "logStatusError",
                       "fmi3InstantiateScheduledExecution: clockUpdate is NULL (the countdown and output clocks need it)");
        return NULL;
    }
    Instance* m = calloc(1, sizeof *m);
    if (!m) return NULL;
    m->name = strdup(instanceName ? instanceName : "");
    m->environment = instanceEnvironment;
    m->log = logMessage;
    m->clockUpdate = clockUpdate;
    reset_values(m);
    return m;
}

void fmi3FreeInstance(fmi3Instance instance) {
    Instance* m = instance;
    if (!m) return;
    free(m->name);
    free(m);
}

fmi3Status fmi3EnterInitializationMode(fmi3Instance instance, fmi3Boolean toleranceDefined, fmi3Float64 tolerance,
                                       fmi3Float64 startTime, fmi3Boolean stopTimeDefined, fmi3Float64 stopTime) {
    (void)toleranceDefined, (void)tolerance, (void)stopTimeDefined, (void)stopTime;
    Instance* m = instance;
    if (m->mode != MODE_INSTANTIATED) return fail_plain(m, "fmi3EnterInitializationMode", "not in Instantiated state");
    m->mode = MODE_INITIALIZATION;
    m->startTime = startTime;
    return fmi3OK;
}

fmi3Status fmi3ExitInitializationMode(fmi3Instance instance) {
    Instance* m = instance;
    if (m->mode != MODE_INITIALIZATION) return fail_plain(m, "fmi3ExitInitializationMode", "not in Initialization Mode");
    if (!(m->calcPeriod > 0) || !(m->tunePeriod > 0) || !(m->slowInterval > 0)) {
        logf_(m, fmi3Error, "logStatusError", "fmi3ExitInitializationMode: calcPeriod, tunePeriod and the slow interval must be positive");
        m->mode = MODE_ERROR;
        return fmi3Error;
    }
    m->mode = MODE_ACTIVATION;
    return fmi3OK;
}

fmi3Status fmi3Terminate(fmi3Instance instance) {
    Instance* m = instance;
    m->mode = MODE_TERMINATED;
    return fmi3OK;
}

fmi3Status fmi3Reset(fmi3Instance instance) {
    reset_values((Instance*)instance);
    return fmi3OK;
}

/* ---- values --------------------------------------------------------------------------------- */

fmi3Status fmi3GetFloat64(fmi3Instance instance, const fmi3ValueReference vrs[], size_t nvr, fmi3Float64 values[], size_t nValues) {
    Instance* m = instance;
    if (nValues != nvr) return fail_plain(m, "fmi3GetFloat64", "nValues differs from the number of value references");
    for (size_t i = 0; i < nvr; i++) {
        switch (vrs[i]) {
            case VR_TIME: values[i] = m->lastActivation < -1e299 ? m->startTime : m->lastActivation; break;
            case VR_CALC_PERIOD: values[i] = m->calcPeriod; break;
            case VR_TUNE_PERIOD: values[i] = m->tunePeriod; break;
            case VR_U: values[i] = m->u; break;
            case VR_Y: values[i] = m->y; break;
            default: return fail(m, "%s: no Float64 variable has value reference %u", "fmi3GetFloat64", vrs[i]);
        }
    }
    return fmi3OK;
}

fmi3Status fmi3SetFloat64(fmi3Instance instance, const fmi3ValueReference vrs[], size_t nvr, const fmi3Float64 values[], size_t nValues) {
    Instance* m = instance;
    if (nValues != nvr) return fail_plain(m, "fmi3SetFloat64", "nValues differs from the number of value references");
    for (size_t i = 0; i < nvr; i++) {
        switch (vrs[i]) {
            case VR_CALC_PERIOD:
                if (m->mode != MODE_INSTANTIATED && m->mode != MODE_INITIALIZATION)
                    return fail(m, "%s: calcPeriod (value reference %u) is fixed after initialization", "fmi3SetFloat64", vrs[i]);
                m->calcPeriod = values[i];
                break;
            case VR_TUNE_PERIOD:
                if (values[i] != m->tunePeriod) m->tuneChanged = true;
                m->tunePeriod = values[i];
                break;
            case VR_U: m->u = values[i]; break;
            default: return fail(m, "%s: value reference %u is not a Float64 parameter or input", "fmi3SetFloat64", vrs[i]);
        }
    }
    return fmi3OK;
}

fmi3Status fmi3GetInt32(fmi3Instance instance, const fmi3ValueReference vrs[], size_t nvr, fmi3Int32 values[], size_t nValues) {
    Instance* m = instance;
    if (nValues != nvr) return fail_plain(m, "fmi3GetInt32", "nValues differs from the number of value references");
    for (size_t i = 0; i < nvr; i++) {
        if (vrs[i] >= VR_TICKS0 && vrs[i] < VR_TICKS0 + N_CLOCKS) values[i] = m->ticks[vrs[i] - VR_TICKS0];
        else if (vrs[i] == VR_ORDER) values[i] = m->order;
        else return fail(m, "%s: no Int32 variable has value reference %u", "fmi3GetInt32", vrs[i]);
    }
    return fmi3OK;
}

/* Only the output clock can be read; reading it resets it (it ticked once). */
fmi3Status fmi3GetClock(fmi3Instance instance, const fmi3ValueReference vrs[], size_t nvr, fmi3Clock values[]) {
    Instance* m = instance;
    for (size_t i = 0; i < nvr; i++) {
        if (vrs[i] != VR_ALARM) return fail(m, "%s: value reference %u is not an output clock", "fmi3GetClock", vrs[i]);
        values[i] = m->alarm;
        m->alarm = false;
    }
    return fmi3OK;
}

/* ---- clocks -------------------------------------------------------------------------------- */

fmi3Status fmi3GetIntervalDecimal(fmi3Instance instance, const fmi3ValueReference vrs[], size_t nvr, fmi3Float64 intervals[],
                                  fmi3IntervalQualifier qualifiers[]) {
    Instance* m = instance;
    for (size_t i = 0; i < nvr; i++) {
        intervals[i] = 0;
        qualifiers[i] = fmi3IntervalUnchanged;
        switch (vrs[i]) {
            case VR_FAST: intervals[i] = 0.1; break;
            case VR_SLOW: intervals[i] = m->slowInterval; break;
            case VR_CALC: intervals[i] = m->calcPeriod; break;
            case VR_TUNE:
                intervals[i] = m->tunePeriod;
                qualifiers[i] = m->tuneChanged ? fmi3IntervalChanged : fmi3IntervalUnchanged;
                m->tuneChanged = false;
                break;
            case VR_CHANGE:
                intervals[i] = 0.1 * (m->changeStep + 1);
                qualifiers[i] = m->changeChanged ? fmi3IntervalChanged : fmi3IntervalUnchanged;
                m->changeChanged = false;
                break;
            case VR_COUNTDOWN:
                intervals[i] = m->countdownInterval;
                qualifiers[i] = m->countdownChanged ? fmi3IntervalChanged : fmi3IntervalNotYetKnown;
                m->countdownChanged = false;
                break;
            default:
                return fail(m, "%s: value reference %u is not a time-based clock", "fmi3GetIntervalDecimal", vrs[i]);
        }
    }
    return fmi3OK;
}

fmi3Status fmi3GetShiftDecimal(fmi3Instance instance, const fmi3ValueReference vrs[], size_t nvr, fmi3Float64 shifts[]) {
    Instance* m = instance;
    for (size_t i = 0; i < nvr; i++) {
        if (vrs[i] < VR_FAST || vrs[i] > VR_TUNE) return fail(m, "%s: value reference %u is not a periodic clock", "fmi3GetShiftDecimal", vrs[i]);
        shifts[i] = vrs[i] == VR_SLOW ? m->slowShift : 0;
    }
    return fmi3OK;
}

/* Only the fixed clock takes an interval and shift from the importer, and only before it runs. */
fmi3Status fmi3SetIntervalDecimal(fmi3Instance instance, const fmi3ValueReference vrs[], size_t nvr, const fmi3Float64 intervals[]) {
    Instance* m = instance;
    for (size_t i = 0; i < nvr; i++) {
        if (vrs[i] != VR_SLOW) return fail(m, "%s: value reference %u is not a clock with intervalVariability=\"fixed\"", "fmi3SetIntervalDecimal", vrs[i]);
        if (m->mode != MODE_INSTANTIATED && m->mode != MODE_INITIALIZATION)
            return fail(m, "%s: the interval of clock %u is fixed after initialization", "fmi3SetIntervalDecimal", vrs[i]);
        if (!(intervals[i] > 0)) return fail(m, "%s: the interval of clock %u must be positive", "fmi3SetIntervalDecimal", vrs[i]);
        m->slowInterval = intervals[i];
    }
    return fmi3OK;
}

fmi3Status fmi3SetShiftDecimal(fmi3Instance instance, const fmi3ValueReference vrs[], size_t nvr, const fmi3Float64 shifts[]) {
    Instance* m = instance;
    for (size_t i = 0; i < nvr; i++) {
        if (vrs[i] != VR_SLOW) return fail(m, "%s: value reference %u is not a clock with intervalVariability=\"fixed\"", "fmi3SetShiftDecimal", vrs[i]);
        if (m->mode != MODE_INSTANTIATED && m->mode != MODE_INITIALIZATION)
            return fail(m, "%s: the shift of clock %u is fixed after initialization", "fmi3SetShiftDecimal", vrs[i]);
        m->slowShift = shifts[i];
    }
    return fmi3OK;
}

/* ---- model partitions ---------------------------------------------------------------------- */

fmi3Status fmi3ActivateModelPartition(fmi3Instance instance, fmi3ValueReference clockReference, fmi3Float64 activationTime) {
    Instance* m = instance;
    if (m->mode != MODE_ACTIVATION)
        return fail(m, "%s: clock %u activated outside Clock Activation Mode", "fmi3ActivateModelPartition", clockReference);
    if (!is_input_clock(clockReference))
        return fail(m, "%s: value reference %u is not an input clock", "fmi3ActivateModelPartition", clockReference);
    if (activationTime < m->lastActivation)
        return fail(m, "%s: clock %u activated before the previous activation time", "fmi3ActivateModelPartition", clockReference);
    int clock = (int)clockReference;
    m->order = activationTime == m->lastActivation ? m->order * 10 + clock : clock;
    m->lastActivation = activationTime;
    m->ticks[clock - 1]++;
    switch (clockReference) {
        case VR_FAST:
            m->y += 0.1 * m->u;
            if (m->ticks[VR_FAST - 1] % 4 == 0) {
                m->alarm = true;
                m->ticks[VR_ALARM - 1]++;
                m->clockUpdate(m->environment);
            }
            break;
        case VR_SLOW:
            if (m->ticks[VR_SLOW - 1] % 2 == 1) { /* 1st, 3rd, ... slow tick arms the countdown */
                m->countdownInterval = 0.05;
                m->countdownChanged = true;
                m->clockUpdate(m->environment);
            }
            break;
        case VR_CHANGE:
            m->changeStep++;
            m->changeChanged = true;
            break;
        default:
            break;
    }
    return fmi3OK;
}
