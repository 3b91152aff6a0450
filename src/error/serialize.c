/* AlienError's JSON form: field order and omission rules follow serde's
 * output for alien_error::AlienError (contract section 2.1). */
#include <stdlib.h>

#include "error/error.h"
#include "error/json_util.h"

static int add(json_object *obj, const char *key, json_object *value)
{
  if(!value)
    return -1;
  if(json_object_object_add(obj, key, value) != 0) {
    json_object_put(value);
    return -1;
  }
  return 0;
}

static json_object *to_object(const ar_error *e, int outermost)
{
  json_object *obj = json_object_new_object();
  if(!obj)
    return NULL;
  int bad = add(obj, "code", json_object_new_string(e->code))
            | add(obj, "message", json_object_new_string(e->message));
  if(e->context_json)
    bad |= add(obj, "context", json_tokener_parse(e->context_json));
  if(e->hint)
    bad |= add(obj, "hint", json_object_new_string(e->hint));
  bad |= add(obj, "retryable", json_object_new_boolean(e->retryable != 0));
  bad |= add(obj, "internal", json_object_new_boolean(e->internal != 0));
  if(e->http_status_code)
    bad |= add(obj, "httpStatusCode", json_object_new_int(e->http_status_code));
  if(e->source)
    bad |= add(obj, "source", to_object(e->source, 0));
  const char *variant = ar_error_variant(e);
  if(outermost && variant) {
    json_object *payload = json_object_new_object();
    if(payload)
      bad |= add(payload, variant,
               e->context_json ? json_tokener_parse(e->context_json)
                               : json_object_new_object());
    bad |= add(obj, "_error_for_pattern_matching", payload);
  }
  if(bad) {
    json_object_put(obj);
    return NULL;
  }
  return obj;
}

char *ar_error_to_json(const ar_error *err)
{
  return err ? ar_json_take_string(to_object(err, 1)) : NULL;
}
