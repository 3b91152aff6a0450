#include "error/json_util.h"

#include <string.h>

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

int ar_json_parse_strict(const char *text, json_object **out,
                         const char **why)
{
  *out = NULL;
  size_t len = strlen(text);
  if(len > (size_t)INT32_MAX - 1) {
    *why = "the JSON text is too large";
    return -1;
  }
  if(!ar_json_syntax_ok(text)) {
    *why = "the text is not a single valid JSON value";
    return -1;
  }
  json_tokener *tok = json_tokener_new_ex(130);
  if(!tok) {
    *why = "out of memory";
    return -1;
  }
  json_tokener_set_flags(tok, JSON_TOKENER_STRICT
                                  | JSON_TOKENER_VALIDATE_UTF8);
  /* Passing the terminating NUL tells the tokener the input ends there,
   * so a bare literal such as `null` completes. */
  json_object *value = json_tokener_parse_ex(tok, text, (int)len + 1);
  enum json_tokener_error jerr = json_tokener_get_error(tok);
  json_tokener_free(tok);
  if(jerr != json_tokener_success) {
    *why = json_tokener_error_desc(jerr);
    json_object_put(value);
    return -1;
  }
  *out = value;
  return 0;
}
