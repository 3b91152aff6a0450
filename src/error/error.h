/* alien's error model inside the plugin.
 *
 * An ar_error is the public struct alien_ar_error plus the pieces needed to
 * serialise it like alien's AlienError. Constructors mirror the alien
 * ErrorData variants the plugin raises, so codes, templates, flags and HTTP
 * statuses live in exactly one place. Every constructor returns NULL when
 * memory runs out; callers treat a NULL error as ALIEN_AR_ERR_NO_MEMORY. */
#ifndef AR_ERROR_H
#define AR_ERROR_H

#include <alien/artifact_registry.h>

typedef struct alien_ar_error ar_error;

/* Generic constructor. `context_json` is copied (NULL for none); `variant`
 * is the camelCase ErrorData variant name that alien serialises under
 * _error_for_pattern_matching (NULL for errors alien has no variant for). */
ar_error *ar_error_new(alien_ar_status status, const char *code,
                       const char *message, const char *context_json,
                       const char *variant, int retryable, int internal,
                       int http_status_code);

/* Makes `cause` the source of `outer` (as alien's .context() does): the
 * cause keeps its fields but loses its variant payload. Frees `cause` when
 * `outer` is NULL. Returns `outer`. */
ar_error *ar_error_chain(ar_error *outer, ar_error *cause);

void ar_error_free(ar_error *err);

/* The ErrorData variant name, or NULL. */
const char *ar_error_variant(const ar_error *err);

/* Stores `e` into `*out` when the host asked for it, else frees it; returns
 * the status to hand back (ALIEN_AR_ERR_NO_MEMORY when `e` is NULL). */
alien_ar_status ar_error_raise(ar_error *e, ar_error **out);

/* alien-bindings ErrorData variants. */
char *ar_binding_env_var(const char *binding_name);
ar_error *ar_err_binding_config_invalid(const char *binding_name,
                                        const char *reason);
ar_error *ar_err_unsupported_provider(const char *binding_name,
                                      const char *provider);
ar_error *ar_err_binding_not_configured(const char *binding_name);
ar_error *ar_err_resource_not_found(const char *resource_id);
ar_error *ar_err_operation_not_supported(const char *operation,
                                         const char *reason);
ar_error *ar_err_other(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));
ar_error *ar_err_invalid_input(const char *operation_context,
                               const char *details, const char *field_name);
ar_error *ar_err_authentication(const char *operation_context,
                                const char *details);
/* alien-core's BindingConfigInvalid (raised by BindingValue::into_value). */
ar_error *ar_err_core_binding_config_invalid(const char *binding_name,
                                             const char *reason);
/* A std error converted with into_alien_error(): GENERIC_ERROR. */
ar_error *ar_err_generic(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));
/* The project's own code for a host that broke the calling contract. */
ar_error *ar_err_invalid_argument(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

/* Serialises like alien's AlienError (see the ABI header). */
char *ar_error_to_json(const ar_error *err);

#endif
