/*
 * fmi3.c - every FMI 3.0 entry point (Co-Simulation and Model Exchange; Scheduled Execution is
 * not offered), mapped onto core.c. Compiled once per model with -DFMI_VERSION=3.
 */
#include <string.h>

#include "fmi3Functions.h"
#include "glue.h"

#define INSTANCE(c) ModelInstance* m = (ModelInstance*)(c); if (!m) return fmi3Error
#define RETURN(expr) return (fmi3Status)(expr)

const char* fmi3GetVersion(void) { return fmi3Version; }

fmi3Status fmi3SetDebugLogging(fmi3Instance instance, fmi3Boolean loggingOn, size_t nCategories, const fmi3String categories[]) {
    INSTANCE(instance);
    RETURN(glue_set_debug_logging(m, "fmi3SetDebugLogging", loggingOn, nCategories, categories));
}

fmi3Instance fmi3InstantiateModelExchange(fmi3String instanceName, fmi3String instantiationToken, fmi3String resourcePath,
                                          fmi3Boolean visible, fmi3Boolean loggingOn, fmi3InstanceEnvironment instanceEnvironment,
                                          fmi3LogMessageCallback logMessage) {
    (void)resourcePath, (void)visible;
    return glue_instantiate("fmi3InstantiateModelExchange", instanceName, IF_MODEL_EXCHANGE, 3, instantiationToken,
                            instanceEnvironment, (void (*)(void))logMessage, NULL, NULL, loggingOn);
}

fmi3Instance fmi3InstantiateCoSimulation(fmi3String instanceName, fmi3String instantiationToken, fmi3String resourcePath,
                                         fmi3Boolean visible, fmi3Boolean loggingOn, fmi3Boolean eventModeUsed,
                                         fmi3Boolean earlyReturnAllowed, const fmi3ValueReference requiredIntermediateVariables[],
                                         size_t nRequiredIntermediateVariables, fmi3InstanceEnvironment instanceEnvironment,
                                         fmi3LogMessageCallback logMessage, fmi3IntermediateUpdateCallback intermediateUpdate) {
    (void)resourcePath, (void)visible, (void)requiredIntermediateVariables, (void)intermediateUpdate;
    const char* fn = "fmi3InstantiateCoSimulation";
    ModelInstance* m = glue_instantiate(fn, instanceName, IF_CO_SIMULATION, 3, instantiationToken, instanceEnvironment,
                                        (void (*)(void))logMessage, NULL, NULL, loggingOn);
    if (!m) return NULL;
    if (eventModeUsed || nRequiredIntermediateVariables > 0) {
        LOG(m, Error, LOG_STATUS_ERROR, "%s: %s", fn,
            eventModeUsed ? "eventModeUsed=true, but this FMU has hasEventMode=false"
                          : "requiredIntermediateVariables given, but no variable has intermediateUpdate=true");
        glue_free_instance(m);
        return NULL;
    }
    m->earlyReturnAllowed = earlyReturnAllowed;
    return m;
}

fmi3Instance fmi3InstantiateScheduledExecution(fmi3String instanceName, fmi3String instantiationToken, fmi3String resourcePath,
                                               fmi3Boolean visible, fmi3Boolean loggingOn, fmi3InstanceEnvironment instanceEnvironment,
                                               fmi3LogMessageCallback logMessage, fmi3ClockUpdateCallback clockUpdate,
                                               fmi3LockPreemptionCallback lockPreemption, fmi3UnlockPreemptionCallback unlockPreemption) {
    (void)instantiationToken, (void)resourcePath, (void)visible, (void)loggingOn, (void)clockUpdate, (void)lockPreemption,
        (void)unlockPreemption;
    if (logMessage)
        logMessage(instanceEnvironment, fmi3Error, "logStatusError",
                   "fmi3InstantiateScheduledExecution: this FMU has no <ScheduledExecution> interface");
    (void)instanceName;
    return NULL;
}

void fmi3FreeInstance(fmi3Instance instance) { glue_free_instance((ModelInstance*)instance); }

fmi3Status fmi3EnterInitializationMode(fmi3Instance instance, fmi3Boolean toleranceDefined, fmi3Float64 tolerance,
                                       fmi3Float64 startTime, fmi3Boolean stopTimeDefined, fmi3Float64 stopTime) {
    INSTANCE(instance);
    const char* fn = "fmi3EnterInitializationMode";
    if (glue_setup_experiment(m, fn, toleranceDefined, tolerance, startTime, stopTimeDefined, stopTime) != OK) return fmi3Error;
    RETURN(glue_enter_initialization_mode(m, fn));
}

