/* Registry authentication for a handle: anonymous, HTTP Basic, or the
 * Bearer token flow of the distribution token spec. Plugs into the
 * transport as its ar_http_auth hook. Thread-safe: one ar_auth serves every
 * thread of a handle; tokens are cached per scope until shortly before
 * they expire. Credentials go only to the registry (whose origin the
 * transport pins) and to the token realm it names, never over plain HTTP
 * to a non-loopback host, and never into logs or errors. */
#ifndef AR_AUTH_AUTH_H
#define AR_AUTH_AUTH_H

#include <time.h>

#include "http/http.h"

struct ar_auth;

enum ar_auth_scheme {
  AR_SCHEME_UNKNOWN,
  AR_SCHEME_NONE,  /* the registry answers anonymously */
  AR_SCHEME_BASIC,
  AR_SCHEME_BEARER
};

/* `username`/`password` may both be NULL (anonymous); they are copied. */
struct ar_auth *ar_auth_new(const char *username, const char *password,
                            const struct ar_log *log);
void ar_auth_free(struct ar_auth *a);
const struct ar_http_auth *ar_auth_hook(struct ar_auth *a);

/* The scheme the registry uses, asking it (GET /v2/) on first need. */
ar_error *ar_auth_scheme(struct ar_auth *a, struct ar_http_session *s,
                         enum ar_auth_scheme *scheme);

/* A fresh token for `scope` (malloc'd, a secret) and its wall-clock
 * expiry. Only valid after ar_auth_scheme said AR_SCHEME_BEARER. */
ar_error *ar_auth_issue_token(struct ar_auth *a, struct ar_http_session *s,
                              const char *scope, char **token,
                              time_t *expires_at);

/* The configured user name and password (borrowed; NULL when anonymous). */
const char *ar_auth_username(const struct ar_auth *a);
const char *ar_auth_password(const struct ar_auth *a);

#endif
