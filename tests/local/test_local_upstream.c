/* The cases alien's own suite runs for `local` (contract section 5.2), with
 * its binding name, endpoint form and repository names. */
#include "local_env.h"

#include <criterion/criterion.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define B "test-local-artifact-registry"

static struct local_env E;

static void setup(void) {
  struct local_env_options o = {.binding = B, .reg = {.access_log = 1}};
  local_env_start(&E, &o);
}
static void teardown(void) { local_env_stop(&E); }

TestSuite(local_upstream, .init = setup, .fini = teardown, .timeout = 60);

static const char AWS_ACCESS[] =
    "{\"platform\":\"aws\",\"accountIds\":[\"123456789012\"],\"regions\":[],"
    "\"allowedServiceTypes\":[\"worker\"],\"roleArns\":[\"arn:aws:iam::"
    "123456789012:role/test-role\"]}";

Test(local_upstream, create_repository_and_get_status) {
  char name[64];
  local_repo_name(name, sizeof name);
  struct alien_ar_repository *c = local_create(&E, name);
  cr_assert_gt(strlen(c->name), 0);
  struct alien_ar_repository *g = local_get(&E, c->name);
  E.p.t->repository_free(g);
  local_delete(&E, c->name);
  E.p.t->repository_free(c);
}

static void expect_not_supported(alien_ar_status st,
                                 struct alien_ar_error *err, const char *op) {
  char msg[256], ctx[256];
  ar_test_check_error(&E.p, st, err, ALIEN_AR_ERR_NOT_SUPPORTED,
                      "OPERATION_NOT_SUPPORTED", op);
  snprintf(msg, sizeof msg,
           "Operation '%s' not supported: Local artifact registry does not "
           "support cross-account access",
           op);
  cr_assert_str_eq(err->message, msg);
  cr_assert_eq(err->http_status_code, 501);
  cr_assert_eq(err->retryable, 0);
  cr_assert_eq(err->internal, 0);
  snprintf(ctx, sizeof ctx,
           "{\"operation\":\"%s\",\"reason\":\"Local artifact registry does "
           "not support cross-account access\"}",
           op);
  cr_assert(ar_test_json_equal(err->context_json, ctx), "context %s",
            err->context_json);
  cr_assert_null(err->source);
  E.p.t->error_free(err);
}

Test(local_upstream, add_remove_cross_account_access) {
  char name[64];
  local_repo_name(name, sizeof name);
  struct alien_ar_repository *c = local_create(&E, name);
  int before = ar_test_registry_count_requests(&E.reg, NULL, NULL);

  char *out = NULL;
  struct alien_ar_error *err = NULL;
  alien_ar_status st = E.p.t->get_cross_account_access(E.h, c->name, &out,
                                                       &err);
  expect_not_supported(st, err, "get_cross_account_access");
  cr_assert_null(out);
  err = NULL;
  st = E.p.t->add_cross_account_access(E.h, c->name, AWS_ACCESS, &err);
  expect_not_supported(st, err, "add_cross_account_access");
  err = NULL;
  st = E.p.t->remove_cross_account_access(E.h, c->name, AWS_ACCESS, &err);
  expect_not_supported(st, err, "remove_cross_account_access");

  cr_assert_eq(ar_test_registry_count_requests(&E.reg, NULL, NULL), before,
               "cross-account calls must not reach the registry");
  local_delete(&E, c->name);
  E.p.t->repository_free(c);
}

Test(local_upstream, cross_account_gcp_access_also_not_supported) {
  static const char gcp[] =
      "{\"platform\":\"gcp\",\"projectNumbers\":[\"123\"],"
      "\"allowedServiceTypes\":[\"worker\"],\"serviceAccountEmails\":[]}";
  struct alien_ar_error *err = NULL;
  alien_ar_status st = E.p.t->add_cross_account_access(E.h, "x", gcp, &err);
  expect_not_supported(st, err, "add_cross_account_access");
}

