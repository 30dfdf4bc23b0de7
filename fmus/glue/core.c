/*
 * core.c - FMI-version-neutral glue: instance, state machine, values, FMU state, model exchange
 * plumbing and the co-simulation step (fixed-step RK4 with state-event location).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "glue.h"

#if N_EVENT_INDICATORS > 0
static const unsigned eventIndicatorVr[N_EVENT_INDICATORS] = EVENT_INDICATOR_VRS;
#endif

#define MAX_EVENT_ITERATIONS 100   /* discrete-state iterations at one time instant */
#define MAX_EVENTS_PER_STEP 100000 /* events inside one doStep before giving up (Zeno) */

/* ---- logging ------------------------------------------------------------------------------ */

static const char* const categoryNames[N_LOG_CATEGORIES] = {
    "logEvents", "logStatusWarning", "logStatusDiscard", "logStatusError", "logStatusFatal", "logCalls"};

/* Enabled when loggingOn is true and nothing else was asked for with SetDebugLogging. */
#define DEFAULT_CATEGORIES ((1u << LOG_STATUS_WARNING) | (1u << LOG_STATUS_DISCARD) | (1u << LOG_STATUS_ERROR) | (1u << LOG_STATUS_FATAL))

const char* glue_category_name(LogCategory category) {
    return (unsigned)category < N_LOG_CATEGORIES ? categoryNames[category] : "logAll";
}

bool glue_log_enabled(const ModelInstance* m, Status status, LogCategory category) {
    if (!m || !m->logFn) return false;
    if (m->loggingOn && (m->logCategories & (1u << category))) return true;
    /* FMI 2: loggingOn switches *debug* logging; errors are still reported so that the importer
     * can say why a call failed. FMI 3: loggingOn = false means no logMessage calls at all. */
    return m->fmiVersion == 2 && status >= Error;
}

#if FMI_VERSION == 3
#include "fmi3FunctionTypes.h"
void glue_log3(ModelInstance* m, Status status, LogCategory category, const char* fmt, ...) {
    char buffer[1024];
    va_list args;
    va_start(args, fmt);
    vsnprintf(buffer, sizeof buffer, fmt, args);
    va_end(args);
    ((fmi3LogMessageCallback)m->logFn)(m->environment, (fmi3Status)status, glue_category_name(category), buffer);
}
#endif

const char* glue_mode_name(Mode mode) {
    switch (mode) {
        case MODE_INSTANTIATED: return "Instantiated";
        case MODE_INITIALIZATION: return "InitializationMode";
        case MODE_EVENT: return "EventMode";
        case MODE_CONTINUOUS_TIME: return "ContinuousTimeMode";
        case MODE_STEP: return "StepMode";
        case MODE_TERMINATED: return "Terminated";
        case MODE_ERROR: return "Error";
        case MODE_FATAL: return "Fatal";
    }
    return "?";
}

Status glue_enter_error(ModelInstance* m) {
    if (m->s.mode != MODE_ERROR && m->s.mode != MODE_FATAL) {
        m->s.modeBeforeError = m->s.mode;
        m->s.mode = MODE_ERROR;
    }
    return Error;
}

Status glue_check_mode(ModelInstance* m, const char* fn, unsigned mask) {
    CHECK_MODE(m, fn, mask);
    return OK;
}

Status glue_unsupported(ModelInstance* m, const char* fn, const char* why) {
    FAIL(m, fn, "not supported by this FMU (%s)", why);
}

/* ---- memory ------------------------------------------------------------------------------- */

static void* glue_alloc(void* (*allocFn)(size_t, size_t), size_t size) {
    return allocFn ? allocFn(1, size) : calloc(1, size);
}

static void glue_release(void (*freeFn)(void*), void* p) {
    if (freeFn) freeFn(p); else free(p);
}

/* ---- values and evaluation ---------------------------------------------------------------- */

static void set_start_values(ModelInstance* m) {
    memset(&m->s, 0, sizeof m->s);
    for (unsigned vr = 0; vr < N_VARIABLES; vr++) {
        const VariableInfo* v = &MODEL_VARIABLES[vr];
        switch (v->type) {
            case T_FLOAT64: m->s.values[vr].f64 = v->start; break;
            case T_INT32: m->s.values[vr].i32 = (int32_t)v->start; break;
            case T_BOOLEAN: m->s.values[vr].b = v->start != 0.0; break;
        }
    }
    m->s.mode = MODE_INSTANTIATED;
    m->s.time = m->startTime;
    m->s.lastSuccessfulTime = m->startTime;
    m->s.lastStepStatus = OK;
    m->s.dirty = false;
}

