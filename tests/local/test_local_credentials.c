/* generate_credentials: anonymous basic credentials, argument checks, and
 * no request to the registry. */
#include "local_env.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct local_env E;

static void setup(void) {
  struct local_env_options o = {.binding = "b", .reg = {.access_log = 1}};
  local_env_start(&E, &o);
}
static void teardown(void) { local_env_stop(&E); }

TestSuite(local_credentials, .init = setup, .fini = teardown, .timeout = 60);

static void expect_anonymous(const char *id, int32_t perm, int64_t ttl) {
  struct alien_ar_credentials *c = NULL;
  struct alien_ar_error *err = NULL;
  char what[160];
  snprintf(what, sizeof what, "generate_credentials(%s, %d, %lld)", id,
           (int)perm, (long long)ttl);
  ar_test_expect_ok(&E.p,
                    E.p.t->generate_credentials(E.h, id, perm, ttl, &c, &err),
                    err, what);
  cr_assert_not_null(c, "%s", what);
  cr_assert_geq(c->struct_size, sizeof(struct alien_ar_credentials));
  cr_assert_eq(c->auth_method, ALIEN_AR_AUTH_BASIC, "%s", what);
  cr_assert_not_null(c->username);
  cr_assert_not_null(c->password);
  cr_assert_str_eq(c->username, "", "%s", what);
  cr_assert_str_eq(c->password, "", "%s", what);
  cr_assert_null(c->expires_at, "%s", what);
  char *json = NULL;
  cr_assert_eq(E.p.t->credentials_to_json(c, &json), ALIEN_AR_OK);
  cr_assert_str_eq(json, "{\"authMethod\":\"basic\",\"username\":\"\","
                         "\"password\":\"\",\"expiresAt\":null}");
  E.p.t->string_free(json);
  E.p.t->credentials_free(c);
}

Test(local_credentials, anonymous_basic_for_every_valid_combination) {
  char l[64], routable[128];
  local_repo_name(l, sizeof l);
  struct alien_ar_repository *r = local_create(&E, l);
  snprintf(routable, sizeof routable, "%s", r->name);
  E.p.t->repository_free(r);
  int before = ar_test_registry_count_requests(&E.reg, NULL, NULL);
  const int32_t perms[] = {ALIEN_AR_PERMISSIONS_PULL,
                           ALIEN_AR_PERMISSIONS_PUSH_PULL};
  const int64_t ttls[] = {ALIEN_AR_TTL_NONE, 3600, 0, 43200,
                          (int64_t)UINT32_MAX};
  for (size_t i = 0; i < 2; i++)
    for (size_t j = 0; j < sizeof ttls / sizeof ttls[0]; j++) {
      expect_anonymous(routable, perms[i], ttls[j]);
      expect_anonymous(l, perms[i], ttls[j]);
    }
  cr_assert_eq(ar_test_registry_count_requests(&E.reg, NULL, NULL), before,
               "generate_credentials must not talk to the registry");
}

Test(local_credentials, repository_need_not_exist) {
  char l[64];
  local_repo_name(l, sizeof l);
  expect_anonymous(l, ALIEN_AR_PERMISSIONS_PUSH_PULL, 3600);
}

static void expect_bad(int32_t perm, int64_t ttl) {
  struct alien_ar_credentials *c = NULL;
  struct alien_ar_error *err = NULL;
  char what[160];
  snprintf(what, sizeof what, "generate_credentials(perm %d, ttl %lld)",
           (int)perm, (long long)ttl);
  alien_ar_status st =
      E.p.t->generate_credentials(E.h, "b/app", perm, ttl, &c, &err);
  ar_test_check_error(&E.p, st, err, ALIEN_AR_ERR_INVALID_INPUT,
                      "INVALID_INPUT", what);
  cr_assert_null(c, "%s", what);
  const char *prefix = "generate_credentials: Invalid input - ";
  cr_assert(strncmp(err->message, prefix, strlen(prefix)) == 0,
            "%s: message '%s'", what, err->message);
  cr_assert_eq(err->http_status_code, 400);
  cr_assert_eq(err->retryable, 0);
  E.p.t->error_free(err);
}

Test(local_credentials, bad_permissions_and_ttl) {
  int before = ar_test_registry_count_requests(&E.reg, NULL, NULL);
  expect_bad(0, 3600);
  expect_bad(3, 3600);
  expect_bad(-1, ALIEN_AR_TTL_NONE);
  expect_bad(INT32_MAX, 3600);
  expect_bad(ALIEN_AR_PERMISSIONS_PULL, -2);
  expect_bad(ALIEN_AR_PERMISSIONS_PULL, (int64_t)1 << 33);
  expect_bad(ALIEN_AR_PERMISSIONS_PUSH_PULL, (int64_t)UINT32_MAX + 1);
  expect_bad(ALIEN_AR_PERMISSIONS_PUSH_PULL, INT64_MIN);
  expect_bad(ALIEN_AR_PERMISSIONS_PUSH_PULL, INT64_MAX);
  cr_assert_eq(ar_test_registry_count_requests(&E.reg, NULL, NULL), before);
}
