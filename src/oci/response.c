#include "oci/response.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "oci/names.h"
#include "util/str.h"

#define MAX_TEXT 200

/* Keeps a registry's text out of our messages when it is not printable
 * ASCII, and bounds its length. */
static void printable(char *out, size_t cap, const char *in, size_t len)
{
  size_t o = 0;
  for(size_t i = 0; i < len && o + 1 < cap; i++) {
    unsigned char c = (unsigned char)in[i];
    out[o++] = (c >= 0x20 && c < 0x7f) ? (char)c : ' ';
  }
  out[o] = '\0';
}

/* The first error object of an envelope, or NULL. */
static json_object *first_error(json_object *root)
{
  json_object *errors, *first;
  if(root && json_object_is_type(root, json_type_object)
     && json_object_object_get_ex(root, "errors", &errors)
     && json_object_is_type(errors, json_type_array)
     && (first = json_object_array_get_idx(errors, 0))
     && json_object_is_type(first, json_type_object))
    return first;
  return NULL;
}

static const char *string_member(json_object *obj, const char *key)
{
  json_object *v;
  if(json_object_object_get_ex(obj, key, &v)
     && json_object_is_type(v, json_type_string))
    return json_object_get_string(v);
  return NULL;
}

char *ar_oci_error_detail(const char *body, size_t len)
{
  if(!body || !len)
    return ar_strdup("");
  json_object *root = json_tokener_parse(body);
  json_object *first = first_error(root);
  const char *code = first ? string_member(first, "code") : NULL;
  char *out;
  if(code) {
    const char *m = string_member(first, "message");
    char ctext[64], mtext[MAX_TEXT];
    printable(ctext, sizeof(ctext), code, strlen(code));
    printable(mtext, sizeof(mtext), m ? m : "", m ? strlen(m) : 0);
    out = ar_format("%s: %s", ctext, mtext);
  }
  else {
    char text[MAX_TEXT];
    printable(text, sizeof(text), body, len);
    out = ar_strdup(text);
  }
  json_object_put(root);
  return out;
}

int ar_oci_error_code_is(const char *body, const char *want)
{
  json_object *root = body ? json_tokener_parse(body) : NULL;
  json_object *first = first_error(root);
  const char *code = first ? string_member(first, "code") : NULL;
  int is = code && !strcmp(code, want);
  json_object_put(root);
  return is;
}

int ar_oci_parse_tags(const char *body, char ***tags, size_t *count,
                      const struct ar_log *log)
{
  json_object *root = body ? json_tokener_parse(body) : NULL;
  json_object *list = NULL;
  int rc = 0;
  if(!root || !json_object_is_type(root, json_type_object)) {
    json_object_put(root);
    return -1;
  }
  /* distribution answers "tags":null once every tag is deleted. */
  if(json_object_object_get_ex(root, "tags", &list) && list) {
    if(!json_object_is_type(list, json_type_array))
      rc = -1;
    size_t n = rc ? 0 : json_object_array_length(list);
    for(size_t i = 0; i < n; i++) {
      json_object *item = json_object_array_get_idx(list, i);
      const char *t = json_object_is_type(item, json_type_string)
                          ? json_object_get_string(item)
                          : NULL;
      if(!t || !ar_oci_tag_valid(t)) {
        AR_LOG_WARN(log, "ignoring a malformed tag in the registry's tag "
                         "list");
        continue;
      }
      char **grown = realloc(*tags, (*count + 1) * sizeof(**tags));
      if(!grown || !(grown[*count] = ar_strdup(t))) {
        if(grown)
          *tags = grown;
        rc = -2;
        break;
      }
      *tags = grown;
      (*count)++;
    }
  }
  json_object_put(root);
  return rc;
}

char *ar_oci_link_next(const char *link)
{
  if(!link || !strstr(link, "rel=\"next\""))
    return NULL;
  const char *open = strchr(link, '<');
  const char *close = open ? strchr(open, '>') : NULL;
  return close ? ar_strndup(open + 1, (size_t)(close - open - 1)) : NULL;
}
