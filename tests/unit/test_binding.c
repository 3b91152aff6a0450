/* The binding config (config/binding.h, config/transport_options.h):
 * alien's JSON for ALIEN_<NAME>_BINDING parsed with serde's rules
 * (contract sections 3.1 to 3.4). */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/binding.h"
#include "config/transport_options.h"

#define B "test-alien-artifact-registry"
#define ENV "ALIEN_TEST_ALIEN_ARTIFACT_REGISTRY_BINDING"
#define NOT_JSON "Failed to parse binding JSON"
#define SHAPE "Failed to parse artifact registry binding"
#define SECRET_REASON                                                          \
  "SecretRef not resolved for field 'registry_url' - this should have been " \
  "resolved by the controller"
#define EXPR_REASON                                                            \
  "Template expressions not supported in runtime bindings for field "        \
  "'registry_url'"

static const char *const local_keys[] = { "registryUrl", "dataDir", NULL };

/* Parses a config that must be accepted; returns the root. */
static json_object *parse_ok(const char *config, const char *service)
{
  ar_error *err = (ar_error *)(uintptr_t)1;
  const char *svc = NULL;
  json_object *root = ar_binding_parse(B, config, &svc, &err);
  char *json = err ? ar_error_to_json(err) : NULL;
  cr_assert_not_null(root, "config %s was rejected: %s", config,
                     json ? json : "(no error)");
  cr_assert_null(err);
  cr_assert_not_null(svc);
  cr_assert_str_eq(svc, service);
  return root;
}

/* Asserts `e` is the plugin's BINDING_CONFIG_INVALID with `reason`. */
static void assert_config_invalid(const ar_error *e, const char *reason)
{
  char expected_ctx[512];
  char expected_msg[512];
  cr_assert_not_null(e);
  snprintf(expected_msg, sizeof(expected_msg),
           "Binding configuration invalid for binding '" B "' (env var '" ENV
           "'): %s",
           reason);
  snprintf(expected_ctx, sizeof(expected_ctx),
           "{\"binding_name\":\"" B "\",\"env_var\":\"" ENV "\",\"reason\":"
           "\"%s\"}",
           reason);
  cr_assert_eq(e->status, ALIEN_AR_ERR_CONFIG);
  cr_assert_str_eq(e->code, "BINDING_CONFIG_INVALID");
  cr_assert_str_eq(e->message, expected_msg);
  cr_assert_not_null(e->context_json);
  cr_assert_str_eq(e->context_json, expected_ctx);
  cr_assert_eq(e->retryable, 0);
  cr_assert_eq(e->internal, 0);
  cr_assert_eq(e->http_status_code, 400);
}

/* Parses a config that must be rejected with `reason`; returns the error. */
static ar_error *parse_fails(const char *config, const char *reason)
{
  ar_error *err = NULL;
  const char *svc = NULL;
  json_object *root = ar_binding_parse(B, config, &svc, &err);
  if(root) {
    json_object_put(root); /* keeps memcheck quiet when this fails */
    cr_assert_fail("config '%s' was accepted", config);
  }
  cr_assert_not_null(err, "config '%s': no error", config);
  const char *ctx_reason = err->context_json
                               ? strstr(err->context_json, "\"reason\":\"")
                               : NULL;
  if(!ctx_reason || strncmp(ctx_reason + 10, reason, strlen(reason)) != 0) {
    char got[512];
    snprintf(got, sizeof(got), "%s", err->message);
    ar_error_free(err); /* keeps memcheck quiet when this fails */
    cr_assert_fail("config '%s': expected reason '%s', got '%s'", config,
                   reason, got);
  }
  assert_config_invalid(err, reason);
  return err;
}

static void assert_generic_source(const ar_error *e, const char *message)
{
  cr_assert_not_null(e->source);
  cr_assert_str_eq(e->source->code, "GENERIC_ERROR");
  cr_assert_null(e->source->context_json);
  cr_assert_eq(e->source->http_status_code, 500);
  if(message)
    cr_assert_str_eq(e->source->message, message);
}

