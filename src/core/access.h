/* alien's CrossAccountAccess as JSON, validated the way serde would
 * deserialise it, so a backend only ever sees well-formed input. */
#ifndef AR_CORE_ACCESS_H
#define AR_CORE_ACCESS_H

#include "error/error.h"

/* NULL when `access_json` is a valid CrossAccountAccess; otherwise
 * INVALID_INPUT for `operation` naming what is wrong. */
ar_error *ar_access_validate(const char *operation, const char *access_json);

#endif
