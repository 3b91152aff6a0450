/* The `oci` backend: any OCI registry over TLS (or loopback HTTP) with
 * anonymous, Basic or token auth. Same operations and routable-name
 * contract as `local`, with `namespace` (default: the binding name) as the
 * first path segment. */
#ifndef AR_BACKENDS_OCI_H
#define AR_BACKENDS_OCI_H

#include "backends/backend.h"

extern const struct ar_backend ar_oci_backend;

#endif
