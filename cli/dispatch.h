/* The command table: one row per command line verb. To add a command,
 * write its run function and add a row; usage text and argument checks
 * follow from the row. */
#ifndef ALIEN_AR_CLI_DISPATCH_H
#define ALIEN_AR_CLI_DISPATCH_H

#include <stddef.h>

#include "cli.h"

/* The plugin is loaded before run() is called. */
#define CLI_NEEDS_PLUGIN 0x1u
/* --binding is required and ctx->handle is open before run() (implies
 * CLI_NEEDS_PLUGIN). */
#define CLI_NEEDS_BINDING 0x2u
/* Accepts --permissions and --ttl. */
#define CLI_CREDENTIAL_OPTIONS 0x4u
/* Accepts --data-dir (the registry commands). */
#define CLI_DATA_DIR_OPTION 0x8u

struct cli_command {
  const char *name;      /* first word, e.g. "cross-account" */
  const char *sub;       /* second word, e.g. "get", or NULL */
  const char *synopsis;  /* arguments and options, for the usage text */
  const char *summary;   /* one short line for the usage text */
  int min_args;          /* positional arguments after the word(s) */
  int max_args;
  unsigned flags;        /* CLI_NEEDS_*, CLI_*_OPTION(S) */
  int (*run)(struct cli_ctx *ctx);
  const char *help;      /* `alien-ar WORD --help` text, or NULL for the
                            general usage */
};

extern const struct cli_command cli_commands[];
extern const size_t cli_command_count;

/* Finds the row for words[0] (and words[1] for two-word commands); sets
 * *used to the number of words it consumed. NULL when none matches. */
const struct cli_command *cli_command_find(char **words, int nwords,
                                           int *used);

/* Loads the plugin and opens the binding as the row asks, runs the
 * command and releases everything. Returns the exit status. */
int cli_dispatch(const struct cli_options *opts);

#endif