/* Brings every value up to date with time, states and inputs. */
static void ensure_calculated(ModelInstance* m) {
    if (!m->s.dirty) return;
    if (m->s.mode == MODE_INITIALIZATION) model_initialize(m);
    model_calculate(m);
    m->s.dirty = false;
}

static void read_states(const ModelInstance* m, double x[]) {
    for (int i = 0; i < N_STATES; i++) x[i] = m->s.values[m->stateVr[i]].f64;
}

static void write_states(ModelInstance* m, double t, const double x[]) {
    m->s.time = t;
    for (int i = 0; i < N_STATES; i++) m->s.values[m->stateVr[i]].f64 = x[i];
    m->s.dirty = true;
}

static void read_event_indicators(ModelInstance* m, double z[]) {
    ensure_calculated(m);
#if N_EVENT_INDICATORS > 0
    for (int i = 0; i < N_EVENT_INDICATORS; i++) z[i] = m->s.values[eventIndicatorVr[i]].f64;
#else
    (void)z;
#endif
}

/* ---- lifecycle ---------------------------------------------------------------------------- */

ModelInstance* glue_instantiate(const char* fn, const char* instanceName, InterfaceType type, int fmiVersion,
                                const char* token, void* environment, void (*logFn)(void),
                                void* (*allocFn)(size_t, size_t), void (*freeFn)(void*), bool loggingOn) {
    /* A stack instance lets us log before anything is allocated. */
    ModelInstance probe;
    memset(&probe, 0, sizeof probe);
    probe.name = (char*)(instanceName ? instanceName : "?");
    probe.fmiVersion = fmiVersion;
    probe.environment = environment;
    probe.logFn = logFn;
    probe.loggingOn = loggingOn;
    probe.logCategories = DEFAULT_CATEGORIES;
    ModelInstance* p = &probe;

    if (!instanceName || !instanceName[0]) {
        LOG(p, Error, LOG_STATUS_ERROR, "%s: instanceName must be a non-empty string", fn);
        return NULL;
    }
    if (!token || strcmp(token, INSTANTIATION_TOKEN) != 0) {
        LOG(p, Error, LOG_STATUS_ERROR, "%s: token '%s' does not match this binary (%s, expected '%s')", fn,
            token ? token : "(null)", MODEL_NAME, INSTANTIATION_TOKEN);
        return NULL;
    }
    /* Continuous states: the variables named by derivativeOf, in the order of their derivatives. */
    unsigned nx = 0;
    for (unsigned vr = 1; vr < N_VARIABLES; vr++) {
        if (MODEL_VARIABLES[vr].derivativeOf == 0) continue;
        if (nx < NX) {
            probe.stateVr[nx] = MODEL_VARIABLES[vr].derivativeOf;
            probe.derivativeVr[nx] = vr;
        }
        nx++;
    }
    if (nx != N_STATES || MODEL_VARIABLES[0].causality != C_INDEPENDENT) {
        LOG(p, Error, LOG_STATUS_ERROR, "%s: inconsistent model table (%u derivatives, N_STATES=%d)", fn, nx, N_STATES);
        return NULL;
    }

    ModelInstance* m = glue_alloc(allocFn, sizeof *m);
    char* name = glue_alloc(allocFn, strlen(instanceName) + 1);
    if (!m || !name) {
        LOG(p, Fatal, LOG_STATUS_FATAL, "%s: out of memory", fn);
        if (m) glue_release(freeFn, m);
        if (name) glue_release(freeFn, name);
        return NULL;
    }
    *m = probe;
    strcpy(name, instanceName);
    m->name = name;
    m->type = type;
    m->allocFn = allocFn;
    m->freeFn = freeFn;
    m->startTime = DEFAULT_START_TIME;
    set_start_values(m);
    LOG(m, OK, LOG_CALLS, "%s(instanceName=\"%s\", %s)", fn, instanceName,
        type == IF_CO_SIMULATION ? "CoSimulation" : "ModelExchange");
    return m;
}

void glue_free_instance(ModelInstance* m) {
    if (!m) return;
    LOG(m, OK, LOG_CALLS, "FreeInstance()");
    void (*freeFn)(void*) = m->freeFn;
    glue_release(freeFn, m->name);
    glue_release(freeFn, m);
}

Status glue_set_debug_logging(ModelInstance* m, const char* fn, bool loggingOn, size_t n, const char* const categories[]) {
    CHECK_MODE(m, fn, MASK_ANY_ALIVE);
    unsigned mask = 0;
    if (loggingOn && n == 0) mask = (1u << N_LOG_CATEGORIES) - 1; /* all categories */
    for (size_t i = 0; i < n; i++) {
        unsigned c = 0;
        while (c < N_LOG_CATEGORIES && (!categories[i] || strcmp(categories[i], categoryNames[c]) != 0)) c++;
        if (c == N_LOG_CATEGORIES) FAIL(m, fn, "unknown log category '%s'", categories[i] ? categories[i] : "(null)");
        mask |= 1u << c;
    }
    m->loggingOn = loggingOn;
    m->logCategories = loggingOn ? mask : 0;
    return OK;
}

