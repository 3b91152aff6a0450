/* alien's error model (error/error.h): every constructor's code, message,
 * context, flags, HTTP status and ABI status; chaining; the AlienError JSON
 * form (contract section 2.1) byte for byte. */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error/error.h"
#include "util/str.h"

#define B "test-alien-artifact-registry"
#define ENV "ALIEN_TEST_ALIEN_ARTIFACT_REGISTRY_BINDING"

struct expect {
  alien_ar_status status;
  const char *code;
  const char *message;
  const char *context_json; /* NULL: none */
  const char *variant;      /* NULL: none */
  int retryable;
  int internal;
  int http;
};

static void assert_error(const ar_error *e, const struct expect *x)
{
  cr_assert_not_null(e);
  cr_assert_eq(e->struct_size, sizeof(struct alien_ar_error));
  cr_assert_eq(e->status, x->status, "status %d, expected %d", e->status,
               x->status);
  cr_assert_str_eq(e->code, x->code);
  cr_assert_str_eq(e->message, x->message);
  if(x->context_json) {
    cr_assert_not_null(e->context_json);
    cr_assert_str_eq(e->context_json, x->context_json);
  }
  else
    cr_assert_null(e->context_json, "unexpected context %s", e->context_json);
  if(x->variant) {
    cr_assert_not_null(ar_error_variant(e));
    cr_assert_str_eq(ar_error_variant(e), x->variant);
  }
  else
    cr_assert_null(ar_error_variant(e));
  cr_assert_null(e->hint);
  cr_assert_eq(e->retryable, x->retryable);
  cr_assert_eq(e->internal, x->internal);
  cr_assert_eq(e->http_status_code, x->http);
  cr_assert_null(e->source);
}

static void assert_json(const ar_error *e, const char *expected)
{
  char *json = ar_error_to_json(e);
  cr_assert_not_null(json);
  cr_assert_str_eq(json, expected);
  free(json);
}

/* ---- ar_binding_env_var (contract 3.3) ------------------------------- */

static void assert_env_var(const char *name, const char *expected)
{
  char got[256];
  char *env = ar_binding_env_var(name);
  cr_assert_not_null(env);
  snprintf(got, sizeof(got), "%s", env);
  free(env);
  cr_assert_str_eq(got, expected);
}

Test(env_var, hyphens_become_underscores_and_letters_are_uppercased)
{
  assert_env_var(B, ENV);
  assert_env_var("test-local-artifact-registry",
                 "ALIEN_TEST_LOCAL_ARTIFACT_REGISTRY_BINDING");
  assert_env_var("artifacts", "ALIEN_ARTIFACTS_BINDING");
  assert_env_var("b", "ALIEN_B_BINDING");
}

Test(env_var, other_characters_are_kept)
{
  assert_env_var("a_b.c-9", "ALIEN_A_B.C_9_BINDING");
  assert_env_var("MiXeD", "ALIEN_MIXED_BINDING");
  assert_env_var("", "ALIEN__BINDING");
}

/* Rust's str::to_uppercase is Unicode-aware ("ü" -> "Ü"). */
Test(env_var, non_ascii_letters_are_uppercased_like_rust)
{
  assert_env_var("m\xc3\xbc", "ALIEN_M\xc3\x9c_BINDING");
}

Test(env_var, latin_greek_and_cyrillic_letters)
{
  assert_env_var("stra\xc3\x9f" "e", "ALIEN_STRASSE_BINDING");     /* ß -> SS */
  assert_env_var("\xc3\xbf", "ALIEN_\xc5\xb8_BINDING");            /* ÿ -> Ÿ */
  assert_env_var("\xc5\x82\xc3\xb3" "d" "\xc5\xba",                      /* łódź */
                 "ALIEN_\xc5\x81\xc3\x93" "D" "\xc5\xb9_BINDING");
  assert_env_var("\xce\xb1\xcf\x82", "ALIEN_\xce\x91\xce\xa3_BINDING"); /* ας */
  assert_env_var("\xd0\xb6\xd1\x91", "ALIEN_\xd0\x96\xd0\x81_BINDING"); /* жё */
}

