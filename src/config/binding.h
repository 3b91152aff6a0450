/* The binding config string: alien's JSON for ALIEN_<NAME>_BINDING.
 * Parsing follows serde's behaviour for alien's types: unknown keys are
 * ignored, required keys must be present, and BindingValue fields accept a
 * plain value, a secretRef or an expression. */
#ifndef AR_CONFIG_BINDING_H
#define AR_CONFIG_BINDING_H

#include <json-c/json.h>

#include "error/error.h"

/* Parses the config; returns the root object (caller puts it) and the
 * borrowed `service` tag, or NULL with *err set. */
json_object *ar_binding_parse(const char *binding_name, const char *config,
                              const char **service, ar_error **err);

/* BINDING_CONFIG_INVALID "Failed to parse artifact registry binding" with
 * the serde-style detail as its GENERIC_ERROR source. */
ar_error *ar_binding_shape_error(const char *binding_name, const char *detail);

/* Fails with a shape error unless every key in the NULL-terminated list is
 * present (serde: fields without #[serde(default)] are required). */
ar_error *ar_binding_require(const char *binding_name, json_object *root,
                             const char *const *keys);

/* BindingValue<String>::into_value(binding_name, field_name) for member
 * `key`: the string and its JSON length (which differs from strlen when the
 * JSON escaped a NUL), or alien-core's BINDING_CONFIG_INVALID for a
 * secretRef or an expression. */
ar_error *ar_binding_value_string(const char *binding_name, json_object *root,
                                  const char *key, const char *field_name,
                                  char **out, size_t *len);

/* The binding's registryUrl as every registry backend reads it: alien's
 * into_value (wrapped as "Failed to extract registry_url from binding"),
 * then "Registry endpoint cannot be empty", then the endpoint checks
 * (ar_endpoint_parse_scheme). */
struct ar_endpoint;
ar_error *ar_binding_endpoint(const char *binding_name, json_object *config,
                              int default_https, struct ar_endpoint *ep);

/* An optional BindingValue<String> member `key` (NULL *out when absent),
 * with into_value errors wrapped as "Failed to extract FIELD from
 * binding". */
ar_error *ar_binding_optional_string(const char *binding_name,
                                     json_object *config, const char *key,
                                     const char *field_name, char **out);

#endif