Status glue_setup_experiment(ModelInstance* m, const char* fn, bool toleranceDefined, double tolerance,
                             double startTime, bool stopTimeDefined, double stopTime) {
    CHECK_MODE(m, fn, MODE_INSTANTIATED);
    /* the internal solver is fixed-step: the tolerance is only kept for models that report it */
    m->toleranceDefined = toleranceDefined;
    m->tolerance = tolerance;
    if (stopTimeDefined && stopTime < startTime) FAIL(m, fn, "stopTime %g < startTime %g", stopTime, startTime);
    m->startTime = startTime;
    m->stopTimeDefined = stopTimeDefined;
    m->stopTime = stopTime;
    m->s.time = startTime;
    m->s.lastSuccessfulTime = startTime;
    return OK;
}

Status glue_enter_initialization_mode(ModelInstance* m, const char* fn) {
    CHECK_MODE(m, fn, MODE_INSTANTIATED);
    LOG(m, OK, LOG_CALLS, "%s() at t=%g", fn, m->s.time);
    m->s.mode = MODE_INITIALIZATION;
    m->s.dirty = true;
    return OK;
}

/* One discrete update at the current time; keeps the glue's copy of the next time event. */
static void event_update(ModelInstance* m, EventUpdate* e) {
    ensure_calculated(m);
    memset(e, 0, sizeof *e);
#if MODEL_LATCHED_RELATIONS && N_EVENT_INDICATORS > 0
    /* the quirk: decide on the indicators of the importer's last fmi*GetEventIndicators call */
    if (m->type == IF_MODEL_EXCHANGE && m->s.latched)
        for (int i = 0; i < N_EVENT_INDICATORS; i++) m->s.values[eventIndicatorVr[i]].f64 = m->s.latchedIndicators[i];
#endif
    model_event_update(m, e);
    m->s.nextEventTimeDefined = e->nextEventTimeDefined;
    m->s.nextEventTime = e->nextEventTime;
    if (e->terminateSimulation) m->s.terminateRequested = true;
    m->s.dirty = true;
    ensure_calculated(m);
}

/* Event iteration inside the glue (CS): repeat the discrete update until it is settled. */
static Status event_iteration(ModelInstance* m, const char* fn, bool* terminate) {
    for (int i = 0; i < MAX_EVENT_ITERATIONS; i++) {
        EventUpdate e;
        event_update(m, &e);
        if (e.terminateSimulation) {
            *terminate = true;
            return OK;
        }
        if (!e.discreteStatesNeedUpdate) return OK;
    }
    FAIL(m, fn, "event iteration at t=%.17g did not converge after %d iterations", m->s.time, MAX_EVENT_ITERATIONS);
}

static bool time_event_due(const ModelInstance* m) {
    return m->s.nextEventTimeDefined && time_reached(m, m->s.nextEventTime);
}

Status glue_exit_initialization_mode(ModelInstance* m, const char* fn) {
    CHECK_MODE(m, fn, MODE_INITIALIZATION);
    m->s.dirty = true;
    ensure_calculated(m); /* runs model_initialize() + model_calculate() */
    LOG(m, OK, LOG_CALLS, "%s() at t=%g", fn, m->s.time);
    if (m->type == IF_MODEL_EXCHANGE) {
        m->s.mode = MODE_EVENT; /* the importer now calls NewDiscreteStates / UpdateDiscreteStates */
        return OK;
    }
    m->s.mode = MODE_STEP;
    bool terminate = false;
    Status st = event_iteration(m, fn, &terminate); /* initial event at the start time */
    m->s.lastSuccessfulTime = m->s.time;
    return st;
}

Status glue_terminate(ModelInstance* m, const char* fn) {
    /* Lenient: Terminate is also accepted after an Error so that importers can always run
     * "terminate, then free" in their cleanup path. */
    CHECK_MODE(m, fn, MODE_EVENT | MODE_CONTINUOUS_TIME | MODE_STEP | MODE_ERROR);
    LOG(m, OK, LOG_CALLS, "%s() at t=%g", fn, m->s.time);
    m->s.mode = MODE_TERMINATED;
    return OK;
}