/* Reads registryUrl as LocalArtifactRegistry::new does; must succeed. */
static void assert_registry_url(json_object *root, const char *expected)
{
  cr_assert_null(ar_binding_require(B, root, local_keys));
  char *url = NULL;
  size_t len = 99;
  ar_error *e = ar_binding_value_string(B, root, "registryUrl",
                                        "registry_url", &url, &len);
  cr_assert_null(e, "registryUrl: %s", e ? e->message : "");
  cr_assert_not_null(url);
  cr_assert_str_eq(url, expected);
  cr_assert_eq(len, strlen(expected));
  free(url);
}

/* registryUrl must be refused by into_value with alien-core's error. */
static void assert_value_error(const char *config, const char *reason)
{
  char expected_msg[512];
  char expected_ctx[512];
  json_object *root = parse_ok(config, "local");
  cr_assert_null(ar_binding_require(B, root, local_keys));
  char *url = (char *)(uintptr_t)1;
  size_t len = 99;
  ar_error *e = ar_binding_value_string(B, root, "registryUrl",
                                        "registry_url", &url, &len);
  cr_assert_not_null(e, "config %s: registryUrl accepted", config);
  cr_assert_null(url);
  cr_assert_eq(len, 0);
  snprintf(expected_msg, sizeof(expected_msg),
           "Invalid binding configuration for '" B "': %s", reason);
  snprintf(expected_ctx, sizeof(expected_ctx),
           "{\"binding_name\":\"" B "\",\"reason\":\"%s\"}", reason);
  cr_assert_eq(e->status, ALIEN_AR_ERR_CONFIG);
  cr_assert_str_eq(e->code, "BINDING_CONFIG_INVALID");
  cr_assert_str_eq(e->message, expected_msg, "config %s", config);
  cr_assert_str_eq(e->context_json, expected_ctx);
  cr_assert_eq(e->http_status_code, 500);
  cr_assert_eq(e->retryable, 0);
  cr_assert_eq(e->internal, 0);
  cr_assert_null(e->source);
  cr_assert_str_eq(ar_error_variant(e), "bindingConfigInvalid");
  ar_error_free(e);
  json_object_put(root);
}

/* ---- contract 3.4: what alien emits ----------------------------------- */

Test(binding, literal_1_local_controller)
{
  json_object *root = parse_ok("{\"service\":\"local\",\"registryUrl\":"
                               "\"localhost:54321\",\"dataDir\":null}",
                               "local");
  assert_registry_url(root, "localhost:54321");
  json_object_put(root);
}

Test(binding, literal_2_docker_rewrite)
{
  json_object *root = parse_ok("{\"service\":\"local\",\"registryUrl\":"
                               "\"host.docker.internal:54321\",\"dataDir\":"
                               "null}",
                               "local");
  assert_registry_url(root, "host.docker.internal:54321");
  json_object_put(root);
}

Test(binding, literal_3_bindings_test_context)
{
  json_object *root = parse_ok("{\"service\":\"local\",\"registryUrl\":"
                               "\"localhost:40123\",\"dataDir\":null}",
                               "local");
  assert_registry_url(root, "localhost:40123");
  json_object_put(root);
}

/* #4's registryUrl is "<host:port from dockdash setup_local_registry>". */
Test(binding, literal_4_manager_proxy_test)
{
  json_object *root = parse_ok("{\"service\":\"local\",\"registryUrl\":"
                               "\"127.0.0.1:37001\",\"dataDir\":null}",
                               "local");
  assert_registry_url(root, "127.0.0.1:37001");
  json_object_put(root);
}

Test(binding, whitespace_and_key_order_do_not_matter)
{
  json_object *root = parse_ok(" \n\t{ \"dataDir\" : \"/tmp/x\" ,\r\n "
                               "\"registryUrl\" : \"localhost:5000\" , "
                               "\"service\" : \"local\" } \n ",
                               "local");
  assert_registry_url(root, "localhost:5000");
  json_object_put(root);
}

Test(binding, unknown_keys_are_ignored)
{
  json_object *root = parse_ok("{\"service\":\"local\",\"registryUrl\":"
                               "\"localhost:5000\",\"dataDir\":null,\"extra\":"
                               "{\"nested\":[1,2,{\"x\":null}]}}",
                               "local");
  assert_registry_url(root, "localhost:5000");
  json_object_put(root);
}

Test(binding, other_services_are_returned_as_their_tag)
{
  json_object *root = parse_ok("{\"service\":\"ecr\",\"repositoryPrefix\":"
                               "\"p\"}",
                               "ecr");
  json_object_put(root);
  root = parse_ok("{\"service\":\"\"}", "");
  json_object_put(root);
}

