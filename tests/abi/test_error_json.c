/* error_to_json: alien's exact serialisation (key order, no escaped '/',
 * source chain, _error_for_pattern_matching on the outer error only). */
#include "plugin_loader.h"
#include "registry_fixture.h"

#include <criterion/criterion.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct ar_test_plugin P;
static struct ar_test_registry R;

static void load(void) { ar_test_plugin_load(&P); }
static void unload(void) { ar_test_plugin_unload(&P); }
static void load_with_registry(void) {
  ar_test_plugin_load(&P);
  ar_test_registry_start(&R, NULL);
}
static void unload_with_registry(void) {
  ar_test_registry_stop(&R);
  ar_test_plugin_unload(&P);
}

TestSuite(error_json, .init = load, .fini = unload);
TestSuite(error_json_live, .init = load_with_registry,
          .fini = unload_with_registry);

#define B "test-local-artifact-registry"

static void expect_not_found_json(const char *id) {
  alien_ar_handle *h = ar_test_open_local(&P, B, R.hostport, NULL);
  struct alien_ar_repository *repo = NULL;
  struct alien_ar_error *err = NULL;
  alien_ar_status st = P.t->get_repository(h, id, &repo, &err);
  ar_test_check_error(&P, st, err, ALIEN_AR_ERR_NOT_FOUND,
                      "RESOURCE_NOT_FOUND", id);
  cr_assert_null(repo);
  char want[1024];
  snprintf(want, sizeof want,
           "{\"code\":\"RESOURCE_NOT_FOUND\",\"message\":\"Resource '%s' not "
           "found\",\"context\":{\"resource_id\":\"%s\"},\"retryable\":false,"
           "\"internal\":false,\"httpStatusCode\":404,"
           "\"_error_for_pattern_matching\":{\"resourceNotFound\":{"
           "\"resource_id\":\"%s\"}}}",
           id, id, id);
  char *got = ar_test_error_json(&P, err);
  cr_assert_str_eq(got, want);
  cr_assert(ar_test_json_equal(got, want));
  free(got);
  P.t->error_free(err);
  P.t->close(h);
}

Test(error_json_live, resource_not_found_exact_routable) {
  char hex[33], id[128];
  ar_test_random_hex(hex, 32);
  snprintf(id, sizeof id, B "/alien-test-local-%s", hex);
  expect_not_found_json(id);
}

Test(error_json_live, resource_not_found_exact_logical) {
  char hex[33], id[128];
  ar_test_random_hex(hex, 32);
  snprintf(id, sizeof id, "alien-test-nonexistent-%s", hex);
  expect_not_found_json(id);
}

/* Keys of obj in serialisation order, comma-joined. */
static void key_order(json_object *obj, char *out, size_t size) {
  size_t n = 0;
  out[0] = '\0';
  json_object_object_foreach(obj, key, val) {
    (void)val;
    int w = snprintf(out + n, size - n, "%s%s", n ? "," : "", key);
    cr_assert(w > 0 && (size_t)w < size - n);
    n += (size_t)w;
  }
}

static json_object *member(json_object *o, const char *key) {
  json_object *v = NULL;
  cr_assert(json_object_object_get_ex(o, key, &v), "missing key %s", key);
  return v;
}

#define B2 "test-alien-artifact-registry"
#define ENV2 "ALIEN_TEST_ALIEN_ARTIFACT_REGISTRY_BINDING"
#define OUTER_REASON "Failed to extract registry_url from binding"
#define INNER_REASON                                                          \
  "SecretRef not resolved for field 'registry_url' - this should have been " \
  "resolved by the controller"