Status glue_reset(ModelInstance* m, const char* fn) {
    CHECK_MODE(m, fn, MASK_ANY_ALIVE);
    LOG(m, OK, LOG_CALLS, "%s()", fn);
    m->startTime = DEFAULT_START_TIME;
    m->stopTimeDefined = false;
    set_start_values(m);
    return OK;
}

/* ---- get / set ---------------------------------------------------------------------------- */

static const char* type_name(VarType t) {
    return t == T_FLOAT64 ? "Float64/Real" : t == T_INT32 ? "Int32/Integer" : "Boolean";
}

Status glue_prepare_get(ModelInstance* m, const char* fn) {
    CHECK_MODE(m, fn, MASK_GET);
    if (m->s.mode != MODE_INSTANTIATED) ensure_calculated(m); /* Instantiated: start values */
    return OK;
}

Status glue_get_value(ModelInstance* m, const char* fn, unsigned vr, VarType type, Value* value) {
    if (vr >= N_VARIABLES) FAIL(m, fn, "unknown value reference %u", vr);
    if (MODEL_VARIABLES[vr].type != type)
        FAIL(m, fn, "value reference %u (%s) is not a %s variable", vr, MODEL_VARIABLES[vr].name, type_name(type));
    if (vr == VR_TIME) value->f64 = m->s.time;
    else *value = m->s.values[vr];
    return OK;
}

Status glue_prepare_set(ModelInstance* m, const char* fn) {
    CHECK_MODE(m, fn, MASK_SET);
    return OK;
}

Status glue_set_value(ModelInstance* m, const char* fn, unsigned vr, VarType type, Value value) {
    if (vr >= N_VARIABLES) FAIL(m, fn, "unknown value reference %u", vr);
    const VariableInfo* v = &MODEL_VARIABLES[vr];
    if (v->type != type) FAIL(m, fn, "value reference %u (%s) is not a %s variable", vr, v->name, type_name(type));
    unsigned allowed = 0;
    if (v->causality == C_INPUT) allowed = MASK_SET;
    else if (v->causality == C_PARAMETER && v->variability == V_FIXED) allowed = MODE_INSTANTIATED | MODE_INITIALIZATION;
    else if (v->causality == C_PARAMETER && v->variability == V_TUNABLE)
        allowed = MODE_INSTANTIATED | MODE_INITIALIZATION | MODE_EVENT | MODE_STEP;
    if (!(m->s.mode & allowed))
        FAIL(m, fn, "variable %s (value reference %u) cannot be set in state %s", v->name, vr, glue_mode_name(m->s.mode));
    if (type == T_FLOAT64 && isnan(value.f64)) FAIL(m, fn, "NaN for variable %s (value reference %u)", v->name, vr);
    m->s.values[vr] = value;
    m->s.dirty = true;
    return OK;
}

Status glue_no_variables_of_type(ModelInstance* m, const char* fn, const char* typeName, const unsigned* vrs, size_t n) {
    if (n == 0) return OK;
    FAIL(m, fn, "value reference %u is not a %s variable (this FMU has no %s variables)", vrs ? vrs[0] : 0u, typeName, typeName);
}

/* ---- FMU state ---------------------------------------------------------------------------- */

#define SNAPSHOT_MAGIC 0x434F53494D535431ull /* "COSIMST1" */

typedef struct {
    uint64_t magic;
    uint64_t tokenHash; /* rejects states of other models / versions */
    uint64_t size;
    ModelState s;
} Snapshot;

static uint64_t token_hash(void) {
    uint64_t h = 1469598103934665603ull; /* FNV-1a of token and layout */
    for (const char* p = INSTANTIATION_TOKEN; *p; p++) h = (h ^ (unsigned char)*p) * 1099511628211ull;
    return h ^ (uint64_t)sizeof(ModelState);
}

static Status check_snapshot(ModelInstance* m, const char* fn, const Snapshot* snap) {
    if (!snap) FAIL(m, fn, "FMU state is NULL");
    if (snap->magic != SNAPSHOT_MAGIC || snap->tokenHash != token_hash() || snap->size != sizeof(Snapshot))
        FAIL(m, fn, "not an FMU state of %s", MODEL_NAME);
    return OK;
}

Status glue_get_fmu_state(ModelInstance* m, const char* fn, void** state) {
    CHECK_MODE(m, fn, MASK_FMU_STATE);
    if (!state) FAIL(m, fn, "FMUState pointer is NULL");
    Snapshot* snap = *state; /* non-NULL: overwrite a state from an earlier call */
    if (snap && check_snapshot(m, fn, snap) != OK) return Error;
    if (!snap) snap = glue_alloc(m->allocFn, sizeof *snap);
    if (!snap) FAIL(m, fn, "out of memory");
    snap->magic = SNAPSHOT_MAGIC;
    snap->tokenHash = token_hash();
    snap->size = sizeof *snap;
    snap->s = m->s;
    *state = snap;
    LOG(m, OK, LOG_CALLS, "%s() at t=%g", fn, m->s.time);
    return OK;
}

