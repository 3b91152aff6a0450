/* The plugin's one exported symbol and the function table it hands out.
 * Everything here is glue: argument checks and behaviour live in src/. */
#include <alien/artifact_registry.h>
#include <stdlib.h>

#include "backends.h"
#include "core/results.h"
#include "error/error.h"

#define EXPORT __attribute__((visibility("default")))

static size_t backend_count(void)
{
  return ar_plugin_backends.count;
}

static const char *backend_name(size_t index)
{
  return index < ar_plugin_backends.count
             ? ar_plugin_backends.items[index]->name
             : NULL;
}

static alien_ar_status open_handle(const char *binding_name,
                                   const char *config_json,
                                   const struct alien_ar_host *host,
                                   alien_ar_handle **out,
                                   struct alien_ar_error **err)
{
  return ar_handle_open(&ar_plugin_backends, binding_name, config_json, host,
                        out, err);
}

static void string_free(char *s)
{
  free(s);
}

/* Serialisers share one shape: NULL input is a contract breach, a NULL
 * result means memory ran out. */
static alien_ar_status emit(int have_input, char *json, char **out)
{
  if(!out || !have_input) {
    free(json);
    if(out)
      *out = NULL;
    return ALIEN_AR_ERR_INVALID_ARGUMENT;
  }
  *out = json;
  return json ? ALIEN_AR_OK : ALIEN_AR_ERR_NO_MEMORY;
}

static alien_ar_status error_to_json(const struct alien_ar_error *err,
                                     char **out)
{
  return emit(err != NULL, err && out ? ar_error_to_json(err) : NULL, out);
}

static alien_ar_status repository_to_json(
    const struct alien_ar_repository *repo, char **out)
{
  return emit(repo != NULL, repo && out ? ar_repository_to_json(repo) : NULL,
              out);
}

static alien_ar_status credentials_to_json(
    const struct alien_ar_credentials *creds, char **out)
{
  return emit(creds != NULL,
              creds && out ? ar_credentials_to_json(creds) : NULL, out);
}

static const char *status_string(alien_ar_status status)
{
  switch(status) {
  case ALIEN_AR_OK:
    return "success";
  case ALIEN_AR_ERR_ABI_MISMATCH:
    return "plugin and host share no ABI version";
  case ALIEN_AR_ERR_INVALID_ARGUMENT:
    return "invalid argument (the calling contract was broken)";
  case ALIEN_AR_ERR_NOT_FOUND:
    return "resource not found";
  case ALIEN_AR_ERR_NOT_SUPPORTED:
    return "operation not supported by this backend";
  case ALIEN_AR_ERR_CONFIG:
    return "invalid binding configuration";
  case ALIEN_AR_ERR_INVALID_INPUT:
    return "invalid input";
  case ALIEN_AR_ERR_NO_MEMORY:
    return "out of memory";
  case ALIEN_AR_ERR_BACKEND:
    return "registry or transport failure";
  case ALIEN_AR_ERR_AUTH:
    return "authentication failed";
  default:
    return "unknown status";
  }
}

static const struct alien_ar_plugin table = {
  .struct_size = sizeof(struct alien_ar_plugin),
  .abi_major = ALIEN_AR_ABI_MAJOR,
  .abi_minor = ALIEN_AR_ABI_MINOR,
  .reserved = 0,
  .plugin_name = "alien-artifact-registry",
  .plugin_version = ALIEN_AR_PLUGIN_VERSION,
  .backend_count = backend_count,
  .backend_name = backend_name,
  .open = open_handle,
  .close = ar_handle_close,
  .registry_endpoint = ar_handle_registry_endpoint,
  .upstream_repository_prefix = ar_handle_upstream_repository_prefix,
  .create_repository = ar_handle_create_repository,
  .get_repository = ar_handle_get_repository,
  .delete_repository = ar_handle_delete_repository,
  .generate_credentials = ar_handle_generate_credentials,
  .add_cross_account_access = ar_handle_add_cross_account_access,
  .remove_cross_account_access = ar_handle_remove_cross_account_access,
  .get_cross_account_access = ar_handle_get_cross_account_access,
  .string_free = string_free,
  .repository_free = ar_repository_free,
  .credentials_free = ar_credentials_free,
  .error_free = ar_error_free,
  .error_to_json = error_to_json,
  .repository_to_json = repository_to_json,
  .credentials_to_json = credentials_to_json,
  .status_string = status_string,
  .handle_backend = ar_handle_backend,
};

EXPORT alien_ar_status alien_ar_plugin_negotiate(
    uint32_t host_abi_major, uint32_t host_abi_minor, uint32_t *agreed_minor,
    const struct alien_ar_plugin **out)
{
  if(!out)
    return ALIEN_AR_ERR_INVALID_ARGUMENT;
  *out = NULL;
  if(host_abi_major != ALIEN_AR_ABI_MAJOR)
    return ALIEN_AR_ERR_ABI_MISMATCH;
  if(agreed_minor)
    *agreed_minor = host_abi_minor > table.abi_minor ? table.abi_minor
                                                     : host_abi_minor;
  *out = &table;
  return ALIEN_AR_OK;
}
