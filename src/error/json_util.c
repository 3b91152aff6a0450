#include "error/json_util.h"

#include "util/str.h"

char *ar_json_take_string(json_object *obj)
{
  if(!obj)
    return NULL;
  const char *s = json_object_to_json_string_ext(
      obj, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
  char *copy = s ? ar_strdup(s) : NULL;
  json_object_put(obj);
  return copy;
}

int ar_json_add_string(json_object *obj, const char *key, const char *value)
{
  json_object *v = value ? json_object_new_string(value) : NULL;
  if(value && !v)
    return -1;
  if(json_object_object_add(obj, key, v) != 0) {
    json_object_put(v);
    return -1;
  }
  return 0;
}
