#include "core/handle.h"

#include <stdlib.h>
#include <string.h>

#include "config/binding.h"
#include "core/access.h"
#include "core/live.h"
#include "util/str.h"

struct alien_ar_handle {
  const struct ar_backend *backend;
  void *state;
  char *binding_name;
  /* The backend keeps a pointer to this, so it lives in the handle. */
  struct ar_log log;
};

static alien_ar_status misuse(ar_error **err, const char *what)
{
  return ar_error_raise(ar_err_invalid_argument("%s", what), err);
}

/* Clears the error output first so a failed call never leaves garbage for
 * the host to free. */
#define CLEAR_ERR(err)                                                         \
  do {                                                                         \
    if(err)                                                                    \
      *(err) = NULL;                                                           \
  } while(0)

/* Calls with a result need a place to put it, cleared up front. */
#define CHECK_OUT(out, err)                                                    \
  do {                                                                         \
    CLEAR_ERR(err);                                                            \
    if(!(out))                                                                 \
      return misuse((err), "the output pointer is NULL");                      \
    *(out) = NULL;                                                             \
  } while(0)

/* Pins a live handle for the duration of a call; the caller releases it.
 * Nothing is read from `h` unless the live set vouches for it. */
#define ACQUIRE(h, err)                                                        \
  do {                                                                         \
    if(!ar_live_acquire(h))                                                    \
      return misuse((err), "the handle is NULL or not open");                  \
  } while(0)

#define CHECK_ARG(arg, name, err)                                              \
  do {                                                                         \
    if(!(arg))                                                                 \
      return misuse((err), name " is NULL");                                   \
  } while(0)

static size_t host_v1_size(void)
{
  return offsetof(struct alien_ar_host, user_data) + sizeof(void *);
}

alien_ar_status ar_handle_open(const struct ar_backend_list *backends,
                               const char *binding_name, const char *config,
                               const struct alien_ar_host *host,
                               alien_ar_handle **out, ar_error **err)
{
  if(err)
    *err = NULL;
  if(!out)
    return misuse(err, "the output pointer is NULL");
  *out = NULL;
  CHECK_ARG(binding_name, "binding_name", err);
  CHECK_ARG(config, "config_json", err);
  if(!*binding_name)
    return misuse(err, "binding_name is empty");
  if(host && host->struct_size < host_v1_size())
    return misuse(err, "the host struct is smaller than ABI 1.0's");

  ar_error *e = NULL;
  const char *service = NULL;
  json_object *root = ar_binding_parse(binding_name, config, &service, &e);
  if(!root)
    return ar_error_raise(e, err);
  const struct ar_backend *backend = NULL;
  for(size_t i = 0; i < backends->count && !backend; i++)
    if(!strcmp(backends->items[i]->name, service))
      backend = backends->items[i];
  if(!backend) {
    e = ar_err_unsupported_provider(binding_name, service);
    json_object_put(root);
    return ar_error_raise(e, err);
  }

  alien_ar_handle *h = calloc(1, sizeof(*h));
  if(!h || !(h->binding_name = ar_strdup(binding_name))) {
    free(h);
    json_object_put(root);
    return ar_error_raise(NULL, err);
  }
  ar_log_init(&h->log, host);
  struct ar_backend_open_args args = { h->binding_name, root, &h->log };
  alien_ar_status st = backend->open(&args, &h->state, err);
  json_object_put(root);
  if(st != ALIEN_AR_OK) {
    free(h->binding_name);
    free(h);
    return st;
  }
  h->backend = backend;
  if(ar_live_add(h) != 0) {
    backend->close(h->state);
    free(h->binding_name);
    free(h);
    return ar_error_raise(NULL, err);
  }
  *out = h;
  return ALIEN_AR_OK;
}

void ar_handle_close(alien_ar_handle *h)
{
  /* A NULL, foreign or already closed handle is not in the set: no-op. */
  if(!ar_live_remove(h))
    return;
  h->backend->close(h->state);
  free(h->binding_name);
  free(h);
}

const char *ar_handle_backend(const alien_ar_handle *h)
{
  if(!ar_live_acquire(h))
    return NULL;
  const char *name = h->backend->name;
  ar_live_release(h);
  return name;
}

alien_ar_status ar_handle_registry_endpoint(alien_ar_handle *h, char **out,
                                            ar_error **err)
{
  CHECK_OUT(out, err);
  ACQUIRE(h, err);
  alien_ar_status st = h->backend->registry_endpoint(h->state, out, err);
  ar_live_release(h);
  return st;
}

