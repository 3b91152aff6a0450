/* One test's world for the `oci` backend: a real registry (TLS and/or
 * auth), optionally a token issuer, the plugin loaded through dlopen, a
 * log-capturing host at TRACE and (usually) one open handle. */
#ifndef ALIEN_AR_TEST_OCI_ENV_H
#define ALIEN_AR_TEST_OCI_ENV_H

#include "plugin_loader.h"
#include "registry_fixture.h"
#include "tls_registry.h"
#include "token_issuer.h"

#include <json-c/json.h>

/* Status class added with the oci backend (design notes: status 9). */
#ifndef ALIEN_AR_ERR_AUTH
#define ALIEN_AR_ERR_AUTH 9
#endif

#define MARKER_DIGEST \
  "sha256:8d7cb9d88cfb0db66e0b20c224d406661fa7f4ff4aa1e8497a83fb4c5ae7c87c"
#define MARKER_SIZE 318

struct oci_env_options {
  const char *binding;      /* default "b" */
  const char *ns;           /* default "team"; "" = no namespace key */
  enum ar_test_auth auth;   /* registry auth */
  int plain_http;           /* registry without TLS */
  int access_log;
  int delete_disabled;
  int issuer_needs_auth;    /* token: issuer wants Basic user/password, and
                               the binding carries them */
  long expires_in;          /* token issuer; 0 = 300 */
  int no_open;              /* do not open a handle */
  int log_level_off;        /* host log level 0 instead of TRACE */
};

struct oci_env {
  struct ar_test_token_issuer ti; /* started for AR_TEST_AUTH_TOKEN only */
  struct ar_test_tls_registry reg;
  struct ar_test_plugin p;
  struct ar_test_log log;
  alien_ar_handle *h;
  char binding[64];
  char ns[64];              /* namespace in the binding ("" = none) */
  char username[64];        /* credentials in the binding ("" = none) */
  char password[128];
  int started;
};

void oci_env_start(struct oci_env *e, const struct oci_env_options *o);
void oci_env_stop(struct oci_env *e);

/* The binding config the env opens with, as a json-c object the caller
 * may change (and must json_object_put):
 * {"service":"oci","registryUrl":URL,"namespace":NS,"username":U,
 *  "password":P,"caFile":CA} (keys absent when not applicable). */
json_object *oci_config(const struct oci_env *e);
/* Serialises (no slash escaping); malloc'd. */
char *oci_config_text(json_object *cfg);

/* Opens a handle with cfg (not consumed). Returns the status; *h / *err as
 * the ABI's open. */
alien_ar_status oci_open_cfg(struct oci_env *e, const char *binding,
                             json_object *cfg, alien_ar_handle **h,
                             struct alien_ar_error **err);
/* Same, asserting success. */
alien_ar_handle *oci_open_ok(struct oci_env *e, const char *binding,
                             json_object *cfg);

/* A handle (binding "b") whose password is a fresh wrong one, written to
 * `wrong` (holds 64) so a test can scan output for it. */
alien_ar_handle *oci_open_wrong_password(struct oci_env *e, char *wrong);

/* "alien-oci-<24 hex>" (unique per call). */
void oci_repo_name(char *out, size_t size);

/* Calls that must succeed on handle h (cr_assert with the error JSON). */
struct alien_ar_repository *oci_create(struct oci_env *e, alien_ar_handle *h,
                                       const char *name);
struct alien_ar_repository *oci_get(struct oci_env *e, alien_ar_handle *h,
                                    const char *id);
void oci_delete(struct oci_env *e, alien_ar_handle *h, const char *id);
struct alien_ar_credentials *oci_credentials(struct oci_env *e,
                                             alien_ar_handle *h,
                                             const char *id, int32_t perms,
                                             int64_t ttl);

/* The error of a failing get (status/code asserted); caller frees. */
struct alien_ar_error *oci_get_fails(struct oci_env *e, alien_ar_handle *h,
                                     const char *id, alien_ar_status status,
                                     const char *code);

/* Whole error chain as JSON (malloc'd). */
char *oci_error_json(struct oci_env *e, const struct alien_ar_error *err);

/* Fails when `text` contains a secret of this env: the binding's password,
 * base64("user:password"), `extra` (if non-NULL; e.g. a wrong password
 * and its base64 form are checked too) or any token the issuer handed
 * out. `what` names the text in the message. */
void oci_assert_no_secret(struct oci_env *e, const char *text,
                          const char *extra_user, const char *extra,
                          const char *what);

/* oci_assert_no_secret over everything the host log received. */
void oci_assert_log_clean(struct oci_env *e, const char *extra_user,
                          const char *extra);

/* Standard base64 of s (malloc'd). */
char *oci_base64(const char *s);

/* skopeo inspect --raw with the env's credentials (Basic) or a minted
 * token (token registries); returns the exit status, *raw the manifest. */
int oci_skopeo_raw(struct oci_env *e, const char *repo, const char *tag,
                   char **raw, size_t *len, char **err);

#endif
