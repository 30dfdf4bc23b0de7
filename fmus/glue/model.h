/*
 * model.h - the contract between the shared FMI glue (glue/core.c, fmi2.c, fmi3.c) and one model (<Model>/model.c).
 *
 * A model folder provides exactly two source files:
 *
 *   config.h  model data, all as macros / constants:
 *     MODEL_NAME            "Tank"  (equals the modelIdentifier and the folder name)
 *     MODEL_DESCRIPTION     one sentence for the model description
 *     INSTANTIATION_TOKEN   "{...}" (FMI 2 guid / FMI 3 instantiationToken)
 *     enum { VR_TIME = 0, VR_..., N_VARIABLES }
 *                           value references, dense from 0; VR 0 is always the independent
 *                           variable "time" (FMI 3 needs it; FMI 2 lists it too so that both
 *                           interfaces share the same value references).
 *     N_STATES              number of continuous states (0 allowed)
 *     N_EVENT_INDICATORS    number of state-event indicators (0 allowed)
 *     EVENT_INDICATOR_VRS   { vr, ... } the Float64 variables used as event indicators
 *                           (only when N_EVENT_INDICATORS > 0)
 *     SOLVER_STEP           fixed step [s] of the glue's RK4 integrator used inside doStep
 *     DEFAULT_START_TIME, DEFAULT_STOP_TIME, DEFAULT_STEP_SIZE, DEFAULT_TOLERANCE
 *     MODEL_UNITS           { {"m", "m=\"1\""}, ... } unit name + BaseUnit attributes
 *     MODEL_VARIABLES       static const VariableInfo MODEL_VARIABLES[N_VARIABLES] = {...}
 *                           (mark it MODEL_TABLE so unused copies do not warn)
 *     optional switches (default 0 unless noted):
 *     MODEL_HAS_FMU_STATE   (default 1) 0 = the binary exports no get/set/serialize FMU state
 *     MODEL_HAS_HOOK        1 = model.c provides model_hook() (fault injection)
 *     MODEL_NEEDS_COMPLETED_INTEGRATOR_STEP  1 = ME importers must call CompletedIntegratorStep
 *     MODEL_STEP_EVENT_EVERY_STEP  1 = CompletedIntegratorStep asks for event mode after every step
 *                           (an exporter quirk seen in the wild; the event update changes nothing)
 *     MODEL_STATE_REINIT(vr) 1 for states the event update may re-initialise (XML reinit)
 *     MODEL_MALFORMED_XML   1 = the generated modelDescription.xml is deliberately truncated
 *     MODEL_HAS_PARTIALS    1 = model.c provides model_partial(): the FMU offers directional
 *                           derivatives (fmi2/fmi3GetDirectionalDerivative). Give then the
 *                           derivatives' and outputs' .dependencies (value references of the
 *                           states and inputs they depend on) so that importers see the sparsity.
 *
 *     MODEL_DIRECTIONAL_OVERRUN 1 = (with MODEL_HAS_PARTIALS) fmi*GetDirectionalDerivative writes one value past the
 *                           end of the heap array it gathers the result in: an exporter quirk (MapleSim 2023)
 *                           that glibc's malloc checks catch at the array's free
 *
 *     MODEL_LATCHED_RELATIONS 1 = model exchange: the event update sees the event indicators as the importer
 *                           last read them (fmi*GetEventIndicators), not as they are at the current time and
 *                           states: an exporter quirk (MapleSim latches its relations there)
 *
 *   model.c   ONLY the equations, as the functions declared at the end of this file.
 *
 * Continuous states are the variables that some other variable is the derivative of
 * (VariableInfo.derivativeOf); their order is the order of the derivative variables by value
 * reference. Event indicators are ordinary Float64 variables computed by model_calculate().
 *
 * Call order (the glue guarantees it; models never see FMI calls):
 *   instantiate / reset      values := start values of the table, time := start time
 *   Initialization Mode      model_initialize() then model_calculate() whenever a value is read
 *                            (and once at ExitInitializationMode). model_initialize() must be
 *                            idempotent: it computes initial states / discrete states from
 *                            parameters and inputs, it must not accumulate anything.
 *   afterwards               model_calculate() whenever time, states or inputs changed and a
 *                            value is read (derivatives, outputs, event indicators); it must not
 *                            change continuous or discrete states.
 *   Event Mode               model_event_update() at a time event (time has reached the
 *                            nextEventTime it reported) or right after a state event (an event
 *                            indicator changed between z > 0 and z <= 0; the glue places the state
 *                            just after the crossing). It updates discrete states, may re-initialise
 *                            continuous states (set valuesOfContinuousStatesChanged) and must
 *                            report its next time event each time (or leave it undefined).
 *                            The glue calls model_calculate() again afterwards. It is also called
 *                            right after initialization (CS: by the glue, ME: the importer's first
 *                            NewDiscreteStates) and whenever an ME importer enters Event Mode, so it
 *                            must test its own conditions (time_reached(), h <= 0 && v < 0, ...).
 *   CS doStep                glue integrates with fixed-step RK4 (SOLVER_STEP), locates state
 *                            events by bisection to EVENT_TOLERANCE and calls model_event_update();
 *                            inputs are held constant over the communication step.
 *   model_hook()             (MODEL_HAS_HOOK only) at the start of doStep and in ME SetTime /
 *                            CompletedIntegratorStep; returning Discard or Error makes the FMI
 *                            call return that status (the hook logs the reason).
 */