Status glue_set_fmu_state(ModelInstance* m, const char* fn, const void* state) {
    CHECK_MODE(m, fn, MASK_FMU_STATE);
    const Snapshot* snap = state;
    if (check_snapshot(m, fn, snap) != OK) return Error;
    /* The state machine stays where it is, except that restoring a state recovers from Error. */
    Mode mode = m->s.mode == MODE_ERROR ? snap->s.mode : m->s.mode;
    m->s = snap->s;
    m->s.mode = mode;
    m->s.dirty = true;
    LOG(m, OK, LOG_CALLS, "%s() to t=%g, state %s", fn, m->s.time, glue_mode_name(mode));
    return OK;
}

Status glue_free_fmu_state(ModelInstance* m, const char* fn, void** state) {
    CHECK_MODE(m, fn, MASK_FMU_STATE);
    if (!state || !*state) return OK;
    glue_release(m->freeFn, *state);
    *state = NULL;
    return OK;
}

Status glue_serialized_size(ModelInstance* m, const char* fn, const void* state, size_t* size) {
    CHECK_MODE(m, fn, MASK_FMU_STATE);
    if (check_snapshot(m, fn, state) != OK) return Error;
    *size = sizeof(Snapshot);
    return OK;
}

Status glue_serialize(ModelInstance* m, const char* fn, const void* state, unsigned char* buffer, size_t size) {
    CHECK_MODE(m, fn, MASK_FMU_STATE);
    if (check_snapshot(m, fn, state) != OK) return Error;
    if (size != sizeof(Snapshot)) FAIL(m, fn, "buffer size %zu, expected %zu", size, sizeof(Snapshot));
    memcpy(buffer, state, sizeof(Snapshot));
    return OK;
}

Status glue_deserialize(ModelInstance* m, const char* fn, const unsigned char* buffer, size_t size, void** state) {
    CHECK_MODE(m, fn, MASK_FMU_STATE);
    if (size != sizeof(Snapshot)) FAIL(m, fn, "serialized state has %zu bytes, expected %zu", size, sizeof(Snapshot));
    Snapshot tmp;
    memcpy(&tmp, buffer, sizeof tmp);
    if (check_snapshot(m, fn, &tmp) != OK) return Error;
    Snapshot* snap = *state;
    if (snap && check_snapshot(m, fn, snap) != OK) return Error;
    if (!snap) snap = glue_alloc(m->allocFn, sizeof *snap);
    if (!snap) FAIL(m, fn, "out of memory");
    *snap = tmp;
    *state = snap;
    return OK;
}

/* ---- model exchange ----------------------------------------------------------------------- */

static Status run_hook(ModelInstance* m, const char* fn, Hook hook, double t, double h) {
#if MODEL_HAS_HOOK
    (void)fn; /* the hook logs its own reason, so that it is the importer's last message */
    Status st = model_hook(m, hook, t, h);
    return st >= Error ? glue_enter_error(m) : st;
#else
    (void)m, (void)fn, (void)hook, (void)t, (void)h;
    return OK;
#endif
}

static Status require_me(ModelInstance* m, const char* fn) {
    if (m->type != IF_MODEL_EXCHANGE) FAIL(m, fn, "only available for Model Exchange instances");
    return OK;
}

#define REQUIRE_ME(m, fn) do { if (require_me((m), (fn)) != OK) return Error; } while (0)

static Status check_count(ModelInstance* m, const char* fn, size_t n, size_t expected, const char* what) {
    if (n != expected) FAIL(m, fn, "%s: got %zu, the model has %zu", what, n, expected);
    return OK;
}

Status glue_set_time(ModelInstance* m, const char* fn, double time, unsigned allowedModes) {
    CHECK_MODE(m, fn, allowedModes);
    REQUIRE_ME(m, fn);
    if (m->stopTimeDefined && time > m->stopTime + time_eps(m->stopTime))
        FAIL(m, fn, "time %.17g is past stopTime %.17g", time, m->stopTime);
    Status st = run_hook(m, fn, HOOK_SET_TIME, time, 0.0);
    if (st != OK) return st;
    m->s.time = time;
    m->s.dirty = true;
    return OK;
}

Status glue_set_continuous_states(ModelInstance* m, const char* fn, const double x[], size_t nx) {
    CHECK_MODE(m, fn, MODE_CONTINUOUS_TIME);
    REQUIRE_ME(m, fn);
    if (check_count(m, fn, nx, N_STATES, "number of states") != OK) return Error;
    for (size_t i = 0; i < nx; i++)
        if (isnan(x[i])) FAIL(m, fn, "state %zu is NaN", i);
    write_states(m, m->s.time, x);
    return OK;
}

