/* open() with the binding JSON alien emits, and with the malformed shapes of
 * contract section 3 (codes, messages, context and source of each). */
#include "plugin_loader.h"

#include <criterion/criterion.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct ar_test_plugin P;

static void load(void) { ar_test_plugin_load(&P); }
static void unload(void) { ar_test_plugin_unload(&P); }

TestSuite(config_open, .init = load, .fini = unload);

#define B "test-alien-artifact-registry"
#define ENV "ALIEN_TEST_ALIEN_ARTIFACT_REGISTRY_BINDING"

static struct alien_ar_error *open_must_fail(const char *binding,
                                             const char *cfg,
                                             const char *want_code) {
  alien_ar_handle *h = (alien_ar_handle *)&P;
  struct alien_ar_error *err = NULL;
  alien_ar_status st = P.t->open(binding, cfg, NULL, &h, &err);
  ar_test_check_error(&P, st, err, ALIEN_AR_ERR_CONFIG, want_code, cfg);
  cr_assert_null(h, "%s: *out must be NULL on failure", cfg);
  return err;
}

static const char *ctx_str(json_object *ctx, const char *key) {
  json_object *v = NULL;
  cr_assert(json_object_object_get_ex(ctx, key, &v), "context lacks %s", key);
  cr_assert(json_object_is_type(v, json_type_string), "%s not a string", key);
  return json_object_get_string(v);
}

/* Checks a BINDING_CONFIG_INVALID error for binding B whose reason is
 * `reason` (exact, or a prefix when prefix_only). Does not free. */
static void check_config_invalid(const struct alien_ar_error *err,
                                 const char *binding, const char *env,
                                 const char *reason, int prefix_only) {
  char want[2048];
  snprintf(want, sizeof want,
           "Binding configuration invalid for binding '%s' (env var '%s'): "
           "%s",
           binding, env, reason);
  if (prefix_only)
    cr_assert(strncmp(err->message, want, strlen(want)) == 0,
              "message '%s' does not start with '%s'", err->message, want);
  else
    cr_assert_str_eq(err->message, want);
  cr_assert_eq(err->retryable, 0);
  cr_assert_eq(err->internal, 0);
  cr_assert_eq(err->http_status_code, 400);
  cr_assert_not_null(err->context_json);
  json_object *ctx = json_tokener_parse(err->context_json);
  cr_assert_not_null(ctx, "context is not JSON: %s", err->context_json);
  cr_assert_eq(json_object_object_length(ctx), 3, "context %s",
               err->context_json);
  cr_assert_str_eq(ctx_str(ctx, "binding_name"), binding);
  cr_assert_str_eq(ctx_str(ctx, "env_var"), env);
  const char *r = ctx_str(ctx, "reason");
  if (prefix_only)
    cr_assert(strncmp(r, reason, strlen(reason)) == 0, "reason %s", r);
  else
    cr_assert_str_eq(r, reason);
  /* The message is built from the context's reason. */
  cr_assert(strstr(err->message, r) != NULL);
  json_object_put(ctx);
}

/* ---- the literal JSON alien emits (contract 3.4) ------------------------ */

static void open_ok(const char *binding, const char *cfg,
                    const char *want_endpoint) {
  alien_ar_handle *h = NULL;
  struct alien_ar_error *err = NULL;
  ar_test_expect_ok(&P, P.t->open(binding, cfg, NULL, &h, &err), err, cfg);
  cr_assert_not_null(h);
  char *ep = NULL;
  ar_test_expect_ok(&P, P.t->registry_endpoint(h, &ep, &err), err,
                    "registry_endpoint");
  cr_assert_str_eq(ep, want_endpoint);
  P.t->string_free(ep);
  char *prefix = NULL;
  ar_test_expect_ok(&P, P.t->upstream_repository_prefix(h, &prefix, &err),
                    err, "upstream_repository_prefix");
  cr_assert_str_eq(prefix, "artifacts/default");
  P.t->string_free(prefix);
  cr_assert_str_eq(P.t->handle_backend(h), "local");
  P.t->close(h);
}

/* None of these hosts has a listener (host.docker.internal does not even
 * resolve here): open succeeding shows it does no I/O. */
Test(config_open, local_controller_binding) {
  open_ok(B,
          "{\"service\":\"local\",\"registryUrl\":\"localhost:54321\","
          "\"dataDir\":null}",
          "http://localhost:54321");
}

Test(config_open, docker_rewritten_binding) {
  open_ok(B,
          "{\"service\":\"local\",\"registryUrl\":\"host.docker.internal:"
          "54321\",\"dataDir\":null}",
          "http://host.docker.internal:54321");
}

Test(config_open, bindings_test_context_binding) {
  open_ok("test-local-artifact-registry",
          "{\"service\":\"local\",\"registryUrl\":\"localhost:40123\","
          "\"dataDir\":null}",
          "http://localhost:40123");
}