#ifndef COSIM_MODEL_H
#define COSIM_MODEL_H

#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- what config.h describes ------------------------------------------------------------ */

typedef enum { OK = 0, Warning = 1, Discard = 2, Error = 3, Fatal = 4 } Status; /* = fmi2Status = fmi3Status */

typedef enum { T_FLOAT64, T_INT32, T_BOOLEAN } VarType;
typedef enum { C_INDEPENDENT, C_PARAMETER, C_INPUT, C_OUTPUT, C_LOCAL } Causality;
typedef enum { V_CONSTANT, V_FIXED, V_TUNABLE, V_DISCRETE, V_CONTINUOUS } Variability;
typedef enum { I_NONE, I_EXACT, I_APPROX, I_CALCULATED } Initial; /* I_NONE: attribute omitted */

typedef struct {
    const char* name;
    VarType type;
    Causality causality;
    Variability variability;
    Initial initial;
    double start;             /* used for parameters, inputs and initial=exact/approx */
    const char* unit;         /* NULL: no unit */
    unsigned derivativeOf;    /* VR of the state this is the derivative of; 0 = none (VR 0 is time) */
    const char* min;          /* XML attribute text or NULL */
    const char* max;
    double nominal;           /* 0 = not given (glue reports 1.0) */
    const char* dependencies; /* outputs only: VRs of the knowns it depends on, space separated;
                                 NULL = omit the attribute (depends on all knowns) */
    const char* description;
} VariableInfo;

typedef struct {
    const char* name;
    const char* baseUnit; /* attributes of <BaseUnit>, e.g. "m=\"3\" s=\"-1\"" */
} UnitInfo;

#define MODEL_TABLE __attribute__((unused))

#include "config.h"

#ifndef N_EVENT_INDICATORS
#define N_EVENT_INDICATORS 0
#endif
#ifndef MODEL_HAS_FMU_STATE
#define MODEL_HAS_FMU_STATE 1
#endif
#ifndef MODEL_HAS_HOOK
#define MODEL_HAS_HOOK 0
#endif
#ifndef MODEL_NEEDS_COMPLETED_INTEGRATOR_STEP
#define MODEL_NEEDS_COMPLETED_INTEGRATOR_STEP 0
#endif
#ifndef MODEL_STEP_EVENT_EVERY_STEP
#define MODEL_STEP_EVENT_EVERY_STEP 0
#endif
#ifndef MODEL_STATE_REINIT /* (vr) -> 1 when the event update may re-initialise that state */
#define MODEL_STATE_REINIT(vr) 0
#endif
#ifndef MODEL_HAS_PARTIALS
#define MODEL_HAS_PARTIALS 0
#endif
#ifndef MODEL_LATCHED_RELATIONS
#define MODEL_LATCHED_RELATIONS 0
#endif
#ifndef MODEL_DIRECTIONAL_OVERRUN
#define MODEL_DIRECTIONAL_OVERRUN 0
#endif
#ifndef MODEL_MALFORMED_XML
#define MODEL_MALFORMED_XML 0
#endif

#define NX (N_STATES > 0 ? N_STATES : 1)                     /* array sizes that may not be 0 */
#define NZ (N_EVENT_INDICATORS > 0 ? N_EVENT_INDICATORS : 1)

/* ---- the instance, owned by the glue --------------------------------------------------------- */

typedef union {
    double f64;
    int32_t i32;
    bool b;
} Value;

/* FMI state machine states (bit flags so that a set of allowed states is one mask). */
typedef enum {
    MODE_INSTANTIATED = 1,
    MODE_INITIALIZATION = 2,
    MODE_EVENT = 4,
    MODE_CONTINUOUS_TIME = 8,
    MODE_STEP = 16,
    MODE_TERMINATED = 32,
    MODE_ERROR = 64,
    MODE_FATAL = 128
} Mode;

/* Everything a saved FMU state holds: plain data, copied with memcpy. */
typedef struct {
    Mode mode;
    Mode modeBeforeError;
    double time;
    Value values[N_VARIABLES];
    bool dirty;                 /* values must be recalculated before they are read */
    bool nextEventTimeDefined;
    double nextEventTime;
    bool terminateRequested;
    double lastSuccessfulTime;  /* CS: end of the last successful (part of a) step */
    Status lastStepStatus;
#if MODEL_LATCHED_RELATIONS
    bool latched;               /* ME: the importer has read the event indicators since initialization */
    double latchedIndicators[NZ]; /* ... and these are the values it read last */
#endif
} ModelState;

typedef enum { IF_MODEL_EXCHANGE, IF_CO_SIMULATION } InterfaceType;

