/*
 * glue.h - the FMI-version-neutral core of the glue (core.c), used by fmi2.c and fmi3.c.
 *
 * Every function takes the name of the FMI function being served (fn) for log messages, checks
 * the state machine first and returns a Status. Any Error puts the instance into MODE_ERROR
 * (FMI 3: "if any function returns Error the FMU enters state Terminated"; here that state is
 * called Error so that messages say why). See fmus/README.md for the state machine table.
 */
#ifndef COSIM_GLUE_H
#define COSIM_GLUE_H

#include "model.h"

/* Accuracy of state-event location inside doStep [s]. */
#define EVENT_TOLERANCE 1e-10

/* Allowed-state masks shared by both FMI versions. */
#define MASK_ANY_ALIVE (MODE_INSTANTIATED | MODE_INITIALIZATION | MODE_EVENT | MODE_CONTINUOUS_TIME | MODE_STEP | MODE_TERMINATED | MODE_ERROR)
#define MASK_GET (MASK_ANY_ALIVE)
#define MASK_SET (MODE_INSTANTIATED | MODE_INITIALIZATION | MODE_EVENT | MODE_CONTINUOUS_TIME | MODE_STEP)
#define MASK_FMU_STATE (MASK_ANY_ALIVE)
#define MASK_ME_READ (MODE_INITIALIZATION | MODE_EVENT | MODE_CONTINUOUS_TIME | MODE_TERMINATED | MODE_ERROR)

const char* glue_mode_name(Mode mode);

/* Puts the instance into MODE_ERROR (remembering the previous mode) and returns Error. */
Status glue_enter_error(ModelInstance* m);

/* Logs "<fn>: <message>" with status Error and returns glue_enter_error(m). */
#define FAIL(m, fn, fmt, ...)                                                               \
    do {                                                                                    \
        LOG((m), Error, LOG_STATUS_ERROR, "%s: " fmt, (fn), ##__VA_ARGS__);                 \
        return glue_enter_error(m);                                                         \
    } while (0)

/* Returns Error (and logs which state it is in) unless the instance's mode is in mask. */
#define CHECK_MODE(m, fn, mask)                                                             \
    do {                                                                                    \
        if (!((m)->s.mode & (mask)))                                                        \
            FAIL((m), (fn), "not allowed in state %s", glue_mode_name((m)->s.mode));        \
    } while (0)

/* Function form of CHECK_MODE for callers that do not return a Status. */
Status glue_check_mode(ModelInstance* m, const char* fn, unsigned mask);

/* lifecycle */
ModelInstance* glue_instantiate(const char* fn, const char* instanceName, InterfaceType type, int fmiVersion,
                                const char* token, void* environment, void (*logFn)(void),
                                void* (*allocFn)(size_t, size_t), void (*freeFn)(void*), bool loggingOn);
void glue_free_instance(ModelInstance* m);
Status glue_set_debug_logging(ModelInstance* m, const char* fn, bool loggingOn, size_t n, const char* const categories[]);
Status glue_setup_experiment(ModelInstance* m, const char* fn, bool toleranceDefined, double tolerance,
                             double startTime, bool stopTimeDefined, double stopTime);
Status glue_enter_initialization_mode(ModelInstance* m, const char* fn);
Status glue_exit_initialization_mode(ModelInstance* m, const char* fn);
Status glue_terminate(ModelInstance* m, const char* fn);
Status glue_reset(ModelInstance* m, const char* fn);
/* Directional derivative sum_k d(unknown_i)/d(known_k) * seed_k (MODEL_HAS_PARTIALS; else not supported). */
Status glue_directional_derivative(ModelInstance* m, const char* fn, const unsigned unknowns[], size_t nUnknowns,
                                   const unsigned knowns[], size_t nKnowns, const double seed[], size_t nSeed,
                                   double sensitivity[], size_t nSensitivity);

/* values: prepare once per batch, then one call per value reference */
Status glue_prepare_get(ModelInstance* m, const char* fn);
Status glue_get_value(ModelInstance* m, const char* fn, unsigned vr, VarType type, Value* value);
Status glue_prepare_set(ModelInstance* m, const char* fn);
Status glue_set_value(ModelInstance* m, const char* fn, unsigned vr, VarType type, Value value);
/* for types no model uses: OK when n == 0, else Error naming the first value reference */
Status glue_no_variables_of_type(ModelInstance* m, const char* fn, const char* typeName, const unsigned* vrs, size_t n);
Status glue_unsupported(ModelInstance* m, const char* fn, const char* why);

/* FMU state (compiled in, but only exported by fmi2.c/fmi3.c when MODEL_HAS_FMU_STATE) */
Status glue_get_fmu_state(ModelInstance* m, const char* fn, void** state);
Status glue_set_fmu_state(ModelInstance* m, const char* fn, const void* state);
Status glue_free_fmu_state(ModelInstance* m, const char* fn, void** state);
Status glue_serialized_size(ModelInstance* m, const char* fn, const void* state, size_t* size);
Status glue_serialize(ModelInstance* m, const char* fn, const void* state, unsigned char* buffer, size_t size);
Status glue_deserialize(ModelInstance* m, const char* fn, const unsigned char* buffer, size_t size, void** state);

/* model exchange */
Status glue_set_time(ModelInstance* m, const char* fn, double time, unsigned allowedModes);
Status glue_set_continuous_states(ModelInstance* m, const char* fn, const double x[], size_t nx);
Status glue_get_derivatives(ModelInstance* m, const char* fn, double dx[], size_t nx);
Status glue_get_event_indicators(ModelInstance* m, const char* fn, double z[], size_t nz);
Status glue_get_continuous_states(ModelInstance* m, const char* fn, double x[], size_t nx);
Status glue_get_nominals(ModelInstance* m, const char* fn, double nominals[], size_t nx);
Status glue_enter_event_mode(ModelInstance* m, const char* fn);
Status glue_update_discrete_states(ModelInstance* m, const char* fn, EventUpdate* e);
Status glue_enter_continuous_time_mode(ModelInstance* m, const char* fn);
Status glue_completed_integrator_step(ModelInstance* m, const char* fn, bool* enterEventMode, bool* terminate);

/* co-simulation */
Status glue_do_step(ModelInstance* m, const char* fn, double t, double h, bool* earlyReturn,
                    double* lastSuccessfulTime, bool* terminate);

#endif
