#include "backends/oci/oci.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "auth/auth.h"
#include "backends/oci/config.h"
#include "core/results.h"
#include "http/http.h"
#include "oci/repositories.h"
#include "util/str.h"

#define CROSS_ACCOUNT_REASON                                                   \
  "OCI artifact registry does not support cross-account access"

struct oci_state {
  struct oci_config cfg;
  struct ar_auth *auth;
  struct ar_http_client *http;
  const struct ar_log *log;
  struct ar_repos repos; /* prefix: the namespace */
};

static void oci_close(void *state)
{
  struct oci_state *st = state;
  if(!st)
    return;
  ar_repos_cleanup(&st->repos);
  ar_http_client_free(st->http);
  ar_auth_free(st->auth);
  oci_config_free(&st->cfg);
  free(st);
}

static alien_ar_status oci_open(const struct ar_backend_open_args *args,
                                void **state, ar_error **err)
{
  struct oci_state *st = calloc(1, sizeof(*st));
  if(!st)
    return ar_error_raise(NULL, err);
  st->log = args->log;
  ar_error *e = oci_config_read(args->binding_name, args->config, &st->cfg);
  if(!e && !(st->auth = ar_auth_new(st->cfg.username, st->cfg.password,
                                    st->log)))
    e = ar_err_generic("out of memory");
  if(!e) {
    struct ar_http_config hc = { .base_url = st->cfg.endpoint.base_url,
                                 .options = &st->cfg.transport,
                                 .log = st->log,
                                 .ca_file = st->cfg.ca_file,
                                 .insecure_tls = st->cfg.insecure,
                                 .auth = ar_auth_hook(st->auth) };
    if(!(st->http = ar_http_client_new(&hc)))
      e = ar_err_generic("could not initialise the HTTP client");
  }
  if(!e && ar_repos_init(&st->repos, st->cfg.namespace_, &st->cfg.endpoint,
                         st->http, st->log) != 0)
    e = ar_err_generic("out of memory");
  if(e) {
    oci_close(st);
    return ar_error_raise(e, err);
  }
  AR_LOG_INFO(st->log, "OCI artifact registry client configured (binding "
                       "'%s', endpoint %s, namespace '%s', %s)",
              args->binding_name, st->cfg.endpoint.base_url,
              st->cfg.namespace_,
              st->cfg.username ? "with credentials" : "anonymous");
  *state = st;
  return ALIEN_AR_OK;
}

static alien_ar_status oci_endpoint(void *state, char **out, ar_error **err)
{
  *out = ar_strdup(((struct oci_state *)state)->cfg.endpoint.base_url);
  return *out ? ALIEN_AR_OK : ar_error_raise(NULL, err);
}

static alien_ar_status oci_prefix(void *state, char **out, ar_error **err)
{
  /* The namespace is where this binding's repositories live. */
  *out = ar_strdup(((struct oci_state *)state)->cfg.namespace_);
  return *out ? ALIEN_AR_OK : ar_error_raise(NULL, err);
}

static alien_ar_status oci_create(void *state, const char *repo_name,
                                  struct alien_ar_repository **out,
                                  ar_error **err)
{
  return ar_repos_create(&((struct oci_state *)state)->repos, repo_name, out,
                         err);
}

static alien_ar_status oci_get(void *state, const char *repo_id,
                               struct alien_ar_repository **out,
                               ar_error **err)
{
  return ar_repos_get(&((struct oci_state *)state)->repos, repo_id, out, err);
}

static alien_ar_status oci_delete(void *state, const char *repo_id,
                                  ar_error **err)
{
  return ar_repos_delete(&((struct oci_state *)state)->repos, repo_id, err);
}

/* ISO 8601 in UTC, as alien's expiresAt. */
static char *iso8601(time_t t)
{
  struct tm tm;
  char buf[32];
  if(!gmtime_r(&t, &tm) || !strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ",
                                     &tm))
    return NULL;
  return ar_strdup(buf);
}

static alien_ar_status oci_credentials(void *state, const char *repo_id,
                                       int32_t permissions,
                                       int64_t ttl_seconds,
                                       struct alien_ar_credentials **out,
                                       ar_error **err)
{
  struct oci_state *st = state;
  (void)ttl_seconds; /* the token service decides lifetimes */
  ar_error *e = NULL;
  char *path = ar_repos_path(&st->repos, "generate_credentials", "repo_id",
                             repo_id, &e);
  if(!path)
    return ar_error_raise(e, err);
  struct ar_http_session s;
  enum ar_auth_scheme scheme = AR_SCHEME_UNKNOWN;
  char *token = NULL, *expires = NULL;
  e = ar_http_session_begin(st->http, &s, "generate_credentials");
  if(!e)
    e = ar_auth_scheme(st->auth, &s, &scheme);
  if(!e && scheme == AR_SCHEME_BEARER) {
    char *scope = ar_format("repository:%s:%s", path,
                            permissions == ALIEN_AR_PERMISSIONS_PULL
                                ? "pull"
                                : "pull,push");
    time_t until = 0;
    e = scope ? ar_auth_issue_token(st->auth, &s, scope, &token, &until)
              : ar_err_generic("out of memory");
    if(!e && !(expires = iso8601(until)))
      e = ar_err_generic("out of memory");
    free(scope);
  }
  ar_http_session_end(&s);
  free(path);
  if(e) {
    ar_free_secret(token);
    if(e->status != ALIEN_AR_ERR_AUTH)
      e = ar_error_chain(ar_err_other("Failed to generate credentials"), e);
    return ar_error_raise(e, err);
  }
  if(scheme == AR_SCHEME_BEARER)
    *out = ar_credentials_new(ALIEN_AR_AUTH_BEARER, "", token, expires);
  else if(scheme == AR_SCHEME_BASIC && ar_auth_username(st->auth))
    *out = ar_credentials_new(ALIEN_AR_AUTH_BASIC, ar_auth_username(st->auth),
                              ar_auth_password(st->auth), NULL);
  else
    *out = ar_credentials_new(ALIEN_AR_AUTH_BASIC, "", "", NULL);
  ar_free_secret(token);
  free(expires);
  return *out ? ALIEN_AR_OK : ar_error_raise(NULL, err);
}

static alien_ar_status unsupported(const char *op, ar_error **err)
{
  return ar_error_raise(ar_err_operation_not_supported(op,
                                                       CROSS_ACCOUNT_REASON),
                        err);
}

static alien_ar_status oci_add_access(void *state, const char *repo_id,
                                      const char *access_json, ar_error **err)
{
  (void)state;
  (void)repo_id;
  (void)access_json;
  return unsupported("add_cross_account_access", err);
}

static alien_ar_status oci_remove_access(void *state, const char *repo_id,
                                         const char *access_json,
                                         ar_error **err)
{
  (void)state;
  (void)repo_id;
  (void)access_json;
  return unsupported("remove_cross_account_access", err);
}

static alien_ar_status oci_get_access(void *state, const char *repo_id,
                                      char **out, ar_error **err)
{
  (void)state;
  (void)repo_id;
  (void)out;
  return unsupported("get_cross_account_access", err);
}

const struct ar_backend ar_oci_backend = {
  .name = "oci",
  .open = oci_open,
  .close = oci_close,
  .registry_endpoint = oci_endpoint,
  .upstream_repository_prefix = oci_prefix,
  .create_repository = oci_create,
  .get_repository = oci_get,
  .delete_repository = oci_delete,
  .generate_credentials = oci_credentials,
  .add_cross_account_access = oci_add_access,
  .remove_cross_account_access = oci_remove_access,
  .get_cross_account_access = oci_get_access,
};