/* ---- contract 3.4: negative forms -------------------------------------- */

Test(binding, secret_ref_registry_url)
{
  assert_value_error("{\"service\":\"local\",\"registryUrl\":{\"secretRef\":"
                     "{\"name\":\"r\",\"key\":\"url\"}},\"dataDir\":null}",
                     SECRET_REASON);
}

Test(binding, secret_ref_with_extra_keys_is_still_a_secret_ref)
{
  assert_value_error("{\"service\":\"local\",\"registryUrl\":{\"secretRef\":"
                     "{\"name\":\"r\",\"key\":\"url\",\"x\":1},\"y\":2},"
                     "\"dataDir\":null}",
                     SECRET_REASON);
}

Test(binding, ref_expression_registry_url)
{
  assert_value_error("{\"service\":\"local\",\"registryUrl\":{\"Ref\":"
                     "\"Reg\"},\"dataDir\":null}",
                     EXPR_REASON);
}

/* serde untagged: a secretRef without `key` does not deserialise as
 * SecretRef, so it falls through to Expression. */
Test(binding, incomplete_secret_ref_is_an_expression)
{
  assert_value_error("{\"service\":\"local\",\"registryUrl\":{\"secretRef\":"
                     "{\"name\":\"r\"}},\"dataDir\":null}",
                     EXPR_REASON);
  assert_value_error("{\"service\":\"local\",\"registryUrl\":{\"secretRef\":"
                     "{\"name\":1,\"key\":\"k\"}},\"dataDir\":null}",
                     EXPR_REASON);
  assert_value_error("{\"service\":\"local\",\"registryUrl\":{\"secretRef\":"
                     "\"r\"},\"dataDir\":null}",
                     EXPR_REASON);
}

Test(binding, non_string_registry_urls_are_expressions)
{
  assert_value_error("{\"service\":\"local\",\"registryUrl\":42,\"dataDir\":"
                     "null}",
                     EXPR_REASON);
  assert_value_error("{\"service\":\"local\",\"registryUrl\":null,"
                     "\"dataDir\":null}",
                     EXPR_REASON);
  assert_value_error("{\"service\":\"local\",\"registryUrl\":true,"
                     "\"dataDir\":null}",
                     EXPR_REASON);
  assert_value_error("{\"service\":\"local\",\"registryUrl\":[\"a\"],"
                     "\"dataDir\":null}",
                     EXPR_REASON);
}

Test(binding, empty_registry_url_is_read_as_empty)
{
  json_object *root = parse_ok("{\"service\":\"local\",\"registryUrl\":\"\","
                               "\"dataDir\":null}",
                               "local");
  assert_registry_url(root, "");
  json_object_put(root);
}

Test(binding, escaped_nul_keeps_the_json_length)
{
  json_object *root = parse_ok("{\"service\":\"local\",\"registryUrl\":"
                               "\"local\\u0000host:5000\",\"dataDir\":null}",
                               "local");
  char *url = NULL;
  size_t len = 0;
  ar_error *e = ar_binding_value_string(B, root, "registryUrl",
                                        "registry_url", &url, &len);
  cr_assert_null(e);
  cr_assert_not_null(url);
  cr_assert_eq(len, 15);
  cr_assert_eq(strlen(url), 5);
  cr_assert_eq(memcmp(url, "local\0host:5000", 16), 0);
  free(url);
  json_object_put(root);
}

Test(binding, escapes_are_decoded)
{
  json_object *root = parse_ok("{\"service\":\"loc\\u0061l\",\"registryUrl\":"
                               "\"http:\\/\\/localhost:5000\",\"dataDir\":"
                               "null}",
                               "local");
  assert_registry_url(root, "http://localhost:5000");
  json_object_put(root);
}

Test(binding, missing_data_dir_is_a_shape_error)
{
  json_object *root = parse_ok("{\"service\":\"local\",\"registryUrl\":"
                               "\"localhost:5000\"}",
                               "local");
  ar_error *e = ar_binding_require(B, root, local_keys);
  assert_config_invalid(e, SHAPE);
  assert_generic_source(e, "missing field `dataDir`");
  cr_assert_str_eq(ar_error_variant(e), "bindingConfigInvalid");
  cr_assert_null(ar_error_variant(e->source));
  ar_error_free(e);
  json_object_put(root);
}

