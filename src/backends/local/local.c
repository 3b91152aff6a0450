#include "backends/local/local.h"

#include <stdlib.h>
#include <string.h>

#include "config/binding.h"
#include "config/endpoint.h"
#include "http/http.h"
#include "oci/repositories.h"
#include "config/transport_options.h"
#include "core/results.h"
#include "util/str.h"

struct local_state {
  struct ar_endpoint endpoint;
  struct ar_http_client *http;
  const struct ar_log *log;
  struct ar_repos repos; /* prefix: the binding name */
};

#define CROSS_ACCOUNT_REASON                                                   \
  "Local artifact registry does not support cross-account access"

static void local_close(void *state)
{
  struct local_state *st = state;
  if(!st)
    return;
  ar_repos_cleanup(&st->repos);
  ar_http_client_free(st->http);
  ar_endpoint_free(&st->endpoint);
  free(st);
}

/* registryUrl exactly as LocalArtifactRegistry::new reads it, then the
 * endpoint checks the Rust version lacks. */
static ar_error *read_endpoint(const char *binding, json_object *config,
                               struct ar_endpoint *ep)
{
  static const char *const required[] = { "registryUrl", "dataDir", NULL };
  ar_error *e = ar_binding_require(binding, config, required);
  return e ? e : ar_binding_endpoint(binding, config, 0, ep);
}

static alien_ar_status local_open(const struct ar_backend_open_args *args,
                                  void **state, ar_error **err)
{
  struct local_state *st = calloc(1, sizeof(*st));
  if(!st)
    return ar_error_raise(NULL, err);
  st->log = args->log;
  struct ar_transport_options opt;
  ar_error *e = read_endpoint(args->binding_name, args->config,
                              &st->endpoint);
  if(!e)
    e = ar_transport_options_parse(args->binding_name, args->config, &opt);
  struct ar_http_config cfg = { .base_url = st->endpoint.base_url,
                                .options = &opt,
                                .log = st->log };
  if(!e && !(st->http = ar_http_client_new(&cfg)))
    e = ar_err_generic("could not initialise the HTTP client");
  if(!e && ar_repos_init(&st->repos, args->binding_name, &st->endpoint,
                         st->http, st->log) != 0)
    e = ar_err_generic("out of memory");
  if(e) {
    local_close(st);
    return ar_error_raise(e, err);
  }
  AR_LOG_INFO(st->log, "Local artifact registry client configured "
                       "(binding '%s', endpoint %s)",
              args->binding_name, st->endpoint.base_url);
  *state = st;
  return ALIEN_AR_OK;
}

static alien_ar_status copy_out(const char *value, char **out, ar_error **err)
{
  *out = ar_strdup(value);
  return *out ? ALIEN_AR_OK : ar_error_raise(NULL, err);
}

static alien_ar_status local_endpoint(void *state, char **out, ar_error **err)
{
  return copy_out(((struct local_state *)state)->endpoint.base_url, out, err);
}

static alien_ar_status local_prefix(void *state, char **out, ar_error **err)
{
  (void)state;
  /* What alien's dev-mode CLI and registry proxy route pushes through. */
  return copy_out("artifacts/default", out, err);
}

static alien_ar_status local_create(void *state, const char *repo_name,
                                    struct alien_ar_repository **out,
                                    ar_error **err)
{
  return ar_repos_create(&((struct local_state *)state)->repos, repo_name,
                         out, err);
}

static alien_ar_status local_get(void *state, const char *repo_id,
                                 struct alien_ar_repository **out,
                                 ar_error **err)
{
  return ar_repos_get(&((struct local_state *)state)->repos, repo_id, out,
                      err);
}

static alien_ar_status local_delete(void *state, const char *repo_id,
                                    ar_error **err)
{
  return ar_repos_delete(&((struct local_state *)state)->repos, repo_id,
                         err);
}

static alien_ar_status local_credentials(void *state, const char *repo_id,
                                         int32_t permissions,
                                         int64_t ttl_seconds,
                                         struct alien_ar_credentials **out,
                                         ar_error **err)
{
  struct local_state *st = state;
  AR_LOG_INFO(st->log, "Generating local artifact registry credentials "
                       "(repo '%s', %s, ttl %lld)",
              repo_id, permissions == ALIEN_AR_PERMISSIONS_PULL ? "pull"
                                                                : "push-pull",
              (long long)ttl_seconds);
  /* The local registry is anonymous: empty credentials mean "no auth". */
  *out = ar_credentials_new(ALIEN_AR_AUTH_BASIC, "", "", NULL);
  return *out ? ALIEN_AR_OK : ar_error_raise(NULL, err);
}

static alien_ar_status unsupported(struct local_state *st, const char *op,
                                   const char *repo_id, ar_error **err)
{
  AR_LOG_INFO(st->log, "Local artifact registry cross-account access not "
                       "supported (%s, repo '%s')",
              op, repo_id);
  return ar_error_raise(ar_err_operation_not_supported(op,
                                                       CROSS_ACCOUNT_REASON),
                        err);
}

static alien_ar_status local_add_access(void *state, const char *repo_id,
                                        const char *access_json,
                                        ar_error **err)
{
  (void)access_json;
  return unsupported(state, "add_cross_account_access", repo_id, err);
}

static alien_ar_status local_remove_access(void *state, const char *repo_id,
                                           const char *access_json,
                                           ar_error **err)
{
  (void)access_json;
  return unsupported(state, "remove_cross_account_access", repo_id, err);
}

static alien_ar_status local_get_access(void *state, const char *repo_id,
                                        char **out, ar_error **err)
{
  (void)out;
  return unsupported(state, "get_cross_account_access", repo_id, err);
}

const struct ar_backend ar_local_backend = {
  .name = "local",
  .open = local_open,
  .close = local_close,
  .registry_endpoint = local_endpoint,
  .upstream_repository_prefix = local_prefix,
  .create_repository = local_create,
  .get_repository = local_get,
  .delete_repository = local_delete,
  .generate_credentials = local_credentials,
  .add_cross_account_access = local_add_access,
  .remove_cross_account_access = local_remove_access,
  .get_cross_account_access = local_get_access,
};
