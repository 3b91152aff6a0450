/* The result objects handed to hosts, and their alien JSON forms. */
#ifndef AR_CORE_RESULTS_H
#define AR_CORE_RESULTS_H

#include <alien/artifact_registry.h>

/* Copies every string; NULL `uri`/`created_at` stay NULL. NULL when out of
 * memory. */
struct alien_ar_repository *ar_repository_new(const char *name,
                                              const char *uri,
                                              const char *created_at);
void ar_repository_free(struct alien_ar_repository *r);
char *ar_repository_to_json(const struct alien_ar_repository *r);

struct alien_ar_credentials *ar_credentials_new(int32_t auth_method,
                                                const char *username,
                                                const char *password,
                                                const char *expires_at);
void ar_credentials_free(struct alien_ar_credentials *c);
char *ar_credentials_to_json(const struct alien_ar_credentials *c);

#endif