Test(binding, missing_registry_url_is_reported_first)
{
  json_object *root = parse_ok("{\"service\":\"local\"}", "local");
  ar_error *e = ar_binding_require(B, root, local_keys);
  assert_config_invalid(e, SHAPE);
  assert_generic_source(e, "missing field `registryUrl`");
  ar_error_free(e);
  json_object_put(root);
}

Test(binding, null_data_dir_counts_as_present)
{
  json_object *root = parse_ok("{\"service\":\"local\",\"registryUrl\":\"x\","
                               "\"dataDir\":null}",
                               "local");
  cr_assert_null(ar_binding_require(B, root, local_keys));
  json_object_put(root);
}

Test(binding, scheme_url_with_data_dir_loads)
{
  json_object *root = parse_ok("{\"service\":\"local\",\"registryUrl\":"
                               "\"http://localhost:5000\",\"dataDir\":"
                               "\"/tmp/x\"}",
                               "local");
  assert_registry_url(root, "http://localhost:5000");
  json_object_put(root);
}

Test(binding, shape_error_json_matches_alien)
{
  json_object *root = parse_ok("{\"service\":\"local\",\"registryUrl\":"
                               "\"localhost:5000\"}",
                               "local");
  ar_error *e = ar_binding_require("b", root, local_keys);
  char *json = ar_error_to_json(e);
  cr_assert_str_eq(
      json,
      "{\"code\":\"BINDING_CONFIG_INVALID\",\"message\":\"Binding "
      "configuration invalid for binding 'b' (env var 'ALIEN_B_BINDING'): "
      "Failed to parse artifact registry binding\",\"context\":{"
      "\"binding_name\":\"b\",\"env_var\":\"ALIEN_B_BINDING\",\"reason\":"
      "\"Failed to parse artifact registry binding\"},\"retryable\":false,"
      "\"internal\":false,\"httpStatusCode\":400,\"source\":{\"code\":"
      "\"GENERIC_ERROR\",\"message\":\"missing field `dataDir`\","
      "\"retryable\":false,\"internal\":false,\"httpStatusCode\":500},"
      "\"_error_for_pattern_matching\":{\"bindingConfigInvalid\":{"
      "\"binding_name\":\"b\",\"env_var\":\"ALIEN_B_BINDING\",\"reason\":"
      "\"Failed to parse artifact registry binding\"}}}");
  free(json);
  ar_error_free(e);
  json_object_put(root);
}

/* ---- not JSON: "Failed to parse binding JSON" --------------------------- */

static void assert_shape(const char *config, const char *detail);

static void assert_not_json(const char *config)
{
  ar_error *e = parse_fails(config, NOT_JSON);
  assert_generic_source(e, NULL);
  cr_assert_str_neq(e->source->message, "", "config '%s'", config);
  cr_assert_str_neq(e->source->message, "success", "config '%s'", config);
  ar_error_free(e);
}

Test(not_json, plain_text)
{
  assert_not_json("not json");
  assert_not_json("localhost:5000");
}

Test(not_json, empty_and_whitespace)
{
  assert_not_json("");
  assert_not_json("   \n");
}

Test(not_json, truncated_object)
{
  assert_not_json("{\"service\":\"local\"");
  assert_not_json("{\"service\":\"loc");
  assert_not_json("{");
}

/* serde_json::from_str rejects anything but whitespace after the value. */
Test(not_json, trailing_garbage)
{
  assert_not_json("{\"service\":\"local\",\"registryUrl\":\"localhost:5000\","
                  "\"dataDir\":null}x");
  assert_not_json("{\"service\":\"local\",\"registryUrl\":\"localhost:5000\","
                  "\"dataDir\":null} {}");
  assert_not_json("{\"service\":\"local\"}}");
}

/* serde_json accepts strict RFC 8259 JSON only. */
Test(not_json, non_standard_extensions)
{
  assert_not_json("{\"service\":\"local\",\"registryUrl\":\"localhost:5000\","
                  "\"dataDir\":null,}");
  assert_not_json("{\"service\":\"local\",\"registryUrl\":\"localhost:5000\","
                  "\"dataDir\":null/*c*/}");
  assert_not_json("{'service':'local','registryUrl':'localhost:5000',"
                  "'dataDir':null}");
  assert_not_json("{\"service\":\"local\",\"registryUrl\":\"localhost:5000\","
                  "\"dataDir\":NaN}");
  assert_not_json("{\"service\":\"local\",\"registryUrl\":\"localhost:5000\","
                  "\"dataDir\":[1,]}");
}

