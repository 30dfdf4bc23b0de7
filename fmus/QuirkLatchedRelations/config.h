/* QuirkLatchedRelations: DiodeBridge's circuit in an FMU whose model-exchange event update decides on the event
 * indicators of the importer's last fmi*GetEventIndicators call, as MapleSim-exported FMUs do (see readme.md). */
#ifndef QUIRKLATCHEDRELATIONS_CONFIG_H
#define QUIRKLATCHEDRELATIONS_CONFIG_H

#include "../DiodeBridge/config.h"

/* Same variables, parameters, defaults and physics; only the identity and the latched relations differ. */
#undef MODEL_NAME
#undef MODEL_DESCRIPTION
#undef INSTANTIATION_TOKEN
#define MODEL_NAME "QuirkLatchedRelations"
#define MODEL_DESCRIPTION "DiodeBridge whose event update uses the event indicators last read by the importer (exporter quirk)"
#define INSTANTIATION_TOKEN "{8e41d0b6-27c9-4f35-b3a2-5d9c0e6f1a47}"

#define MODEL_LATCHED_RELATIONS 1

#endif
