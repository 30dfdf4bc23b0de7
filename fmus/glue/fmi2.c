/*
 * fmi2.c - every FMI 2.0 entry point (Co-Simulation and Model Exchange), mapped onto core.c.
 * Compiled once per model with -DFMI_VERSION=2 and the model's folder on the include path.
 */
#include <string.h>

#include "fmi2Functions.h"
#include "glue.h"

#define INSTANCE(c) ModelInstance* m = (ModelInstance*)(c); if (!m) return fmi2Error
#define RETURN(expr) return (fmi2Status)(expr)

const char* fmi2GetTypesPlatform(void) { return fmi2TypesPlatform; }
const char* fmi2GetVersion(void) { return fmi2Version; }

fmi2Status fmi2SetDebugLogging(fmi2Component c, fmi2Boolean loggingOn, size_t nCategories, const fmi2String categories[]) {
    INSTANCE(c);
    RETURN(glue_set_debug_logging(m, "fmi2SetDebugLogging", loggingOn != fmi2False, nCategories, categories));
}

fmi2Component fmi2Instantiate(fmi2String instanceName, fmi2Type fmuType, fmi2String fmuGUID, fmi2String fmuResourceLocation,
                              const fmi2CallbackFunctions* functions, fmi2Boolean visible, fmi2Boolean loggingOn) {
    (void)fmuResourceLocation; /* no model uses resources */
    (void)visible;
    if (!functions) return NULL;
    if (fmuType != fmi2ModelExchange && fmuType != fmi2CoSimulation) {
        if (functions->logger)
            functions->logger(functions->componentEnvironment, instanceName ? instanceName : "?", fmi2Error, "logStatusError",
                              "fmi2Instantiate: unknown fmuType %d", (int)fmuType);
        return NULL;
    }
    /* the importer's memory functions are used only as a pair */
    const bool memory = functions->allocateMemory && functions->freeMemory;
    return glue_instantiate("fmi2Instantiate", instanceName, fmuType == fmi2CoSimulation ? IF_CO_SIMULATION : IF_MODEL_EXCHANGE,
                            2, fmuGUID, functions->componentEnvironment, (void (*)(void))functions->logger,
                            memory ? functions->allocateMemory : NULL, memory ? functions->freeMemory : NULL,
                            loggingOn != fmi2False);
}

void fmi2FreeInstance(fmi2Component c) { glue_free_instance((ModelInstance*)c); }

fmi2Status fmi2SetupExperiment(fmi2Component c, fmi2Boolean toleranceDefined, fmi2Real tolerance, fmi2Real startTime,
                               fmi2Boolean stopTimeDefined, fmi2Real stopTime) {
    INSTANCE(c);
    RETURN(glue_setup_experiment(m, "fmi2SetupExperiment", toleranceDefined != fmi2False, tolerance, startTime,
                                 stopTimeDefined != fmi2False, stopTime));
}

fmi2Status fmi2EnterInitializationMode(fmi2Component c) {
    INSTANCE(c);
    RETURN(glue_enter_initialization_mode(m, "fmi2EnterInitializationMode"));
}

fmi2Status fmi2ExitInitializationMode(fmi2Component c) {
    INSTANCE(c);
    RETURN(glue_exit_initialization_mode(m, "fmi2ExitInitializationMode"));
}

fmi2Status fmi2Terminate(fmi2Component c) {
    INSTANCE(c);
    RETURN(glue_terminate(m, "fmi2Terminate"));
}

fmi2Status fmi2Reset(fmi2Component c) {
    INSTANCE(c);
    RETURN(glue_reset(m, "fmi2Reset"));
}

/* ---- get / set ---------------------------------------------------------------------------- */