/* Rust's to_uppercase also maps these (UnicodeData): U+0131 dotless i ->
 * 'I', U+017F long s -> 'S', U+00B5 micro sign -> U+039C, and the
 * accented Greek vowels (U+03AC -> U+0386, U+03CE -> U+038F). */
Test(env_var, irregular_uppercase_mappings_like_rust)
{
  assert_env_var("\xc4\xb1", "ALIEN_I_BINDING");
  assert_env_var("\xc5\xbf", "ALIEN_S_BINDING");
  assert_env_var("\xc2\xb5", "ALIEN_\xce\x9c_BINDING");
  assert_env_var("\xce\xac\xcf\x8e", "ALIEN_\xce\x86\xce\x8f_BINDING");
}

/* ---- constructors (contract 2.2) ------------------------------------- */

Test(constructors, binding_config_invalid)
{
  ar_error *e = ar_err_binding_config_invalid(B, "Failed to parse binding "
                                                 "JSON");
  struct expect x = {
    ALIEN_AR_ERR_CONFIG, "BINDING_CONFIG_INVALID",
    "Binding configuration invalid for binding '" B "' (env var '" ENV
    "'): Failed to parse binding JSON",
    "{\"binding_name\":\"" B "\",\"env_var\":\"" ENV "\",\"reason\":\"Failed "
    "to parse binding JSON\"}",
    "bindingConfigInvalid", 0, 0, 400
  };
  assert_error(e, &x);
  ar_error_free(e);
}

Test(constructors, unsupported_provider)
{
  ar_error *e = ar_err_unsupported_provider("b", "ecr");
  struct expect x = {
    ALIEN_AR_ERR_CONFIG, "UNSUPPORTED_BINDING_PROVIDER",
    "Binding 'b' (env var 'ALIEN_B_BINDING') uses unsupported provider 'ecr'",
    "{\"binding_name\":\"b\",\"env_var\":\"ALIEN_B_BINDING\",\"provider\":"
    "\"ecr\"}",
    "unsupportedBindingProvider", 0, 0, 501
  };
  assert_error(e, &x);
  ar_error_free(e);
}

Test(constructors, binding_not_configured)
{
  ar_error *e = ar_err_binding_not_configured("my-reg");
  struct expect x = {
    ALIEN_AR_ERR_CONFIG, "BINDING_NOT_CONFIGURED",
    "No binding configured for 'my-reg': environment variable "
    "'ALIEN_MY_REG_BINDING' is not set",
    "{\"binding_name\":\"my-reg\",\"env_var\":\"ALIEN_MY_REG_BINDING\"}",
    "bindingNotConfigured", 0, 0, 400
  };
  assert_error(e, &x);
  ar_error_free(e);
}

Test(constructors, resource_not_found)
{
  ar_error *e = ar_err_resource_not_found("B/L");
  struct expect x = { ALIEN_AR_ERR_NOT_FOUND, "RESOURCE_NOT_FOUND",
                      "Resource 'B/L' not found",
                      "{\"resource_id\":\"B/L\"}", "resourceNotFound", 0, 0,
                      404 };
  assert_error(e, &x);
  ar_error_free(e);
}

Test(constructors, operation_not_supported)
{
  ar_error *e = ar_err_operation_not_supported(
      "add_cross_account_access",
      "Local artifact registry does not support cross-account access");
  struct expect x = {
    ALIEN_AR_ERR_NOT_SUPPORTED, "OPERATION_NOT_SUPPORTED",
    "Operation 'add_cross_account_access' not supported: Local artifact "
    "registry does not support cross-account access",
    "{\"operation\":\"add_cross_account_access\",\"reason\":\"Local artifact "
    "registry does not support cross-account access\"}",
    "operationNotSupported", 0, 0, 501
  };
  assert_error(e, &x);
  ar_error_free(e);
}

Test(constructors, other_is_retryable_and_internal)
{
  ar_error *e = ar_err_other("Failed to check repository %s", "existence");
  struct expect x = { ALIEN_AR_ERR_BACKEND, "BINDINGS_ERROR",
                      "Bindings error: Failed to check repository existence",
                      "{\"message\":\"Failed to check repository "
                      "existence\"}",
                      "other", 1, 1, 500 };
  assert_error(e, &x);
  ar_error_free(e);
}

