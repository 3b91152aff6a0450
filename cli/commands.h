/* The run functions of the command table (dispatch.c). Each prints its
 * result or error and returns the exit status. */
#ifndef ALIEN_AR_CLI_COMMANDS_H
#define ALIEN_AR_CLI_COMMANDS_H

#include "cli.h"

int cmd_backends(struct cli_ctx *ctx);
int cmd_endpoint(struct cli_ctx *ctx);
int cmd_prefix(struct cli_ctx *ctx);
int cmd_create(struct cli_ctx *ctx);
int cmd_get(struct cli_ctx *ctx);
int cmd_delete(struct cli_ctx *ctx);
int cmd_credentials(struct cli_ctx *ctx);
int cmd_cross_account_get(struct cli_ctx *ctx);
int cmd_cross_account_add(struct cli_ctx *ctx);
int cmd_cross_account_remove(struct cli_ctx *ctx);

#endif