Test(config_open, manager_proxy_binding) {
  open_ok("artifacts",
          "{\"service\":\"local\",\"registryUrl\":\"localhost:41234\","
          "\"dataDir\":null}",
          "http://localhost:41234");
}

Test(config_open, scheme_and_string_data_dir_load) {
  open_ok(B,
          "{\"service\":\"local\",\"registryUrl\":\"http://localhost:5000\","
          "\"dataDir\":\"/tmp/x\"}",
          "http://localhost:5000");
}

Test(config_open, key_order_and_unknown_keys_do_not_matter) {
  open_ok(B,
          "{\"dataDir\":null,\"extra\":{\"a\":[1,2]},\"registryUrl\":"
          "\"localhost:5000\",\"service\":\"local\"}",
          "http://localhost:5000");
}

/* ---- registryUrl that is not a plain string ------------------------------ */

Test(config_open, secret_ref_registry_url) {
  struct alien_ar_error *err = open_must_fail(
      B,
      "{\"service\":\"local\",\"registryUrl\":{\"secretRef\":{\"name\":\"r\","
      "\"key\":\"url\"}},\"dataDir\":null}",
      "BINDING_CONFIG_INVALID");
  check_config_invalid(err, B, ENV,
                       "Failed to extract registry_url from binding", 0);
  const struct alien_ar_error *src = err->source;
  cr_assert_not_null(src, "the core error must be chained as source");
  cr_assert_str_eq(src->code, "BINDING_CONFIG_INVALID");
  cr_assert_str_eq(src->message,
                   "Invalid binding configuration for '" B
                   "': SecretRef not resolved for field 'registry_url' - "
                   "this should have been resolved by the controller");
  cr_assert_eq(src->http_status_code, 500);
  cr_assert_eq(src->retryable, 0);
  cr_assert_eq(src->internal, 0);
  cr_assert(ar_test_json_equal(
                src->context_json,
                "{\"binding_name\":\"" B
                "\",\"reason\":\"SecretRef not resolved for field "
                "'registry_url' - this should have been resolved by the "
                "controller\"}"),
            "source context %s", src->context_json);
  cr_assert_null(src->source);
  P.t->error_free(err);
}

static void expect_expression(const char *cfg) {
  struct alien_ar_error *err =
      open_must_fail(B, cfg, "BINDING_CONFIG_INVALID");
  check_config_invalid(err, B, ENV,
                       "Failed to extract registry_url from binding", 0);
  const struct alien_ar_error *src = err->source;
  cr_assert_not_null(src, "%s: no source", cfg);
  cr_assert_str_eq(src->code, "BINDING_CONFIG_INVALID");
  cr_assert_str_eq(src->message,
                   "Invalid binding configuration for '" B
                   "': Template expressions not supported in runtime "
                   "bindings for field 'registry_url'",
                   "%s", cfg);
  cr_assert_eq(src->http_status_code, 500);
  cr_assert(ar_test_json_equal(
                src->context_json,
                "{\"binding_name\":\"" B
                "\",\"reason\":\"Template expressions not supported in "
                "runtime bindings for field 'registry_url'\"}"),
            "source context %s", src->context_json);
  P.t->error_free(err);
}

Test(config_open, expression_registry_url) {
  expect_expression("{\"service\":\"local\",\"registryUrl\":{\"Ref\":\"Reg\"},"
                    "\"dataDir\":null}");
  expect_expression("{\"service\":\"local\",\"registryUrl\":{\"Ref\":\"X\"},"
                    "\"dataDir\":null}");
  expect_expression(
      "{\"service\":\"local\",\"registryUrl\":42,\"dataDir\":null}");
  expect_expression(
      "{\"service\":\"local\",\"registryUrl\":null,\"dataDir\":null}");
  expect_expression(
      "{\"service\":\"local\",\"registryUrl\":true,\"dataDir\":null}");
  expect_expression(
      "{\"service\":\"local\",\"registryUrl\":[\"a\"],\"dataDir\":null}");
}

Test(config_open, empty_registry_url) {
  struct alien_ar_error *err = open_must_fail(
      B, "{\"service\":\"local\",\"registryUrl\":\"\",\"dataDir\":null}",
      "BINDING_CONFIG_INVALID");
  check_config_invalid(err, B, ENV, "Registry endpoint cannot be empty", 0);
  cr_assert_null(err->source);
  P.t->error_free(err);
}

/* ---- shape errors -------------------------------------------------------- */