Test(local_upstream, cross_account_malformed_access_is_invalid_input) {
  const char *bad[] = {"not json", "[]", "{}", "{\"platform\":\"azure\"}",
                       "{\"platform\":\"aws\",\"accountIds\":\"x\","
                       "\"regions\":[],\"allowedServiceTypes\":[],"
                       "\"roleArns\":[]}"};
  int before = ar_test_registry_count_requests(&E.reg, NULL, NULL);
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    struct alien_ar_error *err = NULL;
    alien_ar_status st =
        E.p.t->add_cross_account_access(E.h, "x", bad[i], &err);
    ar_test_check_error(&E.p, st, err, ALIEN_AR_ERR_INVALID_INPUT,
                        "INVALID_INPUT", bad[i]);
    cr_assert_eq(err->http_status_code, 400);
    cr_assert_eq(err->retryable, 0);
    E.p.t->error_free(err);
    err = NULL;
    st = E.p.t->remove_cross_account_access(E.h, "x", bad[i], &err);
    ar_test_expect_error(&E.p, st, err, ALIEN_AR_ERR_INVALID_INPUT,
                         "INVALID_INPUT", bad[i]);
  }
  cr_assert_eq(ar_test_registry_count_requests(&E.reg, NULL, NULL), before);
}

Test(local_upstream, generate_credentials) {
  char name[64];
  local_repo_name(name, sizeof name);
  struct alien_ar_repository *c = local_create(&E, name);
  struct alien_ar_credentials *cred = NULL;
  struct alien_ar_error *err = NULL;
  ar_test_expect_ok(&E.p,
                    E.p.t->generate_credentials(E.h, c->name,
                                                ALIEN_AR_PERMISSIONS_PULL,
                                                3600, &cred, &err),
                    err, "generate_credentials");
  cr_assert_not_null(cred);
  E.p.t->credentials_free(cred);
  local_delete(&E, c->name);
  E.p.t->repository_free(c);
}

Test(local_upstream, delete_repository) {
  char name[64];
  local_repo_name(name, sizeof name);
  struct alien_ar_repository *c = local_create(&E, name);
  local_delete(&E, c->name);
  E.p.t->repository_free(c);
}

Test(local_upstream, full_repository_lifecycle) {
  char name[64];
  local_repo_name(name, sizeof name);
  struct alien_ar_repository *c = local_create(&E, name);
  struct alien_ar_repository *g = local_get(&E, c->name);
  cr_assert_str_eq(g->name, c->name, "round-trip invariant");
  struct alien_ar_credentials *cred = NULL;
  struct alien_ar_error *err = NULL;
  /* Upstream tolerates either outcome here; the call must still return. */
  if (E.p.t->generate_credentials(E.h, c->name, ALIEN_AR_PERMISSIONS_PULL,
                                  3600, &cred, &err) == ALIEN_AR_OK)
    cr_assert_not_null(cred);
  E.p.t->credentials_free(cred);
  E.p.t->error_free(err);
  local_delete(&E, c->name);
  E.p.t->repository_free(g);
  E.p.t->repository_free(c);
}

Test(local_upstream, get_nonexistent_repository_returns_404) {
  char hex[33], id[64];
  ar_test_random_hex(hex, 32);
  snprintf(id, sizeof id, "alien-test-nonexistent-%s", hex);
  struct alien_ar_error *err = local_get_fails(
      &E, id, ALIEN_AR_ERR_NOT_FOUND, "RESOURCE_NOT_FOUND");
  json_object *ctx = json_tokener_parse(err->context_json);
  json_object *rid = NULL;
  cr_assert(json_object_object_get_ex(ctx, "resource_id", &rid),
            "context %s", err->context_json);
  cr_assert_str_eq(json_object_get_string(rid), id,
                   "resource_id must be the id exactly as passed");
  json_object_put(ctx);
  cr_assert_eq(err->http_status_code, 404);
  E.p.t->error_free(err);
}
