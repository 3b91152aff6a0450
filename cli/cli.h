/* Types shared by the alien-ar source files. */
#ifndef ALIEN_AR_CLI_H
#define ALIEN_AR_CLI_H

#include <stdint.h>

#include <alien/artifact_registry.h>

#ifndef ALIEN_AR_VERSION
#define ALIEN_AR_VERSION "0.0.0"
#endif
#ifndef ALIEN_AR_DEFAULT_PLUGIN
#define ALIEN_AR_DEFAULT_PLUGIN \
  "/usr/local/lib/alien/plugins/alien-artifact-registry.so"
#endif

/* Exit statuses; part of the CLI contract, see the usage text. */
enum cli_exit {
  CLI_EXIT_OK = 0,
  CLI_EXIT_FAILURE = 1,
  CLI_EXIT_USAGE = 2,
  CLI_EXIT_NOT_FOUND = 3,
  CLI_EXIT_NOT_SUPPORTED = 4,
  CLI_EXIT_INVALID = 5,
  CLI_EXIT_PLUGIN = 6
};

/* Everything the command line said, after parsing. Strings point into
 * argv. */
struct cli_options {
  const char *plugin_path;     /* --plugin, or NULL */
  const char *binding;         /* --binding, or NULL */
  const char *config;          /* --config, or NULL */
  const char *data_dir;        /* --data-dir, or NULL */
  int help;
  int version;
  int32_t permissions;         /* ALIEN_AR_PERMISSIONS_*, or 0 if unset */
  int64_t ttl_seconds;         /* ALIEN_AR_TTL_NONE if unset */
  const struct cli_command *command;
  char **args;                 /* the command's positional arguments */
  int nargs;
  char **words;                /* every non-option argument (owned) */
};

/* A loaded plugin: dlopen handle plus the negotiated table. */
struct cli_plugin {
  void *dl;
  const struct alien_ar_plugin *table;
  uint32_t agreed_minor;
  const char *path;
};

/* State handed to a command's run function. `plugin` is loaded when the
 * command asked for it; `handle` is open when it asked for a binding. */
struct cli_ctx {
  const struct cli_options *opts;
  struct cli_plugin plugin;
  struct alien_ar_host host;
  alien_ar_handle *handle;
};

#endif
