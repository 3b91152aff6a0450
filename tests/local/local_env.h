/* One test's world for the `local` backend: a real registry, the plugin
 * loaded through dlopen, a log-capturing host and one open handle. */
#ifndef ALIEN_AR_TEST_LOCAL_ENV_H
#define ALIEN_AR_TEST_LOCAL_ENV_H

#include "plugin_loader.h"
#include "registry_fixture.h"

/* The marker image create_repository pushes (contract section 6). */
#define MARKER_DIGEST \
  "sha256:8d7cb9d88cfb0db66e0b20c224d406661fa7f4ff4aa1e8497a83fb4c5ae7c87c"
#define MARKER_SIZE 318
#define MARKER_CONFIG_DIGEST \
  "sha256:7a19147749ce097f32b13072bccba494b5e717d4f23fbde50f7514059e109ad1"

struct local_env {
  struct ar_test_registry reg;
  struct ar_test_plugin p;
  struct ar_test_log log;
  alien_ar_handle *h;
  char binding[128];
  char url_used[128]; /* registryUrl the handle was opened with */
};

struct local_env_options {
  const char *binding;  /* default "b" */
  int url_with_scheme;  /* registryUrl "http://127.0.0.1:PORT" instead of
                           "localhost:PORT" */
  int32_t log_level;    /* host log level (0 = none) */
  struct ar_test_registry_options reg;
};

void local_env_start(struct local_env *e, const struct local_env_options *o);
void local_env_stop(struct local_env *e);

/* "alien-test-local-<32 hex>" */
void local_repo_name(char *out, size_t size);

/* Calls that must succeed (cr_assert with the error JSON otherwise). */
struct alien_ar_repository *local_create(struct local_env *e,
                                         const char *name);
struct alien_ar_repository *local_get(struct local_env *e, const char *id);
void local_delete(struct local_env *e, const char *id);

/* Calls that must fail with the given status/code; returns the error
 * (caller frees with e->p.t->error_free). */
struct alien_ar_error *local_get_fails(struct local_env *e, const char *id,
                                       alien_ar_status status,
                                       const char *code);

/* Digest (sha256 of the raw bytes skopeo reads) of NAME:TAG; asserts
 * skopeo succeeds. Optionally returns the raw bytes (malloc'd). */
void local_manifest_digest(struct local_env *e, const char *name,
                           const char *tag, char digest[72], char **raw,
                           size_t *raw_len);

#endif
