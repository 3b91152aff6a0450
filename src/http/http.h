/* HTTP transport over libcurl, built for many calls on one handle:
 *
 *  - a client owns a pool of curl easy handles; an operation borrows one for
 *    its whole duration (a "session"), so connections stay alive across
 *    calls and each concurrently running thread has its own connection;
 *    the pool lock is held only to push or pop a handle, never across I/O;
 *  - DNS results are shared between the handles of a client;
 *  - every request has connect and total timeouts bounded by the session's
 *    deadline; idempotent requests are retried on connection failures, 429
 *    and 503 with exponential backoff, jitter and Retry-After.
 */
#ifndef AR_HTTP_H
#define AR_HTTP_H

#include <stddef.h>
#include <stdint.h>

#include "config/transport_options.h"
#include "error/error.h"
#include "log/log.h"

struct ar_http_client;

struct ar_http_session {
  struct ar_http_client *client;
  void *easy;
  const char *operation; /* the ABI call this session serves, for errors */
  int64_t deadline_ms;   /* monotonic */
  unsigned int jitter_state;
  unsigned int requests; /* requests sent in this session, retries included */
};

struct ar_http_request {
  const char *method; /* GET, HEAD, PUT, POST, DELETE */
  const char *url;    /* absolute */
  const char *accept; /* NULL for none */
  const char *content_type;
  const void *body;
  size_t body_len;
  int idempotent; /* may be re-sent after a failure mid-request */
  /* Token scopes the request needs, space-separated
   * ("repository:a/b:pull,push repository:a/c:pull"), or NULL. */
  const char *scope;
  /* An explicit Authorization value; the auth hook is not consulted. */
  const char *authorization;
  int no_auth; /* never consult the auth hook (token requests) */
};

/* What a backend with credentials plugs into the transport. Both functions
 * run on the calling thread, inside ar_http_perform. */
enum ar_http_auth_verdict {
  AR_AUTH_RETRY,  /* new credentials are ready: send the request again */
  AR_AUTH_REFUSED /* *err holds the error to return */
};
struct ar_http_auth {
  /* The Authorization header value for `rq` (malloc'd), or NULL for none. */
  char *(*authorization)(void *ctx, const struct ar_http_request *rq);
  /* Called on a 401. `challenge` is the WWW-Authenticate value (NULL when
   * absent); `had_auth` tells whether the refused request carried
   * credentials; `round` counts the 401s this request already answered.
   * May send requests of its own on `s` (no_auth ones). */
  enum ar_http_auth_verdict (*challenge)(void *ctx, struct ar_http_session *s,
                                         const struct ar_http_request *rq,
                                         const char *challenge, int had_auth,
                                         unsigned int round, ar_error **err);
  /* Masks every secret the hook knows (password, Basic value, tokens)
   * inside `text`, in place. May be NULL. */
  void (*redact)(void *ctx, char *text);
  void *ctx;
};

struct ar_http_config {
  const char *base_url; /* scheme://host[:port] */
  const struct ar_transport_options *options;
  const struct ar_log *log; /* must outlive the client */
  const char *ca_file;      /* PEM bundle for TLS, NULL for the system's */
  int insecure_tls;         /* skip certificate verification */
  const struct ar_http_auth *auth; /* NULL for anonymous; must outlive */
};

struct ar_http_response {
  long status;
  char *body; /* NUL-terminated, NULL for an empty body */
  size_t body_len;
  char *location;
  char *content_digest; /* Docker-Content-Digest */
  char *link;
  char *challenge; /* WWW-Authenticate of a 401 */
};

struct ar_http_client *ar_http_client_new(const struct ar_http_config *cfg);
void ar_http_client_free(struct ar_http_client *c);
const char *ar_http_client_base(const struct ar_http_client *c);
const struct ar_log *ar_http_client_log(const struct ar_http_client *c);
/* Masks the client's secrets in `text` (in place), so text a registry
 * echoed back (an error body quoting the Authorization header) never
 * carries them into an error or a log. */
void ar_http_redact(const struct ar_http_client *c, char *text);

/* Milliseconds a Retry-After header asks for (delta-seconds, 0..3600), or
 * -1 for anything else (HTTP-dates fall back to exponential backoff). */
long ar_http_parse_retry_after(const char *value);
/* 1 when the client may send credentials to `url`: https, or plain http
 * to a loopback host. */
int ar_http_url_may_carry_secrets(const char *url);

/* Borrows a handle for one operation (`operation` names the ABI call in
 * errors; static string) and starts its deadline. */
ar_error *ar_http_session_begin(struct ar_http_client *c,
                                struct ar_http_session *s,
                                const char *operation);
void ar_http_session_end(struct ar_http_session *s);

/* Sends one request (retrying as described above; answering a 401 through
 * the auth hook). Any HTTP status is a success here; transport failures
 * come back as GENERIC_ERROR, refused credentials as the hook's error. */
ar_error *ar_http_perform(struct ar_http_session *s,
                          const struct ar_http_request *rq,
                          struct ar_http_response *rs);
void ar_http_response_free(struct ar_http_response *rs);

/* Resolves a Location header (absolute or relative) against the URL of the
 * request that returned it, appends `query` (e.g. "digest=sha256:...",
 * NULL for none) to the query it already has, and refuses a URL that leaves
 * the registry's origin (scheme, host and port): credentials and uploads
 * never go anywhere else. Returns a malloc'd URL, or NULL with *err set. */
char *ar_http_resolve_location(const struct ar_http_client *c,
                               const char *request_url, const char *location,
                               const char *query, ar_error **err);

#endif
