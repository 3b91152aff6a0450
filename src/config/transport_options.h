/* The project's own binding keys for timeouts and retries, shared by every
 * backend that talks HTTP. All are optional; alien ignores them. */
#ifndef AR_CONFIG_TRANSPORT_OPTIONS_H
#define AR_CONFIG_TRANSPORT_OPTIONS_H

#include <json-c/json.h>

#include "error/error.h"

struct ar_transport_options {
  long connect_timeout_ms;   /* connectTimeoutMs, default 5000 */
  long request_timeout_ms;   /* requestTimeoutMs, default 30000 */
  long operation_timeout_ms; /* operationTimeoutMs, default 60000 */
  long max_retries;          /* maxRetries, default 2 */
};

void ar_transport_options_default(struct ar_transport_options *o);
/* Reads the keys present in `root` over the defaults; a wrong type or range
 * is BINDING_CONFIG_INVALID naming the key. */
ar_error *ar_transport_options_parse(const char *binding_name,
                                     json_object *root,
                                     struct ar_transport_options *o);

#endif
