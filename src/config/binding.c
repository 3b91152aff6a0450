#include "config/binding.h"

#include <stdlib.h>
#include <string.h>

#include "config/endpoint.h"
#include "error/json_util.h"
#include "util/str.h"

ar_error *ar_binding_shape_error(const char *binding_name, const char *detail)
{
  return ar_error_chain(
      ar_err_binding_config_invalid(binding_name,
                                    "Failed to parse artifact registry binding"),
      ar_err_generic("%s", detail));
}

json_object *ar_binding_parse(const char *binding_name, const char *config,
                              const char **service, ar_error **err)
{
  *err = NULL;
  json_object *root = NULL;
  const char *why = NULL;
  if(ar_json_parse_strict(config, &root, &why) != 0) {
    *err = ar_error_chain(
        ar_err_binding_config_invalid(binding_name,
                                      "Failed to parse binding JSON"),
        ar_err_generic("%s", why));
    return NULL;
  }
  if(!json_object_is_type(root, json_type_object)) {
    json_object_put(root);
    *err = ar_binding_shape_error(binding_name,
                                  "invalid type: expected internally tagged "
                                  "enum ArtifactRegistryBinding");
    return NULL;
  }
  json_object *tag = NULL;
  if(!json_object_object_get_ex(root, "service", &tag)
     || !json_object_is_type(tag, json_type_string)) {
    json_object_put(root);
    *err = ar_binding_shape_error(binding_name,
                                  tag ? "invalid type: field `service` must be "
                                        "a string"
                                      : "missing field `service`");
    return NULL;
  }
  *service = json_object_get_string(tag);
  return root;
}

ar_error *ar_binding_require(const char *binding_name, json_object *root,
                             const char *const *keys)
{
  for(; *keys; keys++) {
    if(!json_object_object_get_ex(root, *keys, NULL)) {
      char *detail = ar_format("missing field `%s`", *keys);
      ar_error *e = detail ? ar_binding_shape_error(binding_name, detail)
                           : NULL;
      free(detail);
      return e ? e : ar_err_generic("out of memory");
    }
  }
  return NULL;
}

/* serde's untagged BindingValue: {"secretRef":{"name":S,"key":S}} is a
 * SecretRef; anything that is neither that nor a string is an Expression. */
static int is_secret_ref(json_object *v)
{
  json_object *ref, *name, *key;
  return json_object_is_type(v, json_type_object)
         && json_object_object_get_ex(v, "secretRef", &ref)
         && json_object_is_type(ref, json_type_object)
         && json_object_object_get_ex(ref, "name", &name)
         && json_object_is_type(name, json_type_string)
         && json_object_object_get_ex(ref, "key", &key)
         && json_object_is_type(key, json_type_string);
}

ar_error *ar_binding_value_string(const char *binding_name, json_object *root,
                                  const char *key, const char *field_name,
                                  char **out, size_t *len)
{
  *out = NULL;
  *len = 0;
  json_object *v = NULL;
  json_object_object_get_ex(root, key, &v);
  if(json_object_is_type(v, json_type_string)) {
    /* json-c keeps an escaped NUL; the length lets the caller reject it
     * instead of silently truncating. */
    *len = (size_t)json_object_get_string_len(v);
    *out = ar_strndup(json_object_get_string(v), *len);
    return *out ? NULL : ar_err_generic("out of memory");
  }
  char *reason =
      is_secret_ref(v)
          ? ar_format("SecretRef not resolved for field '%s' - this should "
                      "have been resolved by the controller",
                      field_name)
          : ar_format("Template expressions not supported in runtime "
                      "bindings for field '%s'",
                      field_name);
  ar_error *e = reason ? ar_err_core_binding_config_invalid(binding_name,
                                                            reason)
                       : NULL;
  free(reason);
  return e ? e : ar_err_generic("out of memory");
}

static ar_error *extract_failed(const char *binding_name,
                                const char *field_name, ar_error *cause)
{
  char *why = ar_format("Failed to extract %s from binding", field_name);
  ar_error *e = why ? ar_err_binding_config_invalid(binding_name, why)
                    : NULL;
  free(why);
  return ar_error_chain(e, cause);
}

ar_error *ar_binding_optional_string(const char *binding_name,
                                     json_object *config, const char *key,
                                     const char *field_name, char **out)
{
  *out = NULL;
  if(!json_object_object_get_ex(config, key, NULL))
    return NULL;
  size_t len = 0;
  ar_error *e = ar_binding_value_string(binding_name, config, key,
                                        field_name, out, &len);
  if(e)
    return extract_failed(binding_name, field_name, e);
  if(strlen(*out) != len) {
    free(*out);
    *out = NULL;
    char *why = ar_format("Invalid %s: it contains a NUL character", key);
    e = why ? ar_err_binding_config_invalid(binding_name, why) : NULL;
    free(why);
    return e ? e : ar_err_generic("out of memory");
  }
  return NULL;
}

ar_error *ar_binding_endpoint(const char *binding_name, json_object *config,
                              int default_https, struct ar_endpoint *ep)
{
  char *url = NULL;
  size_t len = 0;
  ar_error *e = ar_binding_value_string(binding_name, config, "registryUrl",
                                        "registry_url", &url, &len);
  if(e)
    return extract_failed(binding_name, "registry_url", e);
  char *why = NULL;
  if(len == 0)
    e = ar_err_binding_config_invalid(binding_name,
                                      "Registry endpoint cannot be empty");
  else if(strlen(url) != len)
    e = ar_err_binding_config_invalid(binding_name, "Invalid registryUrl: it "
                                                    "contains a NUL character");
  else if((why = ar_endpoint_parse_scheme(url, default_https, ep)))
    e = ar_err_binding_config_invalid(binding_name, why);
  else if(!ep->base_url)
    e = ar_err_generic("out of memory");
  free(why);
  free(url);
  return e;
}
