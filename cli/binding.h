/* Resolving a binding's config (--config or ALIEN_<NAME>_BINDING) and
 * opening a handle for it. */
#ifndef ALIEN_AR_CLI_BINDING_H
#define ALIEN_AR_CLI_BINDING_H

#include "cli.h"

/* "ALIEN_" + NAME upper-cased with '-' as '_' + "_BINDING", malloc()ed. */
char *cli_binding_env_var(const char *binding);

/* Opens ctx->handle; on failure prints the error and returns the exit
 * status. */
int cli_binding_open(struct cli_ctx *ctx);

#endif
