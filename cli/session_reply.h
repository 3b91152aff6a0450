/* One response line of `alien-ar session`:
 *   {"id":ID,"ok":true,"result":R}
 *   {"id":ID,"ok":false,"error":ALIEN_ERROR_JSON}
 * written whole and flushed at once. */
#ifndef ALIEN_AR_CLI_SESSION_REPLY_H
#define ALIEN_AR_CLI_SESSION_REPLY_H

#include <stdio.h>

/* What an op produced: exactly one of result and error (JSON texts,
 * malloc()ed), or neither when memory ran out. */
struct session_reply {
  char *result;
  char *error;
  int secret;   /* the result holds a password: wipe it after writing */
};

/* Sets r->result to a copy of `json`. */
void session_reply_result(struct session_reply *r, const char *json);

/* Sets r->error to alien's INVALID_INPUT error:
 * "OP: Invalid input - DETAILS", context {operation_context, details,
 * field_name}, HTTP 400. `field` may be NULL. */
void session_reply_invalid(struct session_reply *r, const char *op,
                           const char *field, const char *fmt, ...)
  __attribute__((format(printf, 4, 5)));

/* Writes the line for request id `id_json` (JSON text; "null" when the
 * request had none) and flushes; frees the reply. 0, or -1 when `out`
 * failed. */
int session_reply_write(FILE *out, const char *id_json,
                        struct session_reply *r);

#endif