Test(constructors, invalid_input_with_field_name)
{
  ar_error *e = ar_err_invalid_input("create_repository", "bad name",
                                     "repo_name");
  struct expect x = { ALIEN_AR_ERR_INVALID_INPUT, "INVALID_INPUT",
                      "create_repository: Invalid input - bad name",
                      "{\"operation_context\":\"create_repository\","
                      "\"details\":\"bad name\",\"field_name\":\"repo_name\"}",
                      "invalidInput", 0, 0, 400 };
  assert_error(e, &x);
  ar_error_free(e);
}

/* field_name is Option<String>: None serialises as null. */
Test(constructors, invalid_input_without_field_name)
{
  ar_error *e = ar_err_invalid_input("get_repository", "d", NULL);
  struct expect x = { ALIEN_AR_ERR_INVALID_INPUT, "INVALID_INPUT",
                      "get_repository: Invalid input - d",
                      "{\"operation_context\":\"get_repository\",\"details\":"
                      "\"d\",\"field_name\":null}",
                      "invalidInput", 0, 0, 400 };
  assert_error(e, &x);
  ar_error_free(e);
}

Test(constructors, core_binding_config_invalid_defaults_to_500)
{
  ar_error *e = ar_err_core_binding_config_invalid(
      B, "SecretRef not resolved for field 'registry_url' - this should "
         "have been resolved by the controller");
  struct expect x = {
    ALIEN_AR_ERR_CONFIG, "BINDING_CONFIG_INVALID",
    "Invalid binding configuration for '" B "': SecretRef not resolved for "
    "field 'registry_url' - this should have been resolved by the controller",
    "{\"binding_name\":\"" B "\",\"reason\":\"SecretRef not resolved for "
    "field 'registry_url' - this should have been resolved by the "
    "controller\"}",
    "bindingConfigInvalid", 0, 0, 500
  };
  assert_error(e, &x);
  ar_error_free(e);
}

Test(constructors, generic_has_no_context_and_no_variant)
{
  ar_error *e = ar_err_generic("missing field `%s`", "dataDir");
  struct expect x = { ALIEN_AR_ERR_BACKEND, "GENERIC_ERROR",
                      "missing field `dataDir`", NULL, NULL, 0, 0, 500 };
  assert_error(e, &x);
  ar_error_free(e);
}

Test(constructors, invalid_argument_is_the_projects_own_code)
{
  ar_error *e = ar_err_invalid_argument("%s is NULL", "repo_id");
  struct expect x = { ALIEN_AR_ERR_INVALID_ARGUMENT, "INVALID_ARGUMENT",
                      "repo_id is NULL", NULL, NULL, 0, 0, 400 };
  assert_error(e, &x);
  ar_error_free(e);
}

Test(constructors, generic_new_copies_and_normalises)
{
  char code[] = "SOME_CODE", msg[] = "m", ctx[] = "{\"k\":1}", var[] = "v";
  ar_error *e = ar_error_new(ALIEN_AR_ERR_BACKEND, code, msg, ctx, var, 7, -1,
                             502);
  code[0] = msg[0] = ctx[2] = var[0] = 'X'; /* the error keeps copies */
  struct expect x = { ALIEN_AR_ERR_BACKEND, "SOME_CODE", "m", "{\"k\":1}", "v",
                      1, 1, 502 };
  assert_error(e, &x);
  ar_error_free(e);
}

Test(constructors, generic_new_with_null_message_and_context)
{
  ar_error *e = ar_error_new(ALIEN_AR_ERR_BACKEND, "C", NULL, NULL, NULL, 0, 0,
                             0);
  struct expect x = { ALIEN_AR_ERR_BACKEND, "C", "", NULL, NULL, 0, 0, 0 };
  assert_error(e, &x);
  ar_error_free(e);
}

Test(constructors, context_values_are_json_escaped)
{
  ar_error *e = ar_err_resource_not_found("a\"b\\c/d\n");
  cr_assert_not_null(e);
  cr_assert_str_eq(e->message, "Resource 'a\"b\\c/d\n' not found");
  cr_assert_str_eq(e->context_json, "{\"resource_id\":\"a\\\"b\\\\c/d\\n\"}");
  ar_error_free(e);
}