Status glue_get_derivatives(ModelInstance* m, const char* fn, double dx[], size_t nx) {
    CHECK_MODE(m, fn, MASK_ME_READ);
    REQUIRE_ME(m, fn);
    if (check_count(m, fn, nx, N_STATES, "number of states") != OK) return Error;
    ensure_calculated(m);
    for (size_t i = 0; i < nx; i++) dx[i] = m->s.values[m->derivativeVr[i]].f64;
    return OK;
}

Status glue_get_event_indicators(ModelInstance* m, const char* fn, double z[], size_t nz) {
    CHECK_MODE(m, fn, MASK_ME_READ);
    REQUIRE_ME(m, fn);
    if (check_count(m, fn, nz, N_EVENT_INDICATORS, "number of event indicators") != OK) return Error;
    if (nz > 0) read_event_indicators(m, z);
#if MODEL_LATCHED_RELATIONS
    for (size_t i = 0; i < nz; i++) m->s.latchedIndicators[i] = z[i];
    m->s.latched = nz > 0;
#endif
    return OK;
}

Status glue_get_continuous_states(ModelInstance* m, const char* fn, double x[], size_t nx) {
    CHECK_MODE(m, fn, MASK_ME_READ);
    REQUIRE_ME(m, fn);
    if (check_count(m, fn, nx, N_STATES, "number of states") != OK) return Error;
    ensure_calculated(m);
    read_states(m, x);
    return OK;
}

Status glue_get_nominals(ModelInstance* m, const char* fn, double nominals[], size_t nx) {
    CHECK_MODE(m, fn, MASK_ME_READ);
    REQUIRE_ME(m, fn);
    if (check_count(m, fn, nx, N_STATES, "number of states") != OK) return Error;
    for (size_t i = 0; i < nx; i++) {
        double n = MODEL_VARIABLES[m->stateVr[i]].nominal;
        nominals[i] = n > 0.0 ? n : 1.0;
    }
    return OK;
}

Status glue_enter_event_mode(ModelInstance* m, const char* fn) {
    CHECK_MODE(m, fn, MODE_CONTINUOUS_TIME);
    REQUIRE_ME(m, fn);
    LOG(m, OK, LOG_CALLS, "%s() at t=%.17g", fn, m->s.time);
    m->s.mode = MODE_EVENT;
    return OK;
}

Status glue_update_discrete_states(ModelInstance* m, const char* fn, EventUpdate* e) {
    CHECK_MODE(m, fn, MODE_EVENT);
    REQUIRE_ME(m, fn);
    event_update(m, e);
    LOG(m, OK, LOG_EVENTS, "%s at t=%.17g: again=%d, statesChanged=%d, next time event %s%.17g", fn, m->s.time,
        (int)e->discreteStatesNeedUpdate, (int)e->valuesOfContinuousStatesChanged,
        e->nextEventTimeDefined ? "t=" : "none, ", e->nextEventTimeDefined ? e->nextEventTime : 0.0);
    return OK;
}

Status glue_enter_continuous_time_mode(ModelInstance* m, const char* fn) {
    CHECK_MODE(m, fn, MODE_EVENT);
    REQUIRE_ME(m, fn);
    m->s.mode = MODE_CONTINUOUS_TIME;
    return OK;
}

Status glue_completed_integrator_step(ModelInstance* m, const char* fn, bool* enterEventMode, bool* terminate) {
    CHECK_MODE(m, fn, MODE_CONTINUOUS_TIME);
    REQUIRE_ME(m, fn);
    if (!enterEventMode || !terminate) FAIL(m, fn, "NULL output argument");
    *enterEventMode = MODEL_STEP_EVENT_EVERY_STEP; /* step events only for the quirk variants */
    *terminate = false;
    return run_hook(m, fn, HOOK_COMPLETED_INTEGRATOR_STEP, m->s.time, 0.0);
}

/* ---- co-simulation ------------------------------------------------------------------------ */

/* Evaluates the derivatives at (t, x); leaves the instance at (t, x) and calculated. */
static void derivatives_at(ModelInstance* m, double t, const double x[], double dx[]) {
    write_states(m, t, x);
    ensure_calculated(m);
    for (int i = 0; i < N_STATES; i++) dx[i] = m->s.values[m->derivativeVr[i]].f64;
}

