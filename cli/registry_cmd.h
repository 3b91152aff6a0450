/* `alien-ar registry ...`: local registries (docker-registry on
 * 127.0.0.1) that outlive alien-ar, one per id under a data directory. */
#ifndef ALIEN_AR_CLI_REGISTRY_CMD_H
#define ALIEN_AR_CLI_REGISTRY_CMD_H

#include "cli.h"

int cmd_registry_start(struct cli_ctx *ctx);
int cmd_registry_stop(struct cli_ctx *ctx);
int cmd_registry_status(struct cli_ctx *ctx);
int cmd_registry_binding(struct cli_ctx *ctx);
int cmd_registry_list(struct cli_ctx *ctx);
int cmd_registry_purge(struct cli_ctx *ctx);

/* `alien-ar registry --help`. */
extern const char cli_registry_help[];

#endif
