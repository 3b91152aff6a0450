/* The `local` backend: alien's LocalArtifactRegistry, a client of an
 * anonymous OCI registry on this machine (contract section 0). */
#ifndef AR_BACKENDS_LOCAL_H
#define AR_BACKENDS_LOCAL_H

#include "backends/backend.h"

extern const struct ar_backend ar_local_backend;

#endif
