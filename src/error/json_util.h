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

/* 1 when `text` is exactly one RFC 8259 JSON value (surrounding
 * whitespace allowed, nesting up to 128 levels). */
int ar_json_syntax_ok(const char *text);

/* Parses exactly one JSON document the way serde_json would accept it:
 * strict grammar (no NaN, single quotes or trailing commas), valid UTF-8,
 * nothing but whitespace after the value, nesting up to 128 levels.
 * Returns 0 and the value in *out (which may be NULL for JSON null), or -1
 * and a static description of the problem in *why. */
int ar_json_parse_strict(const char *text, json_object **out,
                         const char **why);

#endif
