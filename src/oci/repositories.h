/* Repository operations on an OCI registry, shared by the backends: a
 * repository is PREFIX/LOGICAL (PREFIX is the binding name for `local`, the
 * namespace for `oci`), and create / get / delete behave as alien's
 * LocalArtifactRegistry does, with the fixes the README lists. */
#ifndef AR_OCI_REPOSITORIES_H
#define AR_OCI_REPOSITORIES_H

#include <pthread.h>

#include "config/endpoint.h"
#include "http/http.h"

struct ar_repos {
  char *prefix;
  const struct ar_endpoint *endpoint;
  struct ar_http_client *http;
  const struct ar_log *log;
  /* A repository of this handle known to hold the marker config blob, so
   * the next create can mount it instead of uploading it again. */
  pthread_mutex_t lock;
  char *blob_home;
};

/* Takes ownership of nothing; `prefix` is copied. Returns 0 or -1 (out of
 * memory). */
int ar_repos_init(struct ar_repos *r, const char *prefix,
                  const struct ar_endpoint *endpoint,
                  struct ar_http_client *http, const struct ar_log *log);
void ar_repos_cleanup(struct ar_repos *r);

alien_ar_status ar_repos_create(struct ar_repos *r, const char *repo_name,
                                struct alien_ar_repository **out,
                                ar_error **err);
alien_ar_status ar_repos_get(struct ar_repos *r, const char *repo_id,
                             struct alien_ar_repository **out,
                             ar_error **err);
alien_ar_status ar_repos_delete(struct ar_repos *r, const char *repo_id,
                                ar_error **err);
/* PREFIX/LOGICAL for a routable or logical id, validated (INVALID_INPUT
 * for `op` otherwise). */
char *ar_repos_path(const struct ar_repos *r, const char *op,
                    const char *field, const char *id, ar_error **err);

#endif
