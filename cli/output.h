/* The one JSON document on stdout, and errors as alien error JSON on the
 * last line of stderr. Each function returns the process exit status. */
#ifndef ALIEN_AR_CLI_OUTPUT_H
#define ALIEN_AR_CLI_OUTPUT_H

#include <json-c/json.h>

#include "cli.h"

/* Compact, no "\/" escaping: how alien-ar writes every JSON text. */
#define CLI_JSON_FLAGS \
  (JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE)

/* The error line printed when not even an error object can be built. */
#define CLI_OOM_ERROR_JSON                                             \
  "{\"code\":\"OUT_OF_MEMORY\",\"message\":\"Out of memory\","           \
  "\"retryable\":false,\"internal\":false}"

/* Prints `obj` compactly (no slash escaping) and releases it. */
int cli_print_json(json_object *obj);

/* Prints JSON text the plugin produced, unchanged. */
int cli_print_raw(const char *json);

int cli_exit_for_status(alien_ar_status status);

/* Prints a plugin error (or, when `err` is NULL, one made from `status`),
 * frees it through the table and maps `status` to the exit status. */
int cli_report_plugin_error(const struct alien_ar_plugin *table,
                            alien_ar_status status,
                            struct alien_ar_error *err);

/* One of the CLI's own errors as alien's error JSON text (malloc()ed;
 * NULL when out of memory). Takes ownership of `context` and `pattern`
 * (both may be NULL); `http_status` 0 leaves the key out. */
char *cli_error_json(const char *code, const char *message,
                     json_object *context, int http_status,
                     json_object *pattern);

/* The JSON text of a plugin error (or, when `err` is NULL, of one made
 * from `status`), malloc()ed, NULL when out of memory. Frees `err`
 * through the table. */
char *cli_plugin_error_text(const struct alien_ar_plugin *table,
                            alien_ar_status status,
                            struct alien_ar_error *err);

/* Prints cli_error_json(...) as the last line of stderr and returns
 * `exit_code`. */
int cli_report_error(int exit_code, const char *code, const char *message,
                     json_object *context, int http_status,
                     json_object *pattern);

/* printf into a malloc()ed string (NULL when out of memory). */
char *cli_strdupf(const char *fmt, ...)
  __attribute__((format(printf, 1, 2)));

#endif
