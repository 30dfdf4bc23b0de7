/* QuirkEventEveryStep: MassSpringDamper's equations in an FMU that asks for event mode after every
 * completed integrator step (needsCompletedIntegratorStep = true), as some commercial exporters do. */
#ifndef QUIRKEVENTEVERYSTEP_CONFIG_H
#define QUIRKEVENTEVERYSTEP_CONFIG_H

#include "../MassSpringDamper/config.h"

/* Same variables, parameters, defaults and physics; only the identity and the step events differ. */
#undef MODEL_NAME
#undef MODEL_DESCRIPTION
#undef INSTANTIATION_TOKEN
#define MODEL_NAME "QuirkEventEveryStep"
#define MODEL_DESCRIPTION "MassSpringDamper that requests event mode after every completed integrator step (exporter quirk)"
#define INSTANTIATION_TOKEN "{6c0f3f0e-5d55-4a8e-9b0c-2a7d1e4f9b31}"

#define MODEL_NEEDS_COMPLETED_INTEGRATOR_STEP 1
#define MODEL_STEP_EVENT_EVERY_STEP 1

#endif