#define GETTER(NAME, CTYPE, VTYPE, FIELD, CONVERT)                                                   \
    fmi2Status NAME(fmi2Component c, const fmi2ValueReference vr[], size_t nvr, CTYPE value[]) {     \
        INSTANCE(c);                                                                                 \
        if (glue_prepare_get(m, #NAME) != OK) return fmi2Error;                                     \
        for (size_t i = 0; i < nvr; i++) {                                                           \
            Value v;                                                                                 \
            if (glue_get_value(m, #NAME, vr[i], VTYPE, &v) != OK) return fmi2Error;                 \
            value[i] = CONVERT(v.FIELD);                                                             \
        }                                                                                            \
        return fmi2OK;                                                                               \
    }

#define SETTER(NAME, CTYPE, VTYPE, FIELD, CONVERT)                                                   \
    fmi2Status NAME(fmi2Component c, const fmi2ValueReference vr[], size_t nvr, const CTYPE value[]) { \
        INSTANCE(c);                                                                                 \
        if (glue_prepare_set(m, #NAME) != OK) return fmi2Error;                                     \
        for (size_t i = 0; i < nvr; i++) {                                                           \
            Value v;                                                                                 \
            memset(&v, 0, sizeof v);                                                                 \
            v.FIELD = CONVERT(value[i]);                                                             \
            if (glue_set_value(m, #NAME, vr[i], VTYPE, v) != OK) return fmi2Error;                  \
        }                                                                                            \
        return fmi2OK;                                                                               \
    }

#define SAME(x) (x)
#define TO_FMI2_BOOLEAN(b) ((b) ? fmi2True : fmi2False)
#define FROM_FMI2_BOOLEAN(i) ((i) != fmi2False)

GETTER(fmi2GetReal, fmi2Real, T_FLOAT64, f64, SAME)
GETTER(fmi2GetInteger, fmi2Integer, T_INT32, i32, SAME)
GETTER(fmi2GetBoolean, fmi2Boolean, T_BOOLEAN, b, TO_FMI2_BOOLEAN)
SETTER(fmi2SetReal, fmi2Real, T_FLOAT64, f64, SAME)
SETTER(fmi2SetInteger, fmi2Integer, T_INT32, i32, SAME)
SETTER(fmi2SetBoolean, fmi2Boolean, T_BOOLEAN, b, FROM_FMI2_BOOLEAN)

fmi2Status fmi2GetString(fmi2Component c, const fmi2ValueReference vr[], size_t nvr, fmi2String value[]) {
    INSTANCE(c);
    (void)value;
    if (glue_prepare_get(m, "fmi2GetString") != OK) return fmi2Error;
    RETURN(glue_no_variables_of_type(m, "fmi2GetString", "String", vr, nvr));
}

fmi2Status fmi2SetString(fmi2Component c, const fmi2ValueReference vr[], size_t nvr, const fmi2String value[]) {
    INSTANCE(c);
    (void)value;
    if (glue_prepare_set(m, "fmi2SetString") != OK) return fmi2Error;
    RETURN(glue_no_variables_of_type(m, "fmi2SetString", "String", vr, nvr));
}

/* ---- FMU state ---------------------------------------------------------------------------- */

#if MODEL_HAS_FMU_STATE
fmi2Status fmi2GetFMUstate(fmi2Component c, fmi2FMUstate* FMUstate) {
    INSTANCE(c);
    RETURN(glue_get_fmu_state(m, "fmi2GetFMUstate", FMUstate));
}

fmi2Status fmi2SetFMUstate(fmi2Component c, fmi2FMUstate FMUstate) {
    INSTANCE(c);
    RETURN(glue_set_fmu_state(m, "fmi2SetFMUstate", FMUstate));
}

fmi2Status fmi2FreeFMUstate(fmi2Component c, fmi2FMUstate* FMUstate) {
    INSTANCE(c);
    RETURN(glue_free_fmu_state(m, "fmi2FreeFMUstate", FMUstate));
}

fmi2Status fmi2SerializedFMUstateSize(fmi2Component c, fmi2FMUstate FMUstate, size_t* size) {
    INSTANCE(c);
    RETURN(glue_serialized_size(m, "fmi2SerializedFMUstateSize", FMUstate, size));
}

fmi2Status fmi2SerializeFMUstate(fmi2Component c, fmi2FMUstate FMUstate, fmi2Byte serializedState[], size_t size) {
    INSTANCE(c);
    RETURN(glue_serialize(m, "fmi2SerializeFMUstate", FMUstate, (unsigned char*)serializedState, size));
}

fmi2Status fmi2DeSerializeFMUstate(fmi2Component c, const fmi2Byte serializedState[], size_t size, fmi2FMUstate* FMUstate) {
    INSTANCE(c);
    RETURN(glue_deserialize(m, "fmi2DeSerializeFMUstate", (const unsigned char*)serializedState, size, FMUstate));
}
#endif

fmi2Status fmi2GetDirectionalDerivative(fmi2Component c, const fmi2ValueReference vUnknown_ref[], size_t nUnknown,
                                        const fmi2ValueReference vKnown_ref[], size_t nKnown, const fmi2Real dvKnown[],
                                        fmi2Real dvUnknown[]) {
    INSTANCE(c);
    RETURN(glue_directional_derivative(m, "fmi2GetDirectionalDerivative", vUnknown_ref, nUnknown, vKnown_ref, nKnown, dvKnown, nKnown, dvUnknown, nUnknown));
}

/* ---- model exchange ----------------------------------------------------------------------- */

fmi2Status fmi2EnterEventMode(fmi2Component c) {
    INSTANCE(c);
    RETURN(glue_enter_event_mode(m, "fmi2EnterEventMode"));
}

fmi2Status fmi2NewDiscreteStates(fmi2Component c, fmi2EventInfo* eventInfo) {
    INSTANCE(c);
    if (!eventInfo) RETURN(glue_unsupported(m, "fmi2NewDiscreteStates", "eventInfo is NULL"));
    EventUpdate e;
    Status st = glue_update_discrete_states(m, "fmi2NewDiscreteStates", &e);
    if (st != OK) RETURN(st);
    eventInfo->newDiscreteStatesNeeded = e.discreteStatesNeedUpdate ? fmi2True : fmi2False;
    eventInfo->terminateSimulation = e.terminateSimulation ? fmi2True : fmi2False;
    eventInfo->nominalsOfContinuousStatesChanged = fmi2False;
    eventInfo->valuesOfContinuousStatesChanged = e.valuesOfContinuousStatesChanged ? fmi2True : fmi2False;
    eventInfo->nextEventTimeDefined = e.nextEventTimeDefined ? fmi2True : fmi2False;
    eventInfo->nextEventTime = e.nextEventTimeDefined ? e.nextEventTime : 0.0;
    return fmi2OK;
}

fmi2Status fmi2EnterContinuousTimeMode(fmi2Component c) {
    INSTANCE(c);
    RETURN(glue_enter_continuous_time_mode(m, "fmi2EnterContinuousTimeMode"));
}

fmi2Status fmi2CompletedIntegratorStep(fmi2Component c, fmi2Boolean noSetFMUStatePriorToCurrentPoint,
                                       fmi2Boolean* enterEventMode, fmi2Boolean* terminateSimulation) {
    INSTANCE(c);
    (void)noSetFMUStatePriorToCurrentPoint;
    bool enter = false, terminate = false;
    Status st = glue_completed_integrator_step(m, "fmi2CompletedIntegratorStep", &enter, &terminate);
    if (enterEventMode) *enterEventMode = enter ? fmi2True : fmi2False;
    if (terminateSimulation) *terminateSimulation = terminate ? fmi2True : fmi2False;
    RETURN(st);
}

fmi2Status fmi2SetTime(fmi2Component c, fmi2Real time) {
    INSTANCE(c);
    /* FMI 2 allows SetTime in Event Mode as well */
    RETURN(glue_set_time(m, "fmi2SetTime", time, MODE_EVENT | MODE_CONTINUOUS_TIME));
}

fmi2Status fmi2SetContinuousStates(fmi2Component c, const fmi2Real x[], size_t nx) {
    INSTANCE(c);
    RETURN(glue_set_continuous_states(m, "fmi2SetContinuousStates", x, nx));
}

fmi2Status fmi2GetDerivatives(fmi2Component c, fmi2Real derivatives[], size_t nx) {
    INSTANCE(c);
    RETURN(glue_get_derivatives(m, "fmi2GetDerivatives", derivatives, nx));
}

fmi2Status fmi2GetEventIndicators(fmi2Component c, fmi2Real eventIndicators[], size_t ni) {
    INSTANCE(c);
    RETURN(glue_get_event_indicators(m, "fmi2GetEventIndicators", eventIndicators, ni));
}

fmi2Status fmi2GetContinuousStates(fmi2Component c, fmi2Real x[], size_t nx) {
    INSTANCE(c);
    RETURN(glue_get_continuous_states(m, "fmi2GetContinuousStates", x, nx));
}

fmi2Status fmi2GetNominalsOfContinuousStates(fmi2Component c, fmi2Real x_nominal[], size_t nx) {
    INSTANCE(c);
    RETURN(glue_get_nominals(m, "fmi2GetNominalsOfContinuousStates", x_nominal, nx));
}

/* ---- co-simulation ------------------------------------------------------------------------ */

fmi2Status fmi2SetRealInputDerivatives(fmi2Component c, const fmi2ValueReference vr[], size_t nvr,
                                       const fmi2Integer order[], const fmi2Real value[]) {
    INSTANCE(c);
    (void)vr, (void)nvr, (void)order, (void)value;
    RETURN(glue_unsupported(m, "fmi2SetRealInputDerivatives", "canInterpolateInputs=false"));
}

fmi2Status fmi2GetRealOutputDerivatives(fmi2Component c, const fmi2ValueReference vr[], size_t nvr,
                                        const fmi2Integer order[], fmi2Real value[]) {
    INSTANCE(c);
    (void)vr, (void)nvr, (void)order, (void)value;
    RETURN(glue_unsupported(m, "fmi2GetRealOutputDerivatives", "maxOutputDerivativeOrder=0"));
}

fmi2Status fmi2DoStep(fmi2Component c, fmi2Real currentCommunicationPoint, fmi2Real communicationStepSize,
                      fmi2Boolean noSetFMUStatePriorToCurrentPoint) {
    INSTANCE(c);
    (void)noSetFMUStatePriorToCurrentPoint;
    bool earlyReturn, terminate;
    double lastSuccessfulTime;
    Status st = glue_do_step(m, "fmi2DoStep", currentCommunicationPoint, communicationStepSize, &earlyReturn,
                             &lastSuccessfulTime, &terminate);
    if (st <= Warning && terminate) {
        /* FMI 2 has no terminate flag on doStep: Discard + fmi2GetBooleanStatus(fmi2Terminated) */
        LOG(m, Discard, LOG_STATUS_DISCARD, "fmi2DoStep: the model requested termination at t=%.17g", m->s.time);
        m->s.lastStepStatus = Discard;
        return fmi2Discard;
    }
    RETURN(st);
}

fmi2Status fmi2CancelStep(fmi2Component c) {
    INSTANCE(c);
    RETURN(glue_unsupported(m, "fmi2CancelStep", "doStep is synchronous, canRunAsynchronuously=false"));
}

#define STATUS_MODES (MODE_STEP | MODE_TERMINATED | MODE_ERROR)

static Status status_query(ModelInstance* m, const char* fn, fmi2StatusKind s, fmi2StatusKind expected, const char* what) {
    CHECK_MODE(m, fn, STATUS_MODES);
    if (s != expected) FAIL(m, fn, "status kind %d is not available here (%s)", (int)s, what);
    return OK;
}

fmi2Status fmi2GetStatus(fmi2Component c, const fmi2StatusKind s, fmi2Status* value) {
    INSTANCE(c);
    Status st = status_query(m, "fmi2GetStatus", s, fmi2DoStepStatus, "only fmi2DoStepStatus");
    if (st == OK && value) *value = (fmi2Status)m->s.lastStepStatus;
    RETURN(st);
}

fmi2Status fmi2GetRealStatus(fmi2Component c, const fmi2StatusKind s, fmi2Real* value) {
    INSTANCE(c);
    Status st = status_query(m, "fmi2GetRealStatus", s, fmi2LastSuccessfulTime, "only fmi2LastSuccessfulTime");
    if (st == OK && value) *value = m->s.lastSuccessfulTime;
    RETURN(st);
}

fmi2Status fmi2GetIntegerStatus(fmi2Component c, const fmi2StatusKind s, fmi2Integer* value) {
    INSTANCE(c);
    (void)s, (void)value;
    RETURN(glue_unsupported(m, "fmi2GetIntegerStatus", "no integer status kinds"));
}

fmi2Status fmi2GetBooleanStatus(fmi2Component c, const fmi2StatusKind s, fmi2Boolean* value) {
    INSTANCE(c);
    Status st = status_query(m, "fmi2GetBooleanStatus", s, fmi2Terminated, "only fmi2Terminated");
    if (st == OK && value) *value = m->s.terminateRequested ? fmi2True : fmi2False;
    RETURN(st);
}

fmi2Status fmi2GetStringStatus(fmi2Component c, const fmi2StatusKind s, fmi2String* value) {
    INSTANCE(c);
    (void)s, (void)value;
    RETURN(glue_unsupported(m, "fmi2GetStringStatus", "doStep never returns fmi2Pending"));
}