Test(constructors, percent_signs_in_arguments_are_not_formats)
{
  ar_error *e = ar_err_resource_not_found("%s%n%d");
  cr_assert_not_null(e);
  cr_assert_str_eq(e->message, "Resource '%s%n%d' not found");
  ar_error_free(e);
  e = ar_err_binding_config_invalid("b", "100% %s");
  cr_assert_not_null(e);
  cr_assert_str_eq(e->message, "Binding configuration invalid for binding 'b' "
                               "(env var 'ALIEN_B_BINDING'): 100% %s");
  ar_error_free(e);
}

/* ---- chaining (contract 2.1: .context()) ----------------------------- */

Test(chain, cause_keeps_its_fields_and_loses_its_variant)
{
  ar_error *outer = ar_err_other("Failed to check repository existence");
  ar_error *cause = ar_err_resource_not_found("x");
  ar_error *r = ar_error_chain(outer, cause);
  cr_assert_eq(r, outer);
  cr_assert_eq(outer->source, cause);
  cr_assert_str_eq(outer->source->code, "RESOURCE_NOT_FOUND");
  cr_assert_str_eq(outer->source->message, "Resource 'x' not found");
  cr_assert_str_eq(outer->source->context_json, "{\"resource_id\":\"x\"}");
  cr_assert_eq(outer->source->status, ALIEN_AR_ERR_NOT_FOUND);
  cr_assert_eq(outer->source->retryable, 0);
  cr_assert_eq(outer->source->internal, 0);
  cr_assert_eq(outer->source->http_status_code, 404);
  cr_assert_null(ar_error_variant(outer->source));
  /* the outer error keeps its own variant and fields */
  cr_assert_str_eq(ar_error_variant(outer), "other");
  cr_assert_eq(outer->status, ALIEN_AR_ERR_BACKEND);
  cr_assert_eq(outer->retryable, 1);
  ar_error_free(outer);
}

Test(chain, null_outer_returns_null)
{
  ar_error *cause = ar_err_generic("x");
  cr_assert_null(ar_error_chain(NULL, cause)); /* frees cause */
}

Test(chain, null_cause_leaves_outer_unchanged)
{
  ar_error *outer = ar_err_generic("x");
  cr_assert_eq(ar_error_chain(outer, NULL), outer);
  cr_assert_null(outer->source);
  ar_error_free(outer);
}

Test(chain, chaining_again_replaces_the_source)
{
  ar_error *outer = ar_err_other("o");
  ar_error_chain(outer, ar_err_generic("first"));
  ar_error *second = ar_err_generic("second");
  ar_error_chain(outer, second);
  cr_assert_eq(outer->source, second);
  cr_assert_str_eq(outer->source->message, "second");
  ar_error_free(outer);
}

Test(chain, deep_chains_keep_every_level)
{
  ar_error *inner = ar_error_chain(ar_err_generic("mid"),
                                   ar_err_generic("connection refused"));
  ar_error *outer = ar_error_chain(ar_err_other("top"), inner);
  cr_assert_str_eq(outer->source->message, "mid");
  cr_assert_not_null(outer->source->source);
  cr_assert_str_eq(outer->source->source->message, "connection refused");
  cr_assert_null(outer->source->source->source);
  ar_error_free(outer);
}

/* ---- ar_error_raise --------------------------------------------------- */

Test(raise, stores_the_error_and_returns_its_status)
{
  ar_error *out = NULL;
  ar_error *e = ar_err_resource_not_found("x");
  cr_assert_eq(ar_error_raise(e, &out), ALIEN_AR_ERR_NOT_FOUND);
  cr_assert_eq(out, e);
  ar_error_free(out);
}

Test(raise, null_out_frees_and_returns_the_status)
{
  /* Runs under valgrind in the memcheck job: the error must be freed. */
  cr_assert_eq(ar_error_raise(ar_err_binding_config_invalid("b", "r"), NULL),
               ALIEN_AR_ERR_CONFIG);
  cr_assert_eq(ar_error_raise(ar_err_invalid_argument("x"), NULL),
               ALIEN_AR_ERR_INVALID_ARGUMENT);
}

Test(raise, null_error_is_out_of_memory)
{
  ar_error *out = (ar_error *)(uintptr_t)1;
  cr_assert_eq(ar_error_raise(NULL, &out), ALIEN_AR_ERR_NO_MEMORY);
  cr_assert_null(out);
  cr_assert_eq(ar_error_raise(NULL, NULL), ALIEN_AR_ERR_NO_MEMORY);
}