/* One classical Runge-Kutta step of size h from (t0, x0); leaves the instance at (t0 + h, x1). */
static void rk4_step(ModelInstance* m, double t0, const double x0[], double h, double x1[]) {
    double k1[NX], k2[NX], k3[NX], k4[NX], xt[NX];
    derivatives_at(m, t0, x0, k1);
    for (int i = 0; i < N_STATES; i++) xt[i] = x0[i] + 0.5 * h * k1[i];
    derivatives_at(m, t0 + 0.5 * h, xt, k2);
    for (int i = 0; i < N_STATES; i++) xt[i] = x0[i] + 0.5 * h * k2[i];
    derivatives_at(m, t0 + 0.5 * h, xt, k3);
    for (int i = 0; i < N_STATES; i++) xt[i] = x0[i] + h * k3[i];
    derivatives_at(m, t0 + h, xt, k4);
    for (int i = 0; i < N_STATES; i++) x1[i] = x0[i] + h / 6.0 * (k1[i] + 2.0 * k2[i] + 2.0 * k3[i] + k4[i]);
    write_states(m, t0 + h, x1);
    ensure_calculated(m);
}

/* An event indicator crossed when it moved between the domains z > 0 and z <= 0. */
static bool crossed(const double z0[], const double z1[]) {
    for (int i = 0; i < N_EVENT_INDICATORS; i++)
        if ((z0[i] > 0.0) != (z1[i] > 0.0)) return true;
    return false;
}

Status glue_do_step(ModelInstance* m, const char* fn, double t, double h, bool* earlyReturn,
                    double* lastSuccessfulTime, bool* terminate) {
    *earlyReturn = false;
    *terminate = false;
    *lastSuccessfulTime = m->s.time;
    CHECK_MODE(m, fn, MODE_STEP);
    LOG(m, OK, LOG_CALLS, "%s(t=%.17g, h=%.17g)", fn, t, h);
    if (m->type != IF_CO_SIMULATION) FAIL(m, fn, "only available for Co-Simulation instances");
    if (!(h >= 0.0)) FAIL(m, fn, "communicationStepSize %g must be >= 0", h);
    if (fabs(t - m->s.time) > time_eps(t))
        FAIL(m, fn, "currentCommunicationPoint %.17g does not match the FMU's time %.17g", t, m->s.time);
    const double tEnd = t + h;
    if (m->stopTimeDefined && tEnd > m->stopTime + time_eps(m->stopTime))
        FAIL(m, fn, "t + h = %.17g is past stopTime %.17g", tEnd, m->stopTime);

    Status hookStatus = run_hook(m, fn, HOOK_DO_STEP, t, h);
    if (hookStatus == Discard) {
        /* the step is rejected as a whole: the FMU stays at t */
        LOG(m, Discard, LOG_STATUS_DISCARD, "%s: step from t=%.17g with h=%.17g discarded, FMU stays at t", fn, t, h);
        m->s.lastStepStatus = Discard;
        m->s.lastSuccessfulTime = m->s.time;
        *lastSuccessfulTime = m->s.time;
        return Discard;
    }
    if (hookStatus != OK && hookStatus != Warning) return hookStatus;

    m->s.time = t; /* the importer's value is the exact communication point */
    m->s.dirty = true;
    ensure_calculated(m);

    Status st = OK;
    long events = 0;
    if (time_event_due(m)) { /* pending time event at the communication point */
        st = event_iteration(m, fn, terminate);
        events++;
    }
    double x0[NX], x1[NX], xm[NX], z0[NZ], z1[NZ], zm[NZ];
    while (st == OK && !*terminate && m->s.time < tEnd - time_eps(tEnd)) {
        const double t0 = m->s.time;
        double t1 = t0 + SOLVER_STEP;
        if (t1 > tEnd - time_eps(tEnd)) t1 = tEnd; /* no slivers before the end */
        bool timeEvent = false;
        if (m->s.nextEventTimeDefined && m->s.nextEventTime <= t1 + time_eps(t1) && m->s.nextEventTime > t0) {
            if (m->s.nextEventTime < t1) t1 = m->s.nextEventTime;
            timeEvent = true;
        }
        read_states(m, x0);
        read_event_indicators(m, z0);
        rk4_step(m, t0, x0, t1 - t0, x1);
        read_event_indicators(m, z1);

        bool stateEvent = N_EVENT_INDICATORS > 0 && crossed(z0, z1);
        if (stateEvent) {
            /* bisection on [tl, tr]: z has crossed at tr, not at tl */
            double tl = t0, tr = t1;
            while (tr - tl > EVENT_TOLERANCE) {
                const double tm = 0.5 * (tl + tr);
                rk4_step(m, t0, x0, tm - t0, xm);
                read_event_indicators(m, zm);
                if (crossed(z0, zm)) tr = tm;
                else tl = tm;
            }
            rk4_step(m, t0, x0, tr - t0, x1); /* the state just after the crossing */
            LOG(m, OK, LOG_EVENTS, "%s: state event at t=%.17g", fn, m->s.time);
        } else if (timeEvent) {
            LOG(m, OK, LOG_EVENTS, "%s: time event at t=%.17g", fn, m->s.time);
        }
        if (stateEvent || time_event_due(m)) {
            if (++events > MAX_EVENTS_PER_STEP) FAIL(m, fn, "more than %d events in one step (Zeno behaviour?)", MAX_EVENTS_PER_STEP);
            st = event_iteration(m, fn, terminate);
            if (st == OK && m->earlyReturnAllowed && m->s.time < tEnd - time_eps(tEnd)) {
                *earlyReturn = true;
                break;
            }
        }
    }
    if (st != OK) return st;
    if (!*earlyReturn && !*terminate) {
        m->s.time = tEnd; /* exact end point, no accumulated rounding */
        m->s.dirty = true;
        ensure_calculated(m);
    }
    m->s.lastSuccessfulTime = m->s.time;
    m->s.lastStepStatus = OK;
    *lastSuccessfulTime = m->s.time;
    if (*earlyReturn) LOG(m, OK, LOG_EVENTS, "%s: early return at t=%.17g", fn, m->s.time);
    return hookStatus; /* OK or Warning */
}

