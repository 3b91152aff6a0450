#include "config/transport_options.h"

#include <stddef.h>
#include <stdlib.h>

#include "util/str.h"

struct key_spec {
  const char *key;
  size_t offset;
  long min, max;
  const char *unit;
};

static const struct key_spec keys[] = {
  { "connectTimeoutMs", offsetof(struct ar_transport_options,
                                 connect_timeout_ms), 1, 3600000,
    "milliseconds" },
  { "requestTimeoutMs", offsetof(struct ar_transport_options,
                                 request_timeout_ms), 1, 86400000,
    "milliseconds" },
  { "operationTimeoutMs", offsetof(struct ar_transport_options,
                                   operation_timeout_ms), 1, 86400000,
    "milliseconds" },
  { "maxRetries", offsetof(struct ar_transport_options, max_retries), 0, 10,
    "retries" },
};

void ar_transport_options_default(struct ar_transport_options *o)
{
  o->connect_timeout_ms = 5000;
  o->request_timeout_ms = 30000;
  o->operation_timeout_ms = 60000;
  o->max_retries = 2;
}

ar_error *ar_transport_options_parse(const char *binding_name,
                                     json_object *root,
                                     struct ar_transport_options *o)
{
  ar_transport_options_default(o);
  for(size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
    json_object *v;
    if(!json_object_object_get_ex(root, keys[i].key, &v))
      continue;
    int64_t n = json_object_get_int64(v);
    if(!json_object_is_type(v, json_type_int) || n < keys[i].min
       || n > keys[i].max) {
      char *why = ar_format("Field '%s' must be an integer from %ld to %ld "
                            "(%s)",
                            keys[i].key, keys[i].min, keys[i].max,
                            keys[i].unit);
      ar_error *e = why ? ar_err_binding_config_invalid(binding_name, why)
                        : NULL;
      free(why);
      return e ? e : ar_err_generic("out of memory");
    }
    *(long *)(void *)((char *)o + keys[i].offset) = (long)n;
  }
  return NULL;
}