fmi3Status fmi3ExitInitializationMode(fmi3Instance instance) {
    INSTANCE(instance);
    RETURN(glue_exit_initialization_mode(m, "fmi3ExitInitializationMode"));
}

fmi3Status fmi3EnterEventMode(fmi3Instance instance) {
    INSTANCE(instance);
    RETURN(glue_enter_event_mode(m, "fmi3EnterEventMode")); /* ME only (CS has no event mode) */
}

fmi3Status fmi3Terminate(fmi3Instance instance) {
    INSTANCE(instance);
    RETURN(glue_terminate(m, "fmi3Terminate"));
}

fmi3Status fmi3Reset(fmi3Instance instance) {
    INSTANCE(instance);
    RETURN(glue_reset(m, "fmi3Reset"));
}

/* ---- get / set ---------------------------------------------------------------------------- */

static Status check_n_values(ModelInstance* m, const char* fn, size_t nvr, size_t nValues) {
    if (nvr != nValues) FAIL(m, fn, "nValues=%zu but nValueReferences=%zu (all variables are scalars)", nValues, nvr);
    return OK;
}

#define GETTER(T, CTYPE, VTYPE, FIELD)                                                               \
    fmi3Status fmi3Get##T(fmi3Instance instance, const fmi3ValueReference vrs[], size_t nvr, CTYPE values[], \
                          size_t nValues) {                                                          \
        INSTANCE(instance);                                                                          \
        const char* fn = "fmi3Get" #T;                                                               \
        if (glue_prepare_get(m, fn) != OK || check_n_values(m, fn, nvr, nValues) != OK) return fmi3Error; \
        for (size_t i = 0; i < nvr; i++) {                                                           \
            Value v;                                                                                 \
            if (glue_get_value(m, fn, vrs[i], VTYPE, &v) != OK) return fmi3Error;                   \
            values[i] = v.FIELD;                                                                     \
        }                                                                                            \
        return fmi3OK;                                                                               \
    }

#define SETTER(T, CTYPE, VTYPE, FIELD)                                                               \
    fmi3Status fmi3Set##T(fmi3Instance instance, const fmi3ValueReference vrs[], size_t nvr, const CTYPE values[], \
                          size_t nValues) {                                                          \
        INSTANCE(instance);                                                                          \
        const char* fn = "fmi3Set" #T;                                                               \
        if (glue_prepare_set(m, fn) != OK || check_n_values(m, fn, nvr, nValues) != OK) return fmi3Error; \
        for (size_t i = 0; i < nvr; i++) {                                                           \
            Value v;                                                                                 \
            memset(&v, 0, sizeof v);                                                                 \
            v.FIELD = values[i];                                                                     \
            if (glue_set_value(m, fn, vrs[i], VTYPE, v) != OK) return fmi3Error;                    \
        }                                                                                            \
        return fmi3OK;                                                                               \
    }

GETTER(Float64, fmi3Float64, T_FLOAT64, f64)
GETTER(Int32, fmi3Int32, T_INT32, i32)
GETTER(Boolean, fmi3Boolean, T_BOOLEAN, b)
SETTER(Float64, fmi3Float64, T_FLOAT64, f64)
SETTER(Int32, fmi3Int32, T_INT32, i32)
SETTER(Boolean, fmi3Boolean, T_BOOLEAN, b)

