/* The registry commands' own errors, printed in alien's error shape as
 * the last line of stderr. Each returns the exit status. Codes:
 *
 *   INVALID_REGISTRY_ID      5  the id is not [a-z0-9][a-z0-9._-]{0,63}
 *   REGISTRY_NOT_RUNNING     3  binding of a registry that is not running
 *   REGISTRY_NOT_ANSWERING   1  its process lives but GET /v2/ fails
 *   REGISTRY_BINARY_MISSING  1  no docker-registry in PATH
 *   REGISTRY_START_FAILED    1  the server exited or never answered
 *   REGISTRY_STOP_FAILED     1  the server survived SIGTERM and SIGKILL
 *   REGISTRY_STATE_ERROR     1  the state directory could not be used
 */
#ifndef ALIEN_AR_CLI_REGISTRY_ERROR_H
#define ALIEN_AR_CLI_REGISTRY_ERROR_H

#include <json-c/json.h>
#include <sys/types.h>

int reg_fail_invalid_id(const char *id);

int reg_fail_not_running(const char *id, const char *dir);

int reg_fail_not_answering(const char *id, pid_t pid, int port);

int reg_fail_binary_missing(void);

/* `reason` says what went wrong; `log` is the registry log's path and
 * `log_tail` its last lines (either may be NULL). */
int reg_fail_start(const char *id, const char *reason, const char *log,
                   const char *log_tail);

int reg_fail_stop(const char *id, pid_t pid, int err);

/* `what` describes the failed step; `path` (may be NULL) the file or
 * directory; `err` an errno value or 0. */
int reg_fail_state(const char *id, const char *path, const char *what,
                   int err);

#endif
