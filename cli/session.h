/* `alien-ar session`: a long-lived host speaking JSON lines on stdin and
 * stdout. The protocol is in cli_session_help. */
#ifndef ALIEN_AR_CLI_SESSION_H
#define ALIEN_AR_CLI_SESSION_H

#include <stdio.h>

#include "cli.h"

/* Longest request line; a longer one gets an INVALID_INPUT response. */
#define SESSION_LINE_MAX (1024 * 1024)

struct session;

int cmd_session(struct cli_ctx *ctx);

/* Answers one request line (`len` bytes, no newline; `too_long` when the
 * reader had to cut it) on `out`, exactly as the read loop does. 0, or -1
 * when writing to `out` failed. Separate from the loop so the fuzzer can
 * drive it. */
int session_serve_line(struct session *s, const char *line, size_t len,
                       int too_long, FILE *out);

extern const char cli_session_help[];

#endif
