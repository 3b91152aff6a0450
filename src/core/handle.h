/* Handles and the checks every call goes through before a backend sees it.
 * The plugin's table entries are thin wrappers over these functions. */
#ifndef AR_CORE_HANDLE_H
#define AR_CORE_HANDLE_H

#include <stddef.h>

#include "backends/backend.h"

struct ar_backend_list {
  const struct ar_backend *const *items;
  size_t count;
};

alien_ar_status ar_handle_open(const struct ar_backend_list *backends,
                               const char *binding_name, const char *config,
                               const struct alien_ar_host *host,
                               alien_ar_handle **out, ar_error **err);
void ar_handle_close(alien_ar_handle *h);
const char *ar_handle_backend(const alien_ar_handle *h);

alien_ar_status ar_handle_registry_endpoint(alien_ar_handle *h, char **out,
                                            ar_error **err);
alien_ar_status ar_handle_upstream_repository_prefix(alien_ar_handle *h,
                                                     char **out,
                                                     ar_error **err);
alien_ar_status ar_handle_create_repository(alien_ar_handle *h,
                                            const char *repo_name,
                                            struct alien_ar_repository **out,
                                            ar_error **err);
alien_ar_status ar_handle_get_repository(alien_ar_handle *h,
                                         const char *repo_id,
                                         struct alien_ar_repository **out,
                                         ar_error **err);
alien_ar_status ar_handle_delete_repository(alien_ar_handle *h,
                                            const char *repo_id,
                                            ar_error **err);
alien_ar_status ar_handle_generate_credentials(
    alien_ar_handle *h, const char *repo_id, int32_t permissions,
    int64_t ttl_seconds, struct alien_ar_credentials **out, ar_error **err);
alien_ar_status ar_handle_add_cross_account_access(alien_ar_handle *h,
                                                   const char *repo_id,
                                                   const char *access_json,
                                                   ar_error **err);
alien_ar_status ar_handle_remove_cross_account_access(alien_ar_handle *h,
                                                      const char *repo_id,
                                                      const char *access_json,
                                                      ar_error **err);
alien_ar_status ar_handle_get_cross_account_access(alien_ar_handle *h,
                                                   const char *repo_id,
                                                   char **out,
                                                   ar_error **err);

#endif
