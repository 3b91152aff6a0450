/* Finding, loading and negotiating with the plugin, the way any host
 * does: dlopen, dlsym of the entry symbol, then the table only. */
#ifndef ALIEN_AR_CLI_PLUGIN_H
#define ALIEN_AR_CLI_PLUGIN_H

#include <stddef.h>

#include "cli.h"

enum cli_load {
  CLI_LOAD_OK,
  CLI_LOAD_FAILED,     /* dlopen or dlsym failed */
  CLI_LOAD_ABI         /* negotiation failed or the table is unusable */
};

/* --plugin, else $ALIEN_AR_PLUGIN, else the install location. */
const char *cli_plugin_path(const char *option);

/* On failure *why receives a malloc()ed explanation (may be NULL when out
 * of memory); the caller frees it. */
enum cli_load cli_plugin_load(struct cli_plugin *p, const char *path,
                              char **why);

/* The error JSON text for a failed load (malloc()ed, NULL when out of
 * memory); *exit_code receives the exit status it stands for. */
char *cli_plugin_error_json(enum cli_load result, const char *path,
                            const char *why, int *exit_code);

/* Prints the error for a failed load; returns the exit status. */
int cli_plugin_report(enum cli_load result, const char *path,
                      const char *why);

void cli_plugin_unload(struct cli_plugin *p);

#endif