/* ---- directional derivatives ---------------------------------------------------------------- */

#if MODEL_HAS_PARTIALS
static bool is_state_vr(const ModelInstance* m, unsigned vr) {
    for (int i = 0; i < N_STATES; i++)
        if (m->stateVr[i] == vr) return true;
    return false;
}
#endif

Status glue_directional_derivative(ModelInstance* m, const char* fn, const unsigned unknowns[], size_t nUnknowns,
                                   const unsigned knowns[], size_t nKnowns, const double seed[], size_t nSeed,
                                   double sensitivity[], size_t nSensitivity) {
#if MODEL_HAS_PARTIALS
    if (nSeed != nKnowns || nSensitivity != nUnknowns)
        FAIL(m, fn, "nSeed (%zu) must equal nKnowns (%zu) and nSensitivity (%zu) nUnknowns (%zu): all variables are scalars",
             nSeed, nKnowns, nSensitivity, nUnknowns);
    CHECK_MODE(m, fn, MODE_INITIALIZATION | MODE_EVENT | MODE_CONTINUOUS_TIME | MODE_STEP);
    for (size_t k = 0; k < nKnowns; k++) {
        unsigned vr = knowns[k];
        if (vr >= N_VARIABLES || !(MODEL_VARIABLES[vr].causality == C_INPUT || is_state_vr(m, vr)))
            FAIL(m, fn, "known %u is not a continuous state or an input", vr);
    }
    for (size_t i = 0; i < nUnknowns; i++) {
        unsigned vr = unknowns[i];
        if (vr >= N_VARIABLES || !(MODEL_VARIABLES[vr].causality == C_OUTPUT || MODEL_VARIABLES[vr].derivativeOf != 0))
            FAIL(m, fn, "unknown %u is not a derivative or an output", vr);
    }
    ensure_calculated(m);
#if MODEL_DIRECTIONAL_OVERRUN
    /* The exporter quirk: gathered in a heap array of nUnknowns values, written up to index nUnknowns inclusive. */
    double* gathered = malloc(nUnknowns * sizeof(double));
    if (!gathered) FAIL(m, fn, "out of memory");
    for (size_t i = 0; i <= nUnknowns; i++) {
        double sum = 0;
        for (size_t k = 0; k < nKnowns && i < nUnknowns; k++)
            if (seed[k] != 0) sum += model_partial(m, unknowns[i], knowns[k]) * seed[k];
        volatile double* slot = gathered + i; /* volatile: the compiler keeps the out-of-bounds store */
        *slot = sum;
    }
    memcpy(sensitivity, gathered, nUnknowns * sizeof(double));
    free(gathered); /* glibc's malloc checks abort here: the chunk's trailing check byte is overwritten */
#else
    for (size_t i = 0; i < nUnknowns; i++) {
        double sum = 0;
        for (size_t k = 0; k < nKnowns; k++)
            if (seed[k] != 0) sum += model_partial(m, unknowns[i], knowns[k]) * seed[k];
        sensitivity[i] = sum;
    }
#endif
    return OK;
#else
    (void)unknowns, (void)nUnknowns, (void)knowns, (void)nKnowns, (void)seed, (void)nSeed, (void)sensitivity, (void)nSensitivity;
    return glue_unsupported(m, fn, "providesDirectionalDerivative=false");
#endif
}