typedef enum {
    LOG_EVENTS,          /* "logEvents": time and state events, mode changes */
    LOG_STATUS_WARNING,  /* "logStatusWarning" */
    LOG_STATUS_DISCARD,  /* "logStatusDiscard" */
    LOG_STATUS_ERROR,    /* "logStatusError" */
    LOG_STATUS_FATAL,    /* "logStatusFatal" */
    LOG_CALLS,           /* "logCalls": FMI function calls */
    N_LOG_CATEGORIES
} LogCategory;

typedef struct ModelInstance {
    ModelState s;
    char* name;
    InterfaceType type;
    int fmiVersion;
    double startTime;
    bool stopTimeDefined;
    double stopTime;
    bool toleranceDefined;            /* as the importer passed it at initialization (models may report it) */
    double tolerance;
    bool earlyReturnAllowed;          /* FMI 3 CS */
    bool loggingOn;
    unsigned logCategories;           /* bit i = LogCategory i enabled */
    void* environment;                /* FMI 2 componentEnvironment / FMI 3 instanceEnvironment */
    void (*logFn)(void);              /* fmi2CallbackLogger or fmi3LogMessageCallback */
    void* (*allocFn)(size_t, size_t); /* FMI 2 allocateMemory, NULL = calloc */
    void (*freeFn)(void*);            /* FMI 2 freeMemory, NULL = free */
    unsigned stateVr[NX];             /* continuous states, in state-vector order */
    unsigned derivativeVr[NX];        /* their derivatives */
} ModelInstance;

/* Access to variable values by value reference, for model.c. */
#define F64(m, vr) ((m)->s.values[(vr)].f64)
#define I32(m, vr) ((m)->s.values[(vr)].i32)
#define BOOL(m, vr) ((m)->s.values[(vr)].b)
#define TIME(m) ((m)->s.time)

/* Relative tolerance for comparing time instants (communication points, time events). */
static inline double time_eps(double t) { return 1e-9 * (fabs(t) > 1.0 ? fabs(t) : 1.0); }
/* True when the current time has reached time instant t (within time_eps). */
static inline bool time_reached(const ModelInstance* m, double t) { return m->s.time >= t - time_eps(t); }

/* ---- logging (a macro so that FMI 2's variadic logger receives the format AND its arguments) -- */

bool glue_log_enabled(const ModelInstance* m, Status status, LogCategory category);
const char* glue_category_name(LogCategory category);
static inline __attribute__((format(printf, 1, 2))) void glue_check_format(const char* fmt, ...) { (void)fmt; }

#if FMI_VERSION == 2
#include "fmi2FunctionTypes.h"
#define LOG(m, status, category, ...)                                                                    \
    do {                                                                                                 \
        if (0) glue_check_format(__VA_ARGS__);                                                           \
        if (glue_log_enabled((m), (status), (category)))                                                 \
            ((fmi2CallbackLogger)(m)->logFn)((m)->environment, (m)->name, (fmi2Status)(status),          \
                                             glue_category_name(category), __VA_ARGS__);                 \
    } while (0)
#elif FMI_VERSION == 3
void glue_log3(ModelInstance* m, Status status, LogCategory category, const char* fmt, ...)
    __attribute__((format(printf, 4, 5)));
#define LOG(m, status, category, ...)                                                                    \
    do {                                                                                                 \
        if (glue_log_enabled((m), (status), (category))) glue_log3((m), (status), (category), __VA_ARGS__); \
    } while (0)
#else
#define LOG(m, status, category, ...) ((void)(m))
#endif

/* ---- what model.c provides ------------------------------------------------------------------ */

typedef struct {
    bool discreteStatesNeedUpdate;        /* ask for another event iteration at the same time */
    bool terminateSimulation;
    bool valuesOfContinuousStatesChanged; /* continuous states were re-initialised */
    bool nextEventTimeDefined;            /* preset to false by the glue */
    double nextEventTime;                 /* absolute time of the next time event */
} EventUpdate;

typedef enum { HOOK_DO_STEP, HOOK_SET_TIME, HOOK_COMPLETED_INTEGRATOR_STEP } Hook;

/* Initialization Mode: initial states and discrete states from parameters and inputs (idempotent). */
void model_initialize(ModelInstance* m);
/* Continuous part: derivatives, outputs, locals and event indicators from time, states, inputs. */
void model_calculate(ModelInstance* m);
/* Event Mode: discrete update at the current time (time event reached or state event crossed). */
void model_event_update(ModelInstance* m, EventUpdate* e);
#if MODEL_HAS_PARTIALS
/* ∂unknown/∂known at the current point (values calculated): unknown is a derivative or an output,
 * known a continuous state or an input; 0 where unknown does not depend on known. */
double model_partial(const ModelInstance* m, unsigned unknown, unsigned known);
#endif
#if MODEL_HAS_HOOK
/* Fault injection: t = current time (doStep: currentCommunicationPoint), h = step size (0 in ME). */
Status model_hook(ModelInstance* m, Hook hook, double t, double h);
#endif

#endif