/* serde_json refuses raw control characters inside strings. */
Test(not_json, raw_control_character_in_a_string)
{
  assert_not_json("{\"service\":\"local\",\"registryUrl\":\"local\thost:"
                  "5000\",\"dataDir\":null}");
  assert_not_json("{\"service\":\"local\",\"registryUrl\":\"local\nhost:"
                  "5000\",\"dataDir\":null}");
}

/* serde_json (from_str on &str) requires valid UTF-8. */
Test(not_json, invalid_utf8)
{
  assert_not_json("{\"service\":\"local\",\"registryUrl\":\"\xff\xfe\","
                  "\"dataDir\":null}");
}

/* UTF-8 that Rust's str cannot hold: overlong forms, encoded surrogates,
 * code points past U+10FFFF, truncated sequences. */
Test(not_json, malformed_utf8_sequences)
{
  assert_not_json("{\"service\":\"local\",\"x\":\"\xc0\xaf\"}");
  assert_not_json("{\"service\":\"local\",\"x\":\"\xed\xa0\x80\"}");
  assert_not_json("{\"service\":\"local\",\"x\":\"\xf4\x90\x80\x80\"}");
  assert_not_json("{\"service\":\"local\",\"x\":\"\xe2\x82\"}");
}

/* serde_json decodes \u escapes into a Rust String: a lone surrogate is
 * an error ("lone leading surrogate in hex escape"). */
Test(not_json, lone_surrogate_escapes)
{
  assert_not_json("{\"service\":\"local\",\"x\":\"\\ud800\"}");
  assert_not_json("{\"service\":\"local\",\"x\":\"\\udc00\"}");
  assert_not_json("{\"service\":\"local\",\"x\":\"\\ud800\\u0041\"}");
  assert_not_json("{\"service\":\"\\ud800\"}");
}

Test(binding, surrogate_pair_escape_is_valid)
{
  json_object *root = parse_ok("{\"service\":\"local\",\"x\":"
                               "\"\\ud83d\\ude00\"}",
                               "local");
  json_object_put(root);
}

/* serde_json refuses numbers that overflow f64 ("number out of range"). */
Test(not_json, number_out_of_range)
{
  assert_not_json("{\"service\":\"local\",\"x\":1e400}");
  assert_not_json("{\"service\":\"local\",\"x\":-1e400}");
}

/* serde_json's limit is remaining_depth 128, decremented before each
 * array or object and failing at 0: 127 levels parse, 128 do not. */
static char *nested(size_t levels)
{
  char *s = malloc(2 * levels + 1);
  cr_assert_not_null(s);
  memset(s, '[', levels);
  memset(s + levels, ']', levels);
  s[2 * levels] = '\0';
  return s;
}

Test(shape, nesting_of_127_levels_is_valid_json)
{
  char *s = nested(127);
  assert_shape(s, NULL);
  free(s);
}

Test(not_json, nesting_of_128_levels_is_too_deep)
{
  char s[2 * 128 + 1];
  memset(s, '[', 128);
  memset(s + 128, ']', 128);
  s[256] = '\0';
  assert_not_json(s);
}

Test(not_json, deep_nesting_does_not_crash)
{
  size_t n = 100000;
  char *deep = malloc(n + 1);
  cr_assert_not_null(deep);
  memset(deep, '[', n);
  deep[n] = '\0';
  assert_not_json(deep);
  memset(deep, '{', 1);
  for(size_t i = 1; i < n; i++)
    deep[i] = (i % 2) ? '[' : '{';
  assert_not_json(deep);
  free(deep);
}

Test(not_json, deep_nesting_closed_does_not_crash)
{
  size_t n = 100000;
  char *deep = malloc(2 * n + 64);
  cr_assert_not_null(deep);
  size_t k = (size_t)snprintf(deep, 64, "{\"service\":\"local\",\"x\":");
  memset(deep + k, '[', n);
  memset(deep + k + n, ']', n);
  memcpy(deep + k + 2 * n, "}", 2);
  assert_not_json(deep); /* beyond serde_json's recursion limit of 128 */
  free(deep);
}

