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
  int64_t deadline_ms; /* monotonic */
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
};

struct ar_http_response {
  long status;
  char *body; /* NUL-terminated, NULL for an empty body */
  size_t body_len;
  char *location;
  char *content_digest; /* Docker-Content-Digest */
  char *link;
};

/* `base_url` is scheme://host[:port]; the log must outlive the client. */
struct ar_http_client *ar_http_client_new(const char *base_url,
                                          const struct ar_transport_options *o,
                                          const struct ar_log *log);
void ar_http_client_free(struct ar_http_client *c);
const char *ar_http_client_base(const struct ar_http_client *c);
const struct ar_log *ar_http_client_log(const struct ar_http_client *c);

/* Borrows a handle for one operation and starts its deadline. */
ar_error *ar_http_session_begin(struct ar_http_client *c,
                                struct ar_http_session *s);
void ar_http_session_end(struct ar_http_session *s);

/* Sends one request (retrying as described above). Any HTTP status is a
 * success here; transport failures come back as GENERIC_ERROR. */
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