/* Types that no model uses: OK for an empty request, Error otherwise. */
#define NO_GETTER(T, CTYPE)                                                                          \
    fmi3Status fmi3Get##T(fmi3Instance instance, const fmi3ValueReference vrs[], size_t nvr, CTYPE values[], \
                          size_t nValues) {                                                          \
        INSTANCE(instance);                                                                          \
        (void)values, (void)nValues;                                                                 \
        if (glue_prepare_get(m, "fmi3Get" #T) != OK) return fmi3Error;                              \
        RETURN(glue_no_variables_of_type(m, "fmi3Get" #T, #T, vrs, nvr));                           \
    }
#define NO_SETTER(T, CTYPE)                                                                          \
    fmi3Status fmi3Set##T(fmi3Instance instance, const fmi3ValueReference vrs[], size_t nvr, const CTYPE values[], \
                          size_t nValues) {                                                          \
        INSTANCE(instance);                                                                          \
        (void)values, (void)nValues;                                                                 \
        if (glue_prepare_set(m, "fmi3Set" #T) != OK) return fmi3Error;                              \
        RETURN(glue_no_variables_of_type(m, "fmi3Set" #T, #T, vrs, nvr));                           \
    }
#define NO_VARIABLES(T, CTYPE) NO_GETTER(T, CTYPE) NO_SETTER(T, CTYPE)

NO_VARIABLES(Float32, fmi3Float32)
NO_VARIABLES(Int8, fmi3Int8)
NO_VARIABLES(UInt8, fmi3UInt8)
NO_VARIABLES(Int16, fmi3Int16)
NO_VARIABLES(UInt16, fmi3UInt16)
NO_VARIABLES(UInt32, fmi3UInt32)
NO_VARIABLES(Int64, fmi3Int64)
NO_VARIABLES(UInt64, fmi3UInt64)
NO_VARIABLES(String, fmi3String)

fmi3Status fmi3GetBinary(fmi3Instance instance, const fmi3ValueReference vrs[], size_t nvr, size_t valueSizes[],
                         fmi3Binary values[], size_t nValues) {
    INSTANCE(instance);
    (void)valueSizes, (void)values, (void)nValues;
    if (glue_prepare_get(m, "fmi3GetBinary") != OK) return fmi3Error;
    RETURN(glue_no_variables_of_type(m, "fmi3GetBinary", "Binary", vrs, nvr));
}

fmi3Status fmi3SetBinary(fmi3Instance instance, const fmi3ValueReference vrs[], size_t nvr, const size_t valueSizes[],
                         const fmi3Binary values[], size_t nValues) {
    INSTANCE(instance);
    (void)valueSizes, (void)values, (void)nValues;
    if (glue_prepare_set(m, "fmi3SetBinary") != OK) return fmi3Error;
    RETURN(glue_no_variables_of_type(m, "fmi3SetBinary", "Binary", vrs, nvr));
}

fmi3Status fmi3GetClock(fmi3Instance instance, const fmi3ValueReference vrs[], size_t nvr, fmi3Clock values[]) {
    INSTANCE(instance);
    (void)values;
    RETURN(glue_no_variables_of_type(m, "fmi3GetClock", "Clock", vrs, nvr));
}

fmi3Status fmi3SetClock(fmi3Instance instance, const fmi3ValueReference vrs[], size_t nvr, const fmi3Clock values[]) {
    INSTANCE(instance);
    (void)values;
    RETURN(glue_no_variables_of_type(m, "fmi3SetClock", "Clock", vrs, nvr));
}

fmi3Status fmi3GetNumberOfVariableDependencies(fmi3Instance instance, fmi3ValueReference valueReference, size_t* nDependencies) {
    INSTANCE(instance);
    (void)valueReference, (void)nDependencies;
    RETURN(glue_unsupported(m, "fmi3GetNumberOfVariableDependencies", "providesPerElementDependencies=false"));
}

fmi3Status fmi3GetVariableDependencies(fmi3Instance instance, fmi3ValueReference dependent, size_t elementIndicesOfDependent[],
                                       fmi3ValueReference independents[], size_t elementIndicesOfIndependents[],
                                       fmi3DependencyKind dependencyKinds[], size_t nDependencies) {
    INSTANCE(instance);
    (void)dependent, (void)elementIndicesOfDependent, (void)independents, (void)elementIndicesOfIndependents,
        (void)dependencyKinds, (void)nDependencies;
    RETURN(glue_unsupported(m, "fmi3GetVariableDependencies", "providesPerElementDependencies=false"));
}

/* ---- FMU state ---------------------------------------------------------------------------- */

#if MODEL_HAS_FMU_STATE
fmi3Status fmi3GetFMUState(fmi3Instance instance, fmi3FMUState* FMUState) {
    INSTANCE(instance);
    RETURN(glue_get_fmu_state(m, "fmi3GetFMUState", FMUState));
}

fmi3Status fmi3SetFMUState(fmi3Instance instance, fmi3FMUState FMUState) {
    INSTANCE(instance);
    RETURN(glue_set_fmu_state(m, "fmi3SetFMUState", FMUState));
}

fmi3Status fmi3FreeFMUState(fmi3Instance instance, fmi3FMUState* FMUState) {
    INSTANCE(instance);
    RETURN(glue_free_fmu_state(m, "fmi3FreeFMUState", FMUState));
}

fmi3Status fmi3SerializedFMUStateSize(fmi3Instance instance, fmi3FMUState FMUState, size_t* size) {
    INSTANCE(instance);
    RETURN(glue_serialized_size(m, "fmi3SerializedFMUStateSize", FMUState, size));
}

fmi3Status fmi3SerializeFMUState(fmi3Instance instance, fmi3FMUState FMUState, fmi3Byte serializedState[], size_t size) {
    INSTANCE(instance);
    RETURN(glue_serialize(m, "fmi3SerializeFMUState", FMUState, serializedState, size));
}

fmi3Status fmi3DeserializeFMUState(fmi3Instance instance, const fmi3Byte serializedState[], size_t size, fmi3FMUState* FMUState) {
    INSTANCE(instance);
    RETURN(glue_deserialize(m, "fmi3DeserializeFMUState", serializedState, size, FMUState));
}
#endif

/* ---- derivatives (directional only where the model gives partials); not offered: adjoint, configuration, clocks ---------------------------------------- */

fmi3Status fmi3GetDirectionalDerivative(fmi3Instance instance, const fmi3ValueReference unknowns[], size_t nUnknowns,
                                        const fmi3ValueReference knowns[], size_t nKnowns, const fmi3Float64 seed[],
                                        size_t nSeed, fmi3Float64 sensitivity[], size_t nSensitivity) {
    INSTANCE(instance);
    RETURN(glue_directional_derivative(m, "fmi3GetDirectionalDerivative", unknowns, nUnknowns, knowns, nKnowns, seed, nSeed, sensitivity, nSensitivity));
}

fmi3Status fmi3GetAdjointDerivative(fmi3Instance instance, const fmi3ValueReference unknowns[], size_t nUnknowns,
                                    const fmi3ValueReference knowns[], size_t nKnowns, const fmi3Float64 seed[],
                                    size_t nSeed, fmi3Float64 sensitivity[], size_t nSensitivity) {
    INSTANCE(instance);
    (void)unknowns, (void)nUnknowns, (void)knowns, (void)nKnowns, (void)seed, (void)nSeed, (void)sensitivity, (void)nSensitivity;
    RETURN(glue_unsupported(m, "fmi3GetAdjointDerivative", "providesAdjointDerivatives=false"));
}

fmi3Status fmi3EnterConfigurationMode(fmi3Instance instance) {
    INSTANCE(instance);
    RETURN(glue_unsupported(m, "fmi3EnterConfigurationMode", "no structural parameters"));
}

fmi3Status fmi3ExitConfigurationMode(fmi3Instance instance) {
    INSTANCE(instance);
    RETURN(glue_unsupported(m, "fmi3ExitConfigurationMode", "no structural parameters"));
}

#define NO_CLOCKS(m, fn) RETURN(glue_unsupported((m), (fn), "no clocks"))

fmi3Status fmi3GetIntervalDecimal(fmi3Instance instance, const fmi3ValueReference vrs[], size_t nvr, fmi3Float64 intervals[],
                                  fmi3IntervalQualifier qualifiers[]) {
    INSTANCE(instance);
    (void)vrs, (void)nvr, (void)intervals, (void)qualifiers;
    NO_CLOCKS(m, "fmi3GetIntervalDecimal");
}

fmi3Status fmi3GetIntervalFraction(fmi3Instance instance, const fmi3ValueReference vrs[], size_t nvr, fmi3UInt64 counters[],
                                   fmi3UInt64 resolutions[], fmi3IntervalQualifier qualifiers[]) {
    INSTANCE(instance);
    (void)vrs, (void)nvr, (void)counters, (void)resolutions, (void)qualifiers;
    NO_CLOCKS(m, "fmi3GetIntervalFraction");
}

fmi3Status fmi3GetShiftDecimal(fmi3Instance instance, const fmi3ValueReference vrs[], size_t nvr, fmi3Float64 shifts[]) {
    INSTANCE(instance);
    (void)vrs, (void)nvr, (void)shifts;
    NO_CLOCKS(m, "fmi3GetShiftDecimal");
}

fmi3Status fmi3GetShiftFraction(fmi3Instance instance, const fmi3ValueReference vrs[], size_t nvr, fmi3UInt64 counters[],
                                fmi3UInt64 resolutions[]) {
    INSTANCE(instance);
    (void)vrs, (void)nvr, (void)counters, (void)resolutions;
    NO_CLOCKS(m, "fmi3GetShiftFraction");
}

fmi3Status fmi3SetIntervalDecimal(fmi3Instance instance, const fmi3ValueReference vrs[], size_t nvr, const fmi3Float64 intervals[]) {
    INSTANCE(instance);
    (void)vrs, (void)nvr, (void)intervals;
    NO_CLOCKS(m, "fmi3SetIntervalDecimal");
}

fmi3Status fmi3SetIntervalFraction(fmi3Instance instance, const fmi3ValueReference vrs[], size_t nvr, const fmi3UInt64 counters[],
                                   const fmi3UInt64 resolutions[]) {
    INSTANCE(instance);
    (void)vrs, (void)nvr, (void)counters, (void)resolutions;
    NO_CLOCKS(m, "fmi3SetIntervalFraction");
}

fmi3Status fmi3SetShiftDecimal(fmi3Instance instance, const fmi3ValueReference vrs[], size_t nvr, const fmi3Float64 shifts[]) {
    INSTANCE(instance);
    (void)vrs, (void)nvr, (void)shifts;
    NO_CLOCKS(m, "fmi3SetShiftDecimal");
}

fmi3Status fmi3SetShiftFraction(fmi3Instance instance, const fmi3ValueReference vrs[], size_t nvr, const fmi3UInt64 counters[],
                                const fmi3UInt64 resolutions[]) {
    INSTANCE(instance);
    (void)vrs, (void)nvr, (void)counters, (void)resolutions;
    NO_CLOCKS(m, "fmi3SetShiftFraction");
}

fmi3Status fmi3EvaluateDiscreteStates(fmi3Instance instance) {
    INSTANCE(instance);
    RETURN(glue_unsupported(m, "fmi3EvaluateDiscreteStates", "providesEvaluateDiscreteStates=false"));
}

fmi3Status fmi3ActivateModelPartition(fmi3Instance instance, fmi3ValueReference clockReference, fmi3Float64 activationTime) {
    INSTANCE(instance);
    (void)clockReference, (void)activationTime;
    RETURN(glue_unsupported(m, "fmi3ActivateModelPartition", "no Scheduled Execution"));
}

/* ---- event mode (ME) ---------------------------------------------------------------------- */

fmi3Status fmi3UpdateDiscreteStates(fmi3Instance instance, fmi3Boolean* discreteStatesNeedUpdate, fmi3Boolean* terminateSimulation,
                                    fmi3Boolean* nominalsOfContinuousStatesChanged, fmi3Boolean* valuesOfContinuousStatesChanged,
                                    fmi3Boolean* nextEventTimeDefined, fmi3Float64* nextEventTime) {
    INSTANCE(instance);
    EventUpdate e;
    Status st = glue_update_discrete_states(m, "fmi3UpdateDiscreteStates", &e);
    if (st != OK) RETURN(st);
    if (discreteStatesNeedUpdate) *discreteStatesNeedUpdate = e.discreteStatesNeedUpdate;
    if (terminateSimulation) *terminateSimulation = e.terminateSimulation;
    if (nominalsOfContinuousStatesChanged) *nominalsOfContinuousStatesChanged = false;
    if (valuesOfContinuousStatesChanged) *valuesOfContinuousStatesChanged = e.valuesOfContinuousStatesChanged;
    if (nextEventTimeDefined) *nextEventTimeDefined = e.nextEventTimeDefined;
    if (nextEventTime) *nextEventTime = e.nextEventTimeDefined ? e.nextEventTime : 0.0;
    return fmi3OK;
}

/* ---- model exchange ----------------------------------------------------------------------- */

fmi3Status fmi3EnterContinuousTimeMode(fmi3Instance instance) {
    INSTANCE(instance);
    RETURN(glue_enter_continuous_time_mode(m, "fmi3EnterContinuousTimeMode"));
}

fmi3Status fmi3CompletedIntegratorStep(fmi3Instance instance, fmi3Boolean noSetFMUStatePriorToCurrentPoint,
                                       fmi3Boolean* enterEventMode, fmi3Boolean* terminateSimulation) {
    INSTANCE(instance);
    (void)noSetFMUStatePriorToCurrentPoint;
    bool enter = false, terminate = false;
    Status st = glue_completed_integrator_step(m, "fmi3CompletedIntegratorStep", &enter, &terminate);
    if (enterEventMode) *enterEventMode = enter;
    if (terminateSimulation) *terminateSimulation = terminate;
    RETURN(st);
}

fmi3Status fmi3SetTime(fmi3Instance instance, fmi3Float64 time) {
    INSTANCE(instance);
    RETURN(glue_set_time(m, "fmi3SetTime", time, MODE_CONTINUOUS_TIME));
}

fmi3Status fmi3SetContinuousStates(fmi3Instance instance, const fmi3Float64 continuousStates[], size_t nContinuousStates) {
    INSTANCE(instance);
    RETURN(glue_set_continuous_states(m, "fmi3SetContinuousStates", continuousStates, nContinuousStates));
}

fmi3Status fmi3GetContinuousStateDerivatives(fmi3Instance instance, fmi3Float64 derivatives[], size_t nContinuousStates) {
    INSTANCE(instance);
    RETURN(glue_get_derivatives(m, "fmi3GetContinuousStateDerivatives", derivatives, nContinuousStates));
}

fmi3Status fmi3GetEventIndicators(fmi3Instance instance, fmi3Float64 eventIndicators[], size_t nEventIndicators) {
    INSTANCE(instance);
    RETURN(glue_get_event_indicators(m, "fmi3GetEventIndicators", eventIndicators, nEventIndicators));
}

fmi3Status fmi3GetContinuousStates(fmi3Instance instance, fmi3Float64 continuousStates[], size_t nContinuousStates) {
    INSTANCE(instance);
    RETURN(glue_get_continuous_states(m, "fmi3GetContinuousStates", continuousStates, nContinuousStates));
}

fmi3Status fmi3GetNominalsOfContinuousStates(fmi3Instance instance, fmi3Float64 nominals[], size_t nContinuousStates) {
    INSTANCE(instance);
    RETURN(glue_get_nominals(m, "fmi3GetNominalsOfContinuousStates", nominals, nContinuousStates));
}

fmi3Status fmi3GetNumberOfEventIndicators(fmi3Instance instance, size_t* nEventIndicators) {
    INSTANCE(instance);
    if (glue_check_mode(m, "fmi3GetNumberOfEventIndicators", MASK_ANY_ALIVE) != OK) return fmi3Error;
    if (nEventIndicators) *nEventIndicators = N_EVENT_INDICATORS;
    return fmi3OK;
}

fmi3Status fmi3GetNumberOfContinuousStates(fmi3Instance instance, size_t* nContinuousStates) {
    INSTANCE(instance);
    if (glue_check_mode(m, "fmi3GetNumberOfContinuousStates", MASK_ANY_ALIVE) != OK) return fmi3Error;
    if (nContinuousStates) *nContinuousStates = N_STATES;
    return fmi3OK;
}

/* ---- co-simulation ------------------------------------------------------------------------ */

fmi3Status fmi3EnterStepMode(fmi3Instance instance) {
    INSTANCE(instance);
    /* Only reachable from Event Mode of a CS instance, which needs hasEventMode=true. */
    RETURN(glue_unsupported(m, "fmi3EnterStepMode", "hasEventMode=false, so Co-Simulation never enters Event Mode"));
}

fmi3Status fmi3GetOutputDerivatives(fmi3Instance instance, const fmi3ValueReference vrs[], size_t nvr, const fmi3Int32 orders[],
                                    fmi3Float64 values[], size_t nValues) {
    INSTANCE(instance);
    (void)vrs, (void)nvr, (void)orders, (void)values, (void)nValues;
    RETURN(glue_unsupported(m, "fmi3GetOutputDerivatives", "maxOutputDerivativeOrder=0"));
}

fmi3Status fmi3DoStep(fmi3Instance instance, fmi3Float64 currentCommunicationPoint, fmi3Float64 communicationStepSize,
                      fmi3Boolean noSetFMUStatePriorToCurrentPoint, fmi3Boolean* eventHandlingNeeded,
                      fmi3Boolean* terminateSimulation, fmi3Boolean* earlyReturn, fmi3Float64* lastSuccessfulTime) {
    INSTANCE(instance);
    (void)noSetFMUStatePriorToCurrentPoint;
    bool early = false, terminate = false;
    double last = 0.0;
    Status st = glue_do_step(m, "fmi3DoStep", currentCommunicationPoint, communicationStepSize, &early, &last, &terminate);
    if (eventHandlingNeeded) *eventHandlingNeeded = false; /* events are handled inside doStep */
    if (terminateSimulation) *terminateSimulation = terminate;
    if (earlyReturn) *earlyReturn = early;
    if (lastSuccessfulTime) *lastSuccessfulTime = last;
    RETURN(st);
}