/* ---- ar_error_to_json (contract 2.1) --------------------------------- */

Test(json, resource_not_found_example_of_the_contract)
{
  ar_error *e = ar_err_resource_not_found("B/L");
  assert_json(e, "{\"code\":\"RESOURCE_NOT_FOUND\",\"message\":\"Resource "
                 "'B/L' not found\",\"context\":{\"resource_id\":\"B/L\"},"
                 "\"retryable\":false,\"internal\":false,\"httpStatusCode\":"
                 "404,\"_error_for_pattern_matching\":{\"resourceNotFound\":"
                 "{\"resource_id\":\"B/L\"}}}");
  ar_error_free(e);
}

Test(json, null_error_gives_null)
{
  cr_assert_null(ar_error_to_json(NULL));
}

Test(json, generic_error_has_no_context_and_no_payload)
{
  ar_error *e = ar_err_generic("connection refused");
  assert_json(e, "{\"code\":\"GENERIC_ERROR\",\"message\":\"connection "
                 "refused\",\"retryable\":false,\"internal\":false,"
                 "\"httpStatusCode\":500}");
  ar_error_free(e);
}

Test(json, zero_http_status_is_omitted)
{
  ar_error *e = ar_error_new(ALIEN_AR_ERR_BACKEND, "C", "m", NULL, NULL, 1, 0,
                             0);
  assert_json(e, "{\"code\":\"C\",\"message\":\"m\",\"retryable\":true,"
                 "\"internal\":false}");
  ar_error_free(e);
}

Test(json, hint_comes_after_context)
{
  ar_error *e = ar_err_resource_not_found("x");
  cr_assert_not_null(e);
  e->hint = ar_strdup("check the name");
  assert_json(e, "{\"code\":\"RESOURCE_NOT_FOUND\",\"message\":\"Resource 'x'"
                 " not found\",\"context\":{\"resource_id\":\"x\"},\"hint\":"
                 "\"check the name\",\"retryable\":false,\"internal\":false,"
                 "\"httpStatusCode\":404,\"_error_for_pattern_matching\":{"
                 "\"resourceNotFound\":{\"resource_id\":\"x\"}}}");
  ar_error_free(e);
}

/* The local backend's "Failed to extract registry_url" error: the cause is
 * an alien-core variant, which becomes a plain source without payload. */
Test(json, chained_source_has_no_pattern_matching_payload)
{
  ar_error *e = ar_error_chain(
      ar_err_binding_config_invalid("b", "Failed to extract registry_url "
                                         "from binding"),
      ar_err_core_binding_config_invalid(
          "b", "Template expressions not supported in runtime bindings for "
               "field 'registry_url'"));
  assert_json(
      e,
      "{\"code\":\"BINDING_CONFIG_INVALID\",\"message\":\"Binding "
      "configuration invalid for binding 'b' (env var 'ALIEN_B_BINDING'): "
      "Failed to extract registry_url from binding\",\"context\":{"
      "\"binding_name\":\"b\",\"env_var\":\"ALIEN_B_BINDING\",\"reason\":"
      "\"Failed to extract registry_url from binding\"},\"retryable\":false,"
      "\"internal\":false,\"httpStatusCode\":400,\"source\":{\"code\":"
      "\"BINDING_CONFIG_INVALID\",\"message\":\"Invalid binding configuration "
      "for 'b': Template expressions not supported in runtime bindings for "
      "field 'registry_url'\",\"context\":{\"binding_name\":\"b\",\"reason\":"
      "\"Template expressions not supported in runtime bindings for field "
      "'registry_url'\"},\"retryable\":false,\"internal\":false,"
      "\"httpStatusCode\":500},\"_error_for_pattern_matching\":{"
      "\"bindingConfigInvalid\":{\"binding_name\":\"b\",\"env_var\":"
      "\"ALIEN_B_BINDING\",\"reason\":\"Failed to extract registry_url from "
      "binding\"}}}");
  ar_error_free(e);
}

