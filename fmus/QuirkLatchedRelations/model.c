/* QuirkLatchedRelations equations: exactly DiodeBridge's (the same source file); the glue switch
 * MODEL_LATCHED_RELATIONS makes the event update see the indicators the importer read last. */
#include "../DiodeBridge/model.c"
