/* CrossAccountAccess validation (core/access.h): alien's JSON form
 * (contract section 1.3), checked the way serde would deserialise it. */
#include <criterion/criterion.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/access.h"

#define OP "add_cross_account_access"

/* contract 5.2: the access alien's bindings test passes for local */
#define AWS_TEST                                                               \
  "{\"platform\":\"aws\",\"accountIds\":[\"123456789012\"],\"regions\":[],"  \
  "\"allowedServiceTypes\":[\"worker\"],\"roleArns\":[\"arn:aws:iam::"       \
  "123456789012:role/test-role\"]}"
/* contract 1.3: the JSON example */
#define AWS_EXAMPLE                                                            \
  "{\"platform\":\"aws\",\"accountIds\":[],\"regions\":[],"                  \
  "\"allowedServiceTypes\":[\"worker\"],\"roleArns\":[]}"
#define GCP_EXAMPLE                                                            \
  "{\"platform\":\"gcp\",\"projectNumbers\":[\"123456789\"],"                \
  "\"allowedServiceTypes\":[\"worker\"],\"serviceAccountEmails\":[\"sa@p."   \
  "iam.gserviceaccount.com\"]}"

static void assert_valid(const char *json)
{
  ar_error *e = ar_access_validate(OP, json);
  cr_assert_null(e, "%s rejected: %s", json, e ? e->message : "");
}

/* Returns the error (caller frees) after checking the INVALID_INPUT
 * shape: operation_context, field_name "access", no request made. */
static ar_error *invalid(const char *op, const char *json)
{
  ar_error *e = ar_access_validate(op, json);
  cr_assert_not_null(e, "%s accepted", json);
  cr_assert_eq(e->status, ALIEN_AR_ERR_INVALID_INPUT);
  cr_assert_str_eq(e->code, "INVALID_INPUT");
  cr_assert_eq(e->http_status_code, 400);
  cr_assert_eq(e->retryable, 0);
  cr_assert_eq(e->internal, 0);
  cr_assert_null(e->source);
  cr_assert_str_eq(ar_error_variant(e), "invalidInput");

  char prefix[128];
  snprintf(prefix, sizeof(prefix), "%s: Invalid input - ", op);
  cr_assert(strncmp(e->message, prefix, strlen(prefix)) == 0,
            "message '%s' does not start with '%s'", e->message, prefix);
  const char *details = e->message + strlen(prefix);
  cr_assert_str_neq(details, "");

  json_object *ctx = json_tokener_parse(e->context_json);
  cr_assert_not_null(ctx, "context %s", e->context_json);
  json_object *v;
  cr_assert(json_object_object_get_ex(ctx, "field_name", &v));
  cr_assert_str_eq(json_object_get_string(v), "access");
  cr_assert(json_object_object_get_ex(ctx, "operation_context", &v));
  cr_assert_str_eq(json_object_get_string(v), op);
  cr_assert(json_object_object_get_ex(ctx, "details", &v));
  cr_assert_str_eq(json_object_get_string(v), details);
  cr_assert_eq(json_object_object_length(ctx), 3);
  json_object_put(ctx);
  return e;
}

static void assert_invalid(const char *json)
{
  ar_error_free(invalid(OP, json));
}

static void assert_invalid_mentions(const char *json, const char *word)
{
  ar_error *e = invalid(OP, json);
  cr_assert_not_null(strstr(e->message, word), "'%s' lacks '%s'", e->message,
                     word);
  ar_error_free(e);
}

Test(access, aws_examples_are_valid)
{
  assert_valid(AWS_TEST);
  assert_valid(AWS_EXAMPLE);
  assert_valid("{\"platform\":\"aws\",\"accountIds\":[\"1\",\"2\"],"
               "\"regions\":[\"us-east-1\",\"eu-west-1\"],"
               "\"allowedServiceTypes\":[],\"roleArns\":[]}");
}

Test(access, gcp_example_is_valid)
{
  assert_valid(GCP_EXAMPLE);
  assert_valid("{\"platform\":\"gcp\",\"projectNumbers\":[],"
               "\"allowedServiceTypes\":[\"worker\",\"worker\"],"
               "\"serviceAccountEmails\":[]}");
}