Test(config_open, missing_data_dir) {
  struct alien_ar_error *err = open_must_fail(
      B, "{\"service\":\"local\",\"registryUrl\":\"localhost:5000\"}",
      "BINDING_CONFIG_INVALID");
  check_config_invalid(err, B, ENV, "Failed to parse artifact registry binding",
                       0);
  cr_assert_not_null(err->source, "the parse failure must say what");
  cr_assert_str_eq(err->source->code, "GENERIC_ERROR");
  cr_assert(strstr(err->source->message, "dataDir") != NULL,
            "source message '%s' does not name dataDir",
            err->source->message);
  P.t->error_free(err);
}

static void expect_reason(const char *cfg, const char *reason) {
  struct alien_ar_error *err = open_must_fail(B, cfg, "BINDING_CONFIG_INVALID");
  check_config_invalid(err, B, ENV, reason, 0);
  P.t->error_free(err);
}

/* One Test per input so every divergence is reported on its own. */
#define NOT_JSON(name, text)                                                  \
  Test(config_open, not_json_##name) {                                        \
    expect_reason(text, "Failed to parse binding JSON");                      \
  }
#define WRONG_SHAPE(name, text)                                               \
  Test(config_open, wrong_shape_##name) {                                     \
    expect_reason(text, "Failed to parse artifact registry binding");         \
  }

#define GOOD_BODY "\"service\":\"local\",\"registryUrl\":\"localhost:5000\""

NOT_JSON(empty, "")
NOT_JSON(unterminated, "{")
NOT_JSON(unquoted_keys, "{service:local}")
NOT_JSON(plain_text, "not json at all")
/* serde_json is strict RFC 8259: none of these is JSON. */
NOT_JSON(trailing_comma, "{" GOOD_BODY ",\"dataDir\":null,}")
NOT_JSON(single_quotes,
         "{'service':'local','registryUrl':'localhost:5000','dataDir':null}")
NOT_JSON(nan_value, "{" GOOD_BODY ",\"dataDir\":NaN}")
NOT_JSON(infinity_value, "{" GOOD_BODY ",\"dataDir\":-Infinity}")
NOT_JSON(trailing_data, "{" GOOD_BODY ",\"dataDir\":null} x")
NOT_JSON(two_documents, "{" GOOD_BODY ",\"dataDir\":null}{}")

WRONG_SHAPE(empty_array, "[]")
WRONG_SHAPE(array_of_binding, "[{" GOOD_BODY ",\"dataDir\":null}]")
WRONG_SHAPE(string, "\"local\"")
/* `null` is valid JSON; it fails the typed parse, not the JSON parse. */
WRONG_SHAPE(null, "null")
WRONG_SHAPE(number, "42")
WRONG_SHAPE(empty_object, "{}")
WRONG_SHAPE(no_service,
            "{\"registryUrl\":\"localhost:5000\",\"dataDir\":null}")
WRONG_SHAPE(numeric_service,
            "{\"service\":5,\"registryUrl\":\"localhost:5000\","
            "\"dataDir\":null}")
WRONG_SHAPE(null_service,
            "{\"service\":null,\"registryUrl\":\"localhost:5000\","
            "\"dataDir\":null}")
WRONG_SHAPE(no_registry_url, "{\"service\":\"local\",\"dataDir\":null}")

Test(config_open, unsupported_services) {
  const char *services[] = {"ecr", "acr", "gar", "nope", "LOCAL", ""};
  for (size_t i = 0; i < sizeof services / sizeof services[0]; i++) {
    char cfg[256], msg[512], ctx[512];
    snprintf(cfg, sizeof cfg,
             "{\"service\":\"%s\",\"registryUrl\":\"localhost:5000\","
             "\"dataDir\":null}",
             services[i]);
    struct alien_ar_error *err =
        open_must_fail(B, cfg, "UNSUPPORTED_BINDING_PROVIDER");
    snprintf(msg, sizeof msg,
             "Binding '" B "' (env var '" ENV
             "') uses unsupported provider '%s'",
             services[i]);
    cr_assert_str_eq(err->message, msg);
    cr_assert_eq(err->http_status_code, 501);
    cr_assert_eq(err->retryable, 0);
    cr_assert_eq(err->internal, 0);
    snprintf(ctx, sizeof ctx,
             "{\"binding_name\":\"" B "\",\"env_var\":\"" ENV
             "\",\"provider\":\"%s\"}",
             services[i]);
    cr_assert(ar_test_json_equal(err->context_json, ctx), "context %s",
              err->context_json);
    P.t->error_free(err);
  }
}

Test(config_open, env_var_follows_binding_name) {
  struct alien_ar_error *err = open_must_fail(
      "my-app.reg-2",
      "{\"service\":\"local\",\"registryUrl\":\"\",\"dataDir\":null}",
      "BINDING_CONFIG_INVALID");
  check_config_invalid(err, "my-app.reg-2", "ALIEN_MY_APP.REG_2_BINDING",
                       "Registry endpoint cannot be empty", 0);
  P.t->error_free(err);
}
