#include "core/access.h"

#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

#include "error/json_util.h"
#include "util/str.h"

struct platform {
  const char *tag;
  const char *fields[4]; /* Vec<String> fields, NULL-terminated */
};

/* Field names as serde's rename_all="camelCase" spells them; each platform
 * also has allowedServiceTypes (Vec<ComputeServiceType>). */
static const struct platform platforms[] = {
  { "aws", { "accountIds", "regions", "roleArns", NULL } },
  { "gcp", { "projectNumbers", "serviceAccountEmails", NULL } },
};

static ar_error *bad(const char *operation, const char *details)
{
  return ar_err_invalid_input(operation, details, "access");
}

static ar_error *check_list(const char *operation, json_object *root,
                            const char *field, const char *only_value)
{
  json_object *list;
  char *why = NULL;
  if(!json_object_object_get_ex(root, field, &list))
    why = ar_format("missing field `%s` in the cross-account access", field);
  else if(!json_object_is_type(list, json_type_array))
    why = ar_format("field `%s` must be an array", field);
  else {
    size_t n = json_object_array_length(list);
    for(size_t i = 0; i < n && !why; i++) {
      json_object *v = json_object_array_get_idx(list, i);
      if(!json_object_is_type(v, json_type_string))
        why = ar_format("field `%s` must hold strings", field);
      else if(only_value && strcmp(json_object_get_string(v), only_value))
        why = ar_format("unknown variant in `%s`, expected `%s`", field,
                        only_value);
    }
  }
  if(!why)
    return NULL;
  ar_error *e = bad(operation, why);
  free(why);
  return e;
}

ar_error *ar_access_validate(const char *operation, const char *access_json)
{
  json_object *root = NULL;
  const char *why = NULL;
  json_object *tag;
  ar_error *e = NULL;
  if(ar_json_parse_strict(access_json, &root, &why) != 0)
    e = bad(operation, "the cross-account access is not valid JSON");
  else if(!json_object_is_type(root, json_type_object))
    e = bad(operation, "the cross-account access is not a JSON object");
  else if(!json_object_object_get_ex(root, "platform", &tag)
          || !json_object_is_type(tag, json_type_string))
    e = bad(operation, "missing field `platform` in the cross-account access");
  else {
    const struct platform *p = NULL;
    for(size_t i = 0; i < sizeof(platforms) / sizeof(platforms[0]); i++)
      if(!strcmp(json_object_get_string(tag), platforms[i].tag))
        p = &platforms[i];
    if(!p)
      e = bad(operation, "unknown variant in `platform`, expected `aws` or "
                         "`gcp`");
    for(size_t i = 0; p && !e && p->fields[i]; i++)
      e = check_list(operation, root, p->fields[i], NULL);
    if(p && !e)
      e = check_list(operation, root, "allowedServiceTypes", "worker");
  }
  json_object_put(root);
  return e;
}