/* serde_json's recursion limit is 128: nesting well below it is valid
 * JSON, and the unknown key holding it is ignored. */
Test(binding, moderate_nesting_in_an_unknown_key_is_accepted)
{
  char buf[512];
  size_t k = (size_t)snprintf(buf, sizeof(buf),
                              "{\"service\":\"local\",\"registryUrl\":"
                              "\"localhost:5000\",\"dataDir\":null,\"x\":");
  for(size_t i = 0; i < 100; i++)
    buf[k++] = '[';
  for(size_t i = 0; i < 100; i++)
    buf[k++] = ']';
  buf[k++] = '}';
  buf[k] = '\0';
  json_object *root = parse_ok(buf, "local");
  assert_registry_url(root, "localhost:5000");
  json_object_put(root);
}

/* ---- JSON but not an ArtifactRegistryBinding -------------------------- */

static void assert_shape(const char *config, const char *detail)
{
  ar_error *e = parse_fails(config, SHAPE);
  assert_generic_source(e, detail);
  ar_error_free(e);
}

Test(shape, json_array_number_string_bool)
{
  assert_shape("[]", NULL);
  assert_shape("[{\"service\":\"local\"}]", NULL);
  assert_shape("42", NULL);
  assert_shape("-1.5e3", NULL);
  assert_shape("\"local\"", NULL);
  assert_shape("true", NULL);
}

/* "null" is valid JSON; it is just not an object. */
Test(shape, json_null)
{
  assert_shape("null", NULL);
  assert_shape(" null ", NULL);
}

Test(shape, missing_service)
{
  assert_shape("{}", "missing field `service`");
  assert_shape("{\"registryUrl\":\"localhost:5000\",\"dataDir\":null}",
               "missing field `service`");
  assert_shape("{\"Service\":\"local\"}", "missing field `service`");
}

Test(shape, non_string_service)
{
  assert_shape("{\"service\":1}", NULL);
  assert_shape("{\"service\":{\"local\":1}}", NULL);
  assert_shape("{\"service\":[\"local\"]}", NULL);
  assert_shape("{\"service\":true}", NULL);
}

/* serde: an internally tagged enum with `"service": null` has a tag of the
 * wrong type; either way it is a shape error, not a JSON syntax error. */
Test(shape, null_service)
{
  assert_shape("{\"service\":null}", NULL);
}

/* ---- ar_transport_options_parse --------------------------------------- */

struct opts_case {
  const char *key;
  long min, max, def;
  const char *unit;
};

static const struct opts_case opts_cases[] = {
  { "connectTimeoutMs", 1, 3600000, 5000, "milliseconds" },
  { "requestTimeoutMs", 1, 86400000, 30000, "milliseconds" },
  { "operationTimeoutMs", 1, 86400000, 60000, "milliseconds" },
  { "maxRetries", 0, 10, 2, "retries" },
};

static long opt_value(const struct ar_transport_options *o, size_t i)
{
  switch(i) {
  case 0:
    return o->connect_timeout_ms;
  case 1:
    return o->request_timeout_ms;
  case 2:
    return o->operation_timeout_ms;
  default:
    return o->max_retries;
  }
}

static ar_error *parse_opts(const char *config,
                            struct ar_transport_options *o)
{
  json_object *root = parse_ok(config, "local");
  ar_error *e = ar_transport_options_parse(B, root, o);
  json_object_put(root);
  return e;
}

/* `value` is the JSON text of the key's value. */
static ar_error *parse_one(size_t i, const char *value,
                           struct ar_transport_options *o)
{
  char config[256];
  snprintf(config, sizeof(config), "{\"service\":\"local\",\"%s\":%s}",
           opts_cases[i].key, value);
  return parse_opts(config, o);
}

static void assert_opt_accepted(size_t i, long v)
{
  char value[32];
  struct ar_transport_options o;
  snprintf(value, sizeof(value), "%ld", v);
  ar_error *e = parse_one(i, value, &o);
  cr_assert_null(e, "%s=%ld rejected: %s", opts_cases[i].key, v,
                 e ? e->message : "");
  cr_assert_eq(opt_value(&o, i), v, "%s", opts_cases[i].key);
  for(size_t j = 0; j < 4; j++)
    if(j != i)
      cr_assert_eq(opt_value(&o, j), opts_cases[j].def,
                   "%s changed while setting %s", opts_cases[j].key,
                   opts_cases[i].key);
}

