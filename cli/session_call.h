/* The `call` op: one method of alien's ArtifactRegistry trait, by its
 * camelCase name, on an open handle. Results are the JSON the one-shot
 * commands print. */
#ifndef ALIEN_AR_CLI_SESSION_CALL_H
#define ALIEN_AR_CLI_SESSION_CALL_H

#include <json-c/json.h>

#include "session_host.h"
#include "session_reply.h"

/* `args` is the request's "args" object (NULL when absent). */
void session_call(const struct session_handle *sh, const char *method,
                  json_object *args, struct session_reply *r);

#endif
