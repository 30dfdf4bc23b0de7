/* QuirkEventEveryStep equations: exactly MassSpringDamper's (the same source file), so that a run of
 * the two archives compares the same physics with and without the step-event request. Its event
 * update changes nothing (no discrete or continuous state), as the quirky exporters' updates do. */
#include "../MassSpringDamper/model.c"