static void assert_opt_rejected(size_t i, const char *value)
{
  char reason[256];
  struct ar_transport_options o;
  ar_error *e = parse_one(i, value, &o);
  cr_assert_not_null(e, "%s=%s accepted", opts_cases[i].key, value);
  snprintf(reason, sizeof(reason),
           "Field '%s' must be an integer from %ld to %ld (%s)",
           opts_cases[i].key, opts_cases[i].min, opts_cases[i].max,
           opts_cases[i].unit);
  assert_config_invalid(e, reason);
  cr_assert_null(e->source);
  ar_error_free(e);
}

Test(transport_options, defaults)
{
  struct ar_transport_options o;
  memset(&o, 0x7f, sizeof(o));
  ar_transport_options_default(&o);
  cr_assert_eq(o.connect_timeout_ms, 5000);
  cr_assert_eq(o.request_timeout_ms, 30000);
  cr_assert_eq(o.operation_timeout_ms, 60000);
  cr_assert_eq(o.max_retries, 2);

  memset(&o, 0x7f, sizeof(o));
  cr_assert_null(parse_opts("{\"service\":\"local\",\"registryUrl\":\"x\","
                            "\"dataDir\":null}",
                            &o));
  for(size_t i = 0; i < 4; i++)
    cr_assert_eq(opt_value(&o, i), opts_cases[i].def, "%s",
                 opts_cases[i].key);
}

Test(transport_options, bounds_are_inclusive)
{
  for(size_t i = 0; i < 4; i++) {
    assert_opt_accepted(i, opts_cases[i].min);
    assert_opt_accepted(i, opts_cases[i].max);
    assert_opt_accepted(i, (opts_cases[i].min + opts_cases[i].max) / 2);
  }
}

Test(transport_options, out_of_range_is_rejected)
{
  char value[32];
  for(size_t i = 0; i < 4; i++) {
    snprintf(value, sizeof(value), "%ld", opts_cases[i].min - 1);
    assert_opt_rejected(i, value);
    snprintf(value, sizeof(value), "%ld", opts_cases[i].max + 1);
    assert_opt_rejected(i, value);
    assert_opt_rejected(i, "-1");
    assert_opt_rejected(i, "9223372036854775807");
    assert_opt_rejected(i, "99999999999999999999");
    assert_opt_rejected(i, "-9223372036854775808");
  }
}

Test(transport_options, wrong_types_are_rejected)
{
  for(size_t i = 0; i < 4; i++) {
    assert_opt_rejected(i, "\"5\"");
    assert_opt_rejected(i, "5.0");
    assert_opt_rejected(i, "5.5");
    assert_opt_rejected(i, "1e3");
    assert_opt_rejected(i, "true");
    assert_opt_rejected(i, "false");
    assert_opt_rejected(i, "null");
    assert_opt_rejected(i, "[5]");
    assert_opt_rejected(i, "{\"ms\":5}");
  }
}

Test(transport_options, all_keys_together)
{
  struct ar_transport_options o;
  cr_assert_null(parse_opts("{\"service\":\"local\",\"connectTimeoutMs\":1,"
                            "\"requestTimeoutMs\":2,\"operationTimeoutMs\":3,"
                            "\"maxRetries\":0}",
                            &o));
  cr_assert_eq(o.connect_timeout_ms, 1);
  cr_assert_eq(o.request_timeout_ms, 2);
  cr_assert_eq(o.operation_timeout_ms, 3);
  cr_assert_eq(o.max_retries, 0);
}

Test(transport_options, first_bad_key_is_named)
{
  struct ar_transport_options o;
  ar_error *e = parse_opts("{\"service\":\"local\",\"maxRetries\":11,"
                           "\"connectTimeoutMs\":1}",
                           &o);
  assert_config_invalid(e, "Field 'maxRetries' must be an integer from 0 to "
                           "10 (retries)");
  ar_error_free(e);
}

Test(transport_options, unknown_similar_keys_are_ignored)
{
  struct ar_transport_options o;
  cr_assert_null(parse_opts("{\"service\":\"local\",\"connecttimeoutms\":"
                            "\"x\",\"max_retries\":-5}",
                            &o));
  cr_assert_eq(o.connect_timeout_ms, 5000);
  cr_assert_eq(o.max_retries, 2);
}
