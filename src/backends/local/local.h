/* The `local` backend: alien's LocalArtifactRegistry, a client of an
 * anonymous OCI registry on this machine (contract section 0). */
#ifndef AR_BACKENDS_LOCAL_H
#define AR_BACKENDS_LOCAL_H

#include <pthread.h>

#include "backends/backend.h"
#include "config/endpoint.h"
#include "http/http.h"

extern const struct ar_backend ar_local_backend;

struct local_state {
  char *binding_name;
  struct ar_endpoint endpoint;
  struct ar_http_client *http;
  const struct ar_log *log;
  /* A repository of this handle known to hold the marker config blob, so
   * the next create can mount it instead of uploading it again. */
  pthread_mutex_t lock;
  char *blob_home;
};

/* Repository operations (repositories.c). */
alien_ar_status ar_local_create(void *state, const char *repo_name,
                                struct alien_ar_repository **out,
                                ar_error **err);
alien_ar_status ar_local_get(void *state, const char *repo_id,
                             struct alien_ar_repository **out,
                             ar_error **err);
alien_ar_status ar_local_delete(void *state, const char *repo_id,
                                ar_error **err);

#endif
