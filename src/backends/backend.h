/* What a backend implements. The core checks every argument the host
 * passes (NULL pointers, handle validity, permissions, TTL range, access
 * JSON) before a backend sees it, and owns the handle around the backend's
 * state. A backend may be called concurrently on one state. */
#ifndef AR_BACKENDS_BACKEND_H
#define AR_BACKENDS_BACKEND_H

#include <json-c/json.h>
#include <stdint.h>

#include "error/error.h"
#include "log/log.h"

struct ar_backend_open_args {
  const char *binding_name;
  json_object *config; /* the parsed binding JSON (borrowed) */
  const struct ar_log *log; /* lives as long as the handle */
};

struct ar_backend {
  const char *name; /* the binding's `service` tag */
  alien_ar_status (*open)(const struct ar_backend_open_args *args,
                          void **state, ar_error **err);
  void (*close)(void *state);
  alien_ar_status (*registry_endpoint)(void *state, char **out,
                                       ar_error **err);
  alien_ar_status (*upstream_repository_prefix)(void *state, char **out,
                                                ar_error **err);
  alien_ar_status (*create_repository)(void *state, const char *repo_name,
                                       struct alien_ar_repository **out,
                                       ar_error **err);
  alien_ar_status (*get_repository)(void *state, const char *repo_id,
                                    struct alien_ar_repository **out,
                                    ar_error **err);
  alien_ar_status (*delete_repository)(void *state, const char *repo_id,
                                       ar_error **err);
  alien_ar_status (*generate_credentials)(void *state, const char *repo_id,
                                          int32_t permissions,
                                          int64_t ttl_seconds,
                                          struct alien_ar_credentials **out,
                                          ar_error **err);
  /* `access_json` has been validated as a CrossAccountAccess. */
  alien_ar_status (*add_cross_account_access)(void *state,
                                              const char *repo_id,
                                              const char *access_json,
                                              ar_error **err);
  alien_ar_status (*remove_cross_account_access)(void *state,
                                                 const char *repo_id,
                                                 const char *access_json,
                                                 ar_error **err);
  alien_ar_status (*get_cross_account_access)(void *state,
                                              const char *repo_id, char **out,
                                              ar_error **err);
};

#endif
