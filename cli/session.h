/* `alien-ar session`: a long-lived host speaking JSON lines on stdin and
 * stdout. The protocol is in cli_session_help. */
#ifndef ALIEN_AR_CLI_SESSION_H
#define ALIEN_AR_CLI_SESSION_H

#include "cli.h"

/* Longest request line; a longer one gets an INVALID_INPUT response. */
#define SESSION_LINE_MAX (1024 * 1024)

int cmd_session(struct cli_ctx *ctx);

extern const char cli_session_help[];

#endif
