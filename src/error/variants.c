/* The alien ErrorData variants the plugin raises: code, message template,
 * context fields (Rust field names, declaration order), retryable,
 * internal and HTTP status exactly as alien declares them. */
#include <stdarg.h>
#include <stdlib.h>

#include "error/error.h"
#include "error/json_util.h"
#include "util/str.h"
#include "util/utf8.h"

/* Builds a context object from NULL-terminated key/value pairs; a NULL
 * value becomes JSON null. */
static char *context_of(const char *key, ...)
{
  json_object *ctx = json_object_new_object();
  if(!ctx)
    return NULL;
  va_list ap;
  va_start(ap, key);
  for(const char *k = key; k; k = va_arg(ap, const char *)) {
    const char *v = va_arg(ap, const char *);
    char *clean = v ? ar_utf8_sanitize(v) : NULL;
    int bad = (v && !clean) || ar_json_add_string(ctx, k, clean) != 0;
    free(clean);
    if(bad) {
      va_end(ap);
      json_object_put(ctx);
      return NULL;
    }
  }
  va_end(ap);
  return ar_json_take_string(ctx);
}

/* Assembles an error whose message and context were built by the caller;
 * frees both. */
static ar_error *assemble(alien_ar_status status, const char *code,
                          char *message, char *context, const char *variant,
                          int retryable, int internal, int http)
{
  ar_error *e = NULL;
  if(message && context)
    e = ar_error_new(status, code, message, context, variant, retryable,
                     internal, http);
  free(message);
  free(context);
  return e;
}

ar_error *ar_err_binding_config_invalid(const char *binding_name,
                                        const char *reason)
{
  char *env = ar_binding_env_var(binding_name);
  if(!env)
    return NULL;
  ar_error *e = assemble(
      ALIEN_AR_ERR_CONFIG, "BINDING_CONFIG_INVALID",
      ar_format("Binding configuration invalid for binding '%s' (env var "
                "'%s'): %s",
                binding_name, env, reason),
      context_of("binding_name", binding_name, "env_var", env, "reason",
                 reason, NULL),
      "bindingConfigInvalid", 0, 0, 400);
  free(env);
  return e;
}

ar_error *ar_err_unsupported_provider(const char *binding_name,
                                      const char *provider)
{
  char *env = ar_binding_env_var(binding_name);
  if(!env)
    return NULL;
  ar_error *e = assemble(
      ALIEN_AR_ERR_CONFIG, "UNSUPPORTED_BINDING_PROVIDER",
      ar_format("Binding '%s' (env var '%s') uses unsupported provider '%s'",
                binding_name, env, provider),
      context_of("binding_name", binding_name, "env_var", env, "provider",
                 provider, NULL),
      "unsupportedBindingProvider", 0, 0, 501);
  free(env);
  return e;
}

ar_error *ar_err_binding_not_configured(const char *binding_name)
{
  char *env = ar_binding_env_var(binding_name);
  if(!env)
    return NULL;
  ar_error *e = assemble(
      ALIEN_AR_ERR_CONFIG, "BINDING_NOT_CONFIGURED",
      ar_format("No binding configured for '%s': environment variable '%s' "
                "is not set",
                binding_name, env),
      context_of("binding_name", binding_name, "env_var", env, NULL),
      "bindingNotConfigured", 0, 0, 400);
  free(env);
  return e;
}

ar_error *ar_err_resource_not_found(const char *resource_id)
{
  return assemble(ALIEN_AR_ERR_NOT_FOUND, "RESOURCE_NOT_FOUND",
                  ar_format("Resource '%s' not found", resource_id),
                  context_of("resource_id", resource_id, NULL),
                  "resourceNotFound", 0, 0, 404);
}

ar_error *ar_err_operation_not_supported(const char *operation,
                                         const char *reason)
{
  return assemble(ALIEN_AR_ERR_NOT_SUPPORTED, "OPERATION_NOT_SUPPORTED",
                  ar_format("Operation '%s' not supported: %s", operation,
                            reason),
                  context_of("operation", operation, "reason", reason, NULL),
                  "operationNotSupported", 0, 0, 501);
}

ar_error *ar_err_other(const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  char *what = ar_vformat(fmt, ap);
  va_end(ap);
  if(!what)
    return NULL;
  ar_error *e = assemble(ALIEN_AR_ERR_BACKEND, "BINDINGS_ERROR",
                         ar_format("Bindings error: %s", what),
                         context_of("message", what, NULL), "other", 1, 1,
                         500);
  free(what);
  return e;
}

ar_error *ar_err_invalid_input(const char *operation_context,
                               const char *details, const char *field_name)
{
  return assemble(ALIEN_AR_ERR_INVALID_INPUT, "INVALID_INPUT",
                  ar_format("%s: Invalid input - %s", operation_context,
                            details),
                  context_of("operation_context", operation_context,
                             "details", details, "field_name", field_name,
                             NULL),
                  "invalidInput", 0, 0, 400);
}

ar_error *ar_err_authentication(const char *operation_context,
                                const char *details)
{
  return assemble(ALIEN_AR_ERR_AUTH, "AUTHENTICATION_ERROR",
                  ar_format("%s: Authentication failed - %s",
                            operation_context, details),
                  context_of("operation_context", operation_context,
                             "details", details, NULL),
                  "authenticationError", 1, 0, 401);
}

ar_error *ar_err_core_binding_config_invalid(const char *binding_name,
                                             const char *reason)
{
  return assemble(ALIEN_AR_ERR_CONFIG, "BINDING_CONFIG_INVALID",
                  ar_format("Invalid binding configuration for '%s': %s",
                            binding_name, reason),
                  context_of("binding_name", binding_name, "reason", reason,
                             NULL),
                  "bindingConfigInvalid", 0, 0, 500);
}

/* Errors alien has no variant for carry no context and no payload. */
static ar_error *plain(alien_ar_status status, const char *code, int http,
                       const char *fmt, va_list ap)
{
  char *message = ar_vformat(fmt, ap);
  if(!message)
    return NULL;
  ar_error *e = ar_error_new(status, code, message, NULL, NULL, 0, 0, http);
  free(message);
  return e;
}

ar_error *ar_err_generic(const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  ar_error *e = plain(ALIEN_AR_ERR_BACKEND, "GENERIC_ERROR", 500, fmt, ap);
  va_end(ap);
  return e;
}

ar_error *ar_err_invalid_argument(const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  ar_error *e = plain(ALIEN_AR_ERR_INVALID_ARGUMENT, "INVALID_ARGUMENT", 400,
                      fmt, ap);
  va_end(ap);
  return e;
}