Test(access, key_order_whitespace_and_unknown_keys_do_not_matter)
{
  assert_valid(" { \"roleArns\" : [ ] , \"allowedServiceTypes\":[\"worker\"],"
               "\"regions\":[],\"accountIds\":[],\"platform\":\"aws\","
               "\"extra\":{\"x\":[1]}} \n");
}

Test(access, not_json)
{
  assert_invalid("");
  assert_invalid("not json");
  assert_invalid("{\"platform\":\"aws\"");
  assert_invalid("{\"platform\":\"aws\",");
}

/* serde_json::from_str: nothing but whitespace may follow the value, and
 * only strict JSON is accepted. */
Test(access, trailing_garbage_and_extensions_are_not_json)
{
  assert_invalid(AWS_EXAMPLE "x");
  assert_invalid(AWS_EXAMPLE " {}");
  assert_invalid("{\"platform\":\"aws\",\"accountIds\":[],\"regions\":[],"
                 "\"allowedServiceTypes\":[\"worker\"],\"roleArns\":[],}");
  assert_invalid("{'platform':'aws','accountIds':[],'regions':[],"
                 "'allowedServiceTypes':['worker'],'roleArns':[]}");
  assert_invalid("{\"platform\":\"aws\",\"accountIds\":[],\"regions\":[],"
                 "\"allowedServiceTypes\":[\"worker\"],\"roleArns\":[]/**/}");
}

Test(access, not_an_object)
{
  assert_invalid("[]");
  assert_invalid("[" AWS_EXAMPLE "]");
  assert_invalid("42");
  assert_invalid("\"aws\"");
  assert_invalid("null");
  assert_invalid("true");
}

Test(access, missing_or_non_string_platform)
{
  assert_invalid_mentions("{\"accountIds\":[],\"regions\":[],"
                          "\"allowedServiceTypes\":[\"worker\"],"
                          "\"roleArns\":[]}",
                          "platform");
  assert_invalid_mentions("{\"platform\":1,\"accountIds\":[],\"regions\":[],"
                          "\"allowedServiceTypes\":[\"worker\"],"
                          "\"roleArns\":[]}",
                          "platform");
  assert_invalid_mentions("{\"platform\":null}", "platform");
}

Test(access, unknown_platforms)
{
  assert_invalid_mentions("{\"platform\":\"azure\",\"accountIds\":[],"
                          "\"regions\":[],\"allowedServiceTypes\":[\"worker\"],"
                          "\"roleArns\":[]}",
                          "platform");
  assert_invalid("{\"platform\":\"local\"}");
  assert_invalid("{\"platform\":\"AWS\",\"accountIds\":[],\"regions\":[],"
                 "\"allowedServiceTypes\":[\"worker\"],\"roleArns\":[]}");
  assert_invalid("{\"platform\":\"\"}");
}

Test(access, each_missing_aws_field)
{
  static const char *const fields[] = { "accountIds", "regions",
                                        "allowedServiceTypes", "roleArns" };
  static const char *const values[] = { "[]", "[]", "[\"worker\"]", "[]" };
  for(size_t skip = 0; skip < 4; skip++) {
    char json[256];
    size_t k = (size_t)snprintf(json, sizeof(json), "{\"platform\":\"aws\"");
    for(size_t i = 0; i < 4; i++)
      if(i != skip)
        k += (size_t)snprintf(json + k, sizeof(json) - k, ",\"%s\":%s",
                              fields[i], values[i]);
    snprintf(json + k, sizeof(json) - k, "}");
    assert_invalid_mentions(json, fields[skip]);
  }
}

Test(access, each_missing_gcp_field)
{
  static const char *const fields[] = { "projectNumbers",
                                        "allowedServiceTypes",
                                        "serviceAccountEmails" };
  static const char *const values[] = { "[]", "[\"worker\"]", "[]" };
  for(size_t skip = 0; skip < 3; skip++) {
    char json[256];
    size_t k = (size_t)snprintf(json, sizeof(json), "{\"platform\":\"gcp\"");
    for(size_t i = 0; i < 3; i++)
      if(i != skip)
        k += (size_t)snprintf(json + k, sizeof(json) - k, ",\"%s\":%s",
                              fields[i], values[i]);
    snprintf(json + k, sizeof(json) - k, "}");
    assert_invalid_mentions(json, fields[skip]);
  }
}