Test(json, three_level_chain)
{
  ar_error *e = ar_error_chain(
      ar_err_other("Failed to check repository existence"),
      ar_error_chain(ar_err_generic("HEAD http://localhost:5000/v2/b/l/"
                                    "manifests/latest: failed"),
                     ar_err_generic("Connection refused")));
  assert_json(e,
              "{\"code\":\"BINDINGS_ERROR\",\"message\":\"Bindings error: "
              "Failed to check repository existence\",\"context\":{"
              "\"message\":\"Failed to check repository existence\"},"
              "\"retryable\":true,\"internal\":true,\"httpStatusCode\":500,"
              "\"source\":{\"code\":\"GENERIC_ERROR\",\"message\":\"HEAD "
              "http://localhost:5000/v2/b/l/manifests/latest: failed\","
              "\"retryable\":false,\"internal\":false,\"httpStatusCode\":500,"
              "\"source\":{\"code\":\"GENERIC_ERROR\",\"message\":"
              "\"Connection refused\",\"retryable\":false,\"internal\":false,"
              "\"httpStatusCode\":500}},\"_error_for_pattern_matching\":{"
              "\"other\":{\"message\":\"Failed to check repository "
              "existence\"}}}");
  ar_error_free(e);
}

Test(json, outer_without_variant_has_no_payload)
{
  ar_error *e = ar_error_chain(ar_err_generic("outer"),
                               ar_err_resource_not_found("x"));
  assert_json(e, "{\"code\":\"GENERIC_ERROR\",\"message\":\"outer\","
                 "\"retryable\":false,\"internal\":false,\"httpStatusCode\":"
                 "500,\"source\":{\"code\":\"RESOURCE_NOT_FOUND\",\"message\":"
                 "\"Resource 'x' not found\",\"context\":{\"resource_id\":"
                 "\"x\"},\"retryable\":false,\"internal\":false,"
                 "\"httpStatusCode\":404}}");
  ar_error_free(e);
}

Test(json, other_variants_serialise_their_payload)
{
  ar_error *e = ar_err_operation_not_supported("get_cross_account_access",
                                               "r");
  assert_json(e, "{\"code\":\"OPERATION_NOT_SUPPORTED\",\"message\":"
                 "\"Operation 'get_cross_account_access' not supported: r\","
                 "\"context\":{\"operation\":\"get_cross_account_access\","
                 "\"reason\":\"r\"},\"retryable\":false,\"internal\":false,"
                 "\"httpStatusCode\":501,\"_error_for_pattern_matching\":{"
                 "\"operationNotSupported\":{\"operation\":"
                 "\"get_cross_account_access\",\"reason\":\"r\"}}}");
  ar_error_free(e);

  e = ar_err_invalid_input("op", "d", NULL);
  assert_json(e, "{\"code\":\"INVALID_INPUT\",\"message\":\"op: Invalid input"
                 " - d\",\"context\":{\"operation_context\":\"op\","
                 "\"details\":\"d\",\"field_name\":null},\"retryable\":false,"
                 "\"internal\":false,\"httpStatusCode\":400,"
                 "\"_error_for_pattern_matching\":{\"invalidInput\":{"
                 "\"operation_context\":\"op\",\"details\":\"d\","
                 "\"field_name\":null}}}");
  ar_error_free(e);
}

Test(json, slashes_are_not_escaped_and_specials_are)
{
  ar_error *e = ar_err_resource_not_found("a/b\"c\\d\te");
  assert_json(e, "{\"code\":\"RESOURCE_NOT_FOUND\",\"message\":\"Resource "
                 "'a/b\\\"c\\\\d\\te' not found\",\"context\":{\"resource_id\":"
                 "\"a/b\\\"c\\\\d\\te\"},\"retryable\":false,\"internal\":"
                 "false,\"httpStatusCode\":404,\"_error_for_pattern_matching\""
                 ":{\"resourceNotFound\":{\"resource_id\":\"a/b\\\"c\\\\d\\te\""
                 "}}}");
  ar_error_free(e);
}

Test(json, non_ascii_is_kept_as_utf8)
{
  ar_error *e = ar_err_generic("caf\xc3\xa9");
  assert_json(e, "{\"code\":\"GENERIC_ERROR\",\"message\":\"caf\xc3\xa9\","
                 "\"retryable\":false,\"internal\":false,\"httpStatusCode\":"
                 "500}");
  ar_error_free(e);
}