Test(error_json, chained_binding_config_invalid) {
  alien_ar_handle *h = NULL;
  struct alien_ar_error *err = NULL;
  alien_ar_status st = P.t->open(
      B2,
      "{\"service\":\"local\",\"registryUrl\":{\"secretRef\":{\"name\":\"r\","
      "\"key\":\"url\"}},\"dataDir\":null}",
      NULL, &h, &err);
  ar_test_check_error(&P, st, err, ALIEN_AR_ERR_CONFIG,
                      "BINDING_CONFIG_INVALID", "open(secretRef)");
  char *got = ar_test_error_json(&P, err);

  static const char want[] =
      "{\"code\":\"BINDING_CONFIG_INVALID\",\"message\":\"Binding "
      "configuration invalid for binding '" B2 "' (env var '" ENV2
      "'): " OUTER_REASON "\",\"context\":{\"binding_name\":\"" B2
      "\",\"env_var\":\"" ENV2 "\",\"reason\":\"" OUTER_REASON
      "\"},\"retryable\":false,\"internal\":false,\"httpStatusCode\":400,"
      "\"source\":{\"code\":\"BINDING_CONFIG_INVALID\",\"message\":\"Invalid "
      "binding configuration for '" B2 "': " INNER_REASON
      "\",\"context\":{\"binding_name\":\"" B2 "\",\"reason\":\"" INNER_REASON
      "\"},\"retryable\":false,\"internal\":false,\"httpStatusCode\":500},"
      "\"_error_for_pattern_matching\":{\"bindingConfigInvalid\":{"
      "\"binding_name\":\"" B2 "\",\"env_var\":\"" ENV2
      "\",\"reason\":\"" OUTER_REASON "\"}}}";
  cr_assert(ar_test_json_equal(got, want), "got  %s\nwant %s", got, want);

  /* Structure alone does not pin the order alien serialises in. */
  json_object *root = json_tokener_parse(got);
  char order[512];
  key_order(root, order, sizeof order);
  cr_assert_str_eq(order,
                   "code,message,context,retryable,internal,httpStatusCode,"
                   "source,_error_for_pattern_matching");
  json_object *src = member(root, "source");
  key_order(src, order, sizeof order);
  cr_assert_str_eq(order,
                   "code,message,context,retryable,internal,httpStatusCode");
  key_order(member(root, "context"), order, sizeof order);
  cr_assert_str_eq(order, "binding_name,env_var,reason");
  json_object_put(root);
  cr_assert_null(strstr(got, "\\/"), "slashes must not be escaped: %s", got);
  free(got);
  P.t->error_free(err);
}

Test(error_json, unsupported_provider) {
  alien_ar_handle *h = NULL;
  struct alien_ar_error *err = NULL;
  alien_ar_status st = P.t->open(
      "b", "{\"service\":\"ecr\",\"registryUrl\":\"x:1\",\"dataDir\":null}",
      NULL, &h, &err);
  ar_test_check_error(&P, st, err, ALIEN_AR_ERR_CONFIG,
                      "UNSUPPORTED_BINDING_PROVIDER", "open(ecr)");
  char *got = ar_test_error_json(&P, err);
  static const char want[] =
      "{\"code\":\"UNSUPPORTED_BINDING_PROVIDER\",\"message\":\"Binding 'b' "
      "(env var 'ALIEN_B_BINDING') uses unsupported provider 'ecr'\","
      "\"context\":{\"binding_name\":\"b\",\"env_var\":\"ALIEN_B_BINDING\","
      "\"provider\":\"ecr\"},\"retryable\":false,\"internal\":false,"
      "\"httpStatusCode\":501,\"_error_for_pattern_matching\":{"
      "\"unsupportedBindingProvider\":{\"binding_name\":\"b\",\"env_var\":"
      "\"ALIEN_B_BINDING\",\"provider\":\"ecr\"}}}";
  cr_assert(ar_test_json_equal(got, want), "got  %s\nwant %s", got, want);
  free(got);
  P.t->error_free(err);
}

Test(error_json, invalid_argument_serialises) {
  char *ep = NULL;
  struct alien_ar_error *err = NULL;
  cr_assert_eq(P.t->registry_endpoint(NULL, &ep, &err),
               ALIEN_AR_ERR_INVALID_ARGUMENT);
  char *got = ar_test_error_json(&P, err);
  json_object *root = json_tokener_parse(got);
  cr_assert_not_null(root, "not JSON: %s", got);
  cr_assert_str_eq(json_object_get_string(member(root, "code")),
                   "INVALID_ARGUMENT");
  cr_assert_str_eq(json_object_get_string(member(root, "message")),
                   err->message);
  cr_assert(json_object_is_type(member(root, "retryable"), json_type_boolean));
  cr_assert(json_object_is_type(member(root, "internal"), json_type_boolean));
  json_object_put(root);
  free(got);
  P.t->error_free(err);
}