/* The other platform's fields do not stand in for this one's. */
Test(access, fields_of_the_other_platform_do_not_count)
{
  assert_invalid("{\"platform\":\"gcp\",\"accountIds\":[],\"regions\":[],"
                 "\"allowedServiceTypes\":[\"worker\"],\"roleArns\":[]}");
  assert_invalid("{\"platform\":\"aws\",\"projectNumbers\":[],"
                 "\"allowedServiceTypes\":[\"worker\"],"
                 "\"serviceAccountEmails\":[]}");
}

Test(access, snake_case_keys_are_not_accepted)
{
  assert_invalid("{\"platform\":\"aws\",\"account_ids\":[],\"regions\":[],"
                 "\"allowed_service_types\":[\"worker\"],\"role_arns\":[]}");
}

Test(access, fields_must_be_arrays)
{
  assert_invalid_mentions("{\"platform\":\"aws\",\"accountIds\":\"1\","
                          "\"regions\":[],\"allowedServiceTypes\":[\"worker\"],"
                          "\"roleArns\":[]}",
                          "accountIds");
  assert_invalid_mentions("{\"platform\":\"aws\",\"accountIds\":[],"
                          "\"regions\":null,\"allowedServiceTypes\":"
                          "[\"worker\"],\"roleArns\":[]}",
                          "regions");
  assert_invalid_mentions("{\"platform\":\"aws\",\"accountIds\":[],"
                          "\"regions\":[],\"allowedServiceTypes\":\"worker\","
                          "\"roleArns\":[]}",
                          "allowedServiceTypes");
  assert_invalid_mentions("{\"platform\":\"gcp\",\"projectNumbers\":{},"
                          "\"allowedServiceTypes\":[\"worker\"],"
                          "\"serviceAccountEmails\":[]}",
                          "projectNumbers");
}

Test(access, elements_must_be_strings)
{
  assert_invalid_mentions("{\"platform\":\"aws\",\"accountIds\":[123456789012],"
                          "\"regions\":[],\"allowedServiceTypes\":[\"worker\"],"
                          "\"roleArns\":[]}",
                          "accountIds");
  assert_invalid_mentions("{\"platform\":\"aws\",\"accountIds\":[],"
                          "\"regions\":[null],\"allowedServiceTypes\":"
                          "[\"worker\"],\"roleArns\":[]}",
                          "regions");
  assert_invalid_mentions("{\"platform\":\"aws\",\"accountIds\":[],"
                          "\"regions\":[],\"allowedServiceTypes\":[\"worker\"],"
                          "\"roleArns\":[\"a\",[\"b\"]]}",
                          "roleArns");
  assert_invalid_mentions("{\"platform\":\"gcp\",\"projectNumbers\":[],"
                          "\"allowedServiceTypes\":[\"worker\"],"
                          "\"serviceAccountEmails\":[{}]}",
                          "serviceAccountEmails");
}

Test(access, only_worker_is_a_compute_service_type)
{
  assert_invalid_mentions("{\"platform\":\"aws\",\"accountIds\":[],"
                          "\"regions\":[],\"allowedServiceTypes\":"
                          "[\"browser\"],\"roleArns\":[]}",
                          "allowedServiceTypes");
  assert_invalid("{\"platform\":\"aws\",\"accountIds\":[],\"regions\":[],"
                 "\"allowedServiceTypes\":[\"worker\",\"browser\"],"
                 "\"roleArns\":[]}");
  assert_invalid("{\"platform\":\"aws\",\"accountIds\":[],\"regions\":[],"
                 "\"allowedServiceTypes\":[\"Worker\"],\"roleArns\":[]}");
  assert_invalid("{\"platform\":\"gcp\",\"projectNumbers\":[],"
                 "\"allowedServiceTypes\":[\"\"],\"serviceAccountEmails\":[]}");
  assert_invalid("{\"platform\":\"aws\",\"accountIds\":[],\"regions\":[],"
                 "\"allowedServiceTypes\":[1],\"roleArns\":[]}");
}

Test(access, operation_names_the_call)
{
  ar_error *e = invalid("remove_cross_account_access", "[]");
  cr_assert(strncmp(e->message, "remove_cross_account_access: Invalid input - ",
                    45) == 0);
  ar_error_free(e);
}

Test(access, deep_nesting_does_not_crash)
{
  size_t n = 100000;
  char *deep = malloc(n + 1);
  cr_assert_not_null(deep);
  memset(deep, '[', n);
  deep[n] = '\0';
  assert_invalid(deep);
  free(deep);
}
