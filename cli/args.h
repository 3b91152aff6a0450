/* Command line parsing and the usage text. */
#ifndef ALIEN_AR_CLI_ARGS_H
#define ALIEN_AR_CLI_ARGS_H

#include <stdio.h>

#include "cli.h"

/* Fills *o from argv. Returns CLI_EXIT_OK, or prints a usage error to
 * stderr and returns CLI_EXIT_USAGE. When --help or --version is given
 * they win over any other problem and no command is required. Release
 * with cli_options_free() either way. */
int cli_parse_args(int argc, char **argv, struct cli_options *o);

void cli_options_free(struct cli_options *o);

void cli_usage(FILE *out);

/* --help: the command's own text when the first word names a command that
 * has one (`alien-ar session --help`), else the usage text. */
void cli_help(FILE *out, const struct cli_options *o);

#endif
