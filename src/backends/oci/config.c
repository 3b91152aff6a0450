#include "backends/oci/config.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config/binding.h"
#include "oci/names.h"
#include "util/str.h"

static ar_error *invalid(const char *binding_name, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static ar_error *invalid(const char *binding_name, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  char *why = ar_vformat(fmt, ap);
  va_end(ap);
  ar_error *e = why ? ar_err_binding_config_invalid(binding_name, why) : NULL;
  free(why);
  return e ? e : ar_err_generic("out of memory");
}

static ar_error *read_namespace(const char *binding_name, json_object *config,
                                struct oci_config *c)
{
  json_object *v;
  const char *ns = binding_name;
  if(json_object_object_get_ex(config, "namespace", &v)) {
    if(!json_object_is_type(v, json_type_string))
      return invalid(binding_name, "Field 'namespace' must be a string");
    ns = json_object_get_string(v);
  }
  const char *why = ar_oci_name_problem(ns);
  if(why)
    return invalid(binding_name, "Invalid namespace '%.100s': %s", ns, why);
  c->namespace_ = ar_strdup(ns);
  return c->namespace_ ? NULL : ar_err_generic("out of memory");
}

static ar_error *read_tls(const char *binding_name, json_object *config,
                          struct oci_config *c)
{
  json_object *v;
  if(json_object_object_get_ex(config, "insecure", &v)) {
    if(!json_object_is_type(v, json_type_boolean))
      return invalid(binding_name, "Field 'insecure' must be true or false");
    c->insecure = json_object_get_boolean(v);
  }
  if(json_object_object_get_ex(config, "caFile", &v)) {
    struct stat st;
    if(!json_object_is_type(v, json_type_string))
      return invalid(binding_name, "Field 'caFile' must be a path");
    const char *path = json_object_get_string(v);
    if(stat(path, &st) != 0 || !S_ISREG(st.st_mode) || access(path, R_OK))
      return invalid(binding_name, "Field 'caFile': '%.200s' is not a "
                                   "readable file",
                     path);
    c->ca_file = ar_strdup(path);
    if(!c->ca_file)
      return ar_err_generic("out of memory");
  }
  return NULL;
}

ar_error *oci_config_read(const char *binding_name, json_object *config,
                          struct oci_config *c)
{
  memset(c, 0, sizeof(*c));
  static const char *const required[] = { "registryUrl", NULL };
  ar_error *e = ar_binding_require(binding_name, config, required);
  if(!e)
    e = ar_binding_endpoint(binding_name, config, 1, &c->endpoint);
  if(!e)
    e = read_namespace(binding_name, config, c);
  if(!e)
    e = ar_binding_optional_string(binding_name, config, "username",
                                   "username", &c->username);
  if(!e)
    e = ar_binding_optional_string(binding_name, config, "password",
                                   "password", &c->password);
  if(!e && (!c->username) != (!c->password))
    e = invalid(binding_name, "Fields 'username' and 'password' go "
                              "together: set both or neither");
  if(!e)
    e = read_tls(binding_name, config, c);
  if(!e)
    e = ar_transport_options_parse(binding_name, config, &c->transport);
  int plain = !c->endpoint.tls;
  int loopback = c->endpoint.base_url && ar_endpoint_is_loopback(&c->endpoint);
  if(!e && plain && !loopback && !c->insecure)
    e = invalid(binding_name, "Field 'registryUrl': plain http to a "
                              "non-loopback host needs \"insecure\": true");
  if(!e && plain && !loopback && c->username)
    e = invalid(binding_name, "Fields 'username' and 'password' cannot be "
                              "sent over plain http to a non-loopback host; "
                              "use https");
  if(e)
    oci_config_free(c);
  return e;
}

void oci_config_free(struct oci_config *c)
{
  ar_endpoint_free(&c->endpoint);
  free(c->namespace_);
  ar_free_secret(c->username);
  ar_free_secret(c->password);
  free(c->ca_file);
  memset(c, 0, sizeof(*c));
}