alien_ar_status ar_handle_upstream_repository_prefix(alien_ar_handle *h,
                                                     char **out,
                                                     ar_error **err)
{
  CHECK_OUT(out, err);
  ACQUIRE(h, err);
  alien_ar_status st = h->backend->upstream_repository_prefix(h->state, out,
                                                              err);
  ar_live_release(h);
  return st;
}

alien_ar_status ar_handle_create_repository(alien_ar_handle *h,
                                            const char *repo_name,
                                            struct alien_ar_repository **out,
                                            ar_error **err)
{
  CHECK_OUT(out, err);
  CHECK_ARG(repo_name, "repo_name", err);
  ACQUIRE(h, err);
  alien_ar_status st = h->backend->create_repository(h->state, repo_name,
                                                     out, err);
  ar_live_release(h);
  return st;
}

alien_ar_status ar_handle_get_repository(alien_ar_handle *h,
                                         const char *repo_id,
                                         struct alien_ar_repository **out,
                                         ar_error **err)
{
  CHECK_OUT(out, err);
  CHECK_ARG(repo_id, "repo_id", err);
  ACQUIRE(h, err);
  alien_ar_status st = h->backend->get_repository(h->state, repo_id, out,
                                                  err);
  ar_live_release(h);
  return st;
}

alien_ar_status ar_handle_delete_repository(alien_ar_handle *h,
                                            const char *repo_id,
                                            ar_error **err)
{
  CLEAR_ERR(err);
  CHECK_ARG(repo_id, "repo_id", err);
  ACQUIRE(h, err);
  alien_ar_status st = h->backend->delete_repository(h->state, repo_id, err);
  ar_live_release(h);
  return st;
}

alien_ar_status ar_handle_generate_credentials(
    alien_ar_handle *h, const char *repo_id, int32_t permissions,
    int64_t ttl_seconds, struct alien_ar_credentials **out, ar_error **err)
{
  CHECK_OUT(out, err);
  CHECK_ARG(repo_id, "repo_id", err);
  if(permissions != ALIEN_AR_PERMISSIONS_PULL
     && permissions != ALIEN_AR_PERMISSIONS_PUSH_PULL)
    return ar_error_raise(
        ar_err_invalid_input("generate_credentials",
                             "permissions must be pull or push-pull",
                             "permissions"),
        err);
  if(ttl_seconds != ALIEN_AR_TTL_NONE
     && (ttl_seconds < 0 || ttl_seconds > (int64_t)UINT32_MAX))
    return ar_error_raise(
        ar_err_invalid_input("generate_credentials",
                             "ttl_seconds must be from 0 to 4294967295, or "
                             "none",
                             "ttl_seconds"),
        err);
  ACQUIRE(h, err);
  alien_ar_status st = h->backend->generate_credentials(
      h->state, repo_id, permissions, ttl_seconds, out, err);
  ar_live_release(h);
  return st;
}

/* add and remove share their checks; `op` names the call in errors. The
 * backend function is picked only after the handle passed its check. */
static alien_ar_status change_access(alien_ar_handle *h, int removing,
                                     const char *repo_id,
                                     const char *access_json, ar_error **err)
{
  const char *op = removing ? "remove_cross_account_access"
                            : "add_cross_account_access";
  CLEAR_ERR(err);
  CHECK_ARG(repo_id, "repo_id", err);
  CHECK_ARG(access_json, "access_json", err);
  ACQUIRE(h, err);
  ar_error *e = ar_access_validate(op, access_json);
  alien_ar_status st =
      e ? ar_error_raise(e, err)
        : (removing ? h->backend->remove_cross_account_access
                    : h->backend->add_cross_account_access)(
              h->state, repo_id, access_json, err);
  ar_live_release(h);
  return st;
}

alien_ar_status ar_handle_add_cross_account_access(alien_ar_handle *h,
                                                   const char *repo_id,
                                                   const char *access_json,
                                                   ar_error **err)
{
  return change_access(h, 0, repo_id, access_json, err);
}

alien_ar_status ar_handle_remove_cross_account_access(alien_ar_handle *h,
                                                      const char *repo_id,
                                                      const char *access_json,
                                                      ar_error **err)
{
  return change_access(h, 1, repo_id, access_json, err);
}

alien_ar_status ar_handle_get_cross_account_access(alien_ar_handle *h,
                                                   const char *repo_id,
                                                   char **out, ar_error **err)
{
  CHECK_OUT(out, err);
  CHECK_ARG(repo_id, "repo_id", err);
  ACQUIRE(h, err);
  alien_ar_status st = h->backend->get_cross_account_access(h->state,
                                                            repo_id, out, err);
  ar_live_release(h);
  return st;
}
