/* The one JSON document on stdout, and errors as alien error JSON on the
 * last line of stderr. Each function returns the process exit status. */
#ifndef ALIEN_AR_CLI_OUTPUT_H
#define ALIEN_AR_CLI_OUTPUT_H

#include <json-c/json.h>

#include "cli.h"

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

/* Prints one of the CLI's own errors. Takes ownership of `context` and
 * `pattern` (both may be NULL); `http_status` 0 leaves the key out. */
int cli_report_error(int exit_code, const char *code, const char *message,
                     json_object *context, int http_status,
                     json_object *pattern);

/* printf into a malloc()ed string (NULL when out of memory). */
char *cli_strdupf(const char *fmt, ...)
  __attribute__((format(printf, 1, 2)));

#endif
