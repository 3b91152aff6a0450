/* json-c helpers: one place that knows how the plugin prints JSON. */
#ifndef AR_ERROR_JSON_UTIL_H
#define AR_ERROR_JSON_UTIL_H

#include <json-c/json.h>

/* Compact JSON, slashes not escaped (digests and media types must keep
 * their exact bytes). Returns a malloc'd copy, NULL on failure. Releases
 * `obj`. */
char *ar_json_take_string(json_object *obj);
/* Adds a string member, or JSON null when `value` is NULL. Returns 0 on
 * success. */
int ar_json_add_string(json_object *obj, const char *key, const char *value);

#endif
