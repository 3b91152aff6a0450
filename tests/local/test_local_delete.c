/* delete_repository really deletes on a registry that allows it, and is a
 * logged no-op on one that does not. */
#include "local_env.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct local_env E;

static void setup(void) {
  struct local_env_options o = {.binding = "b",
                                .log_level = ALIEN_AR_LOG_TRACE};
  local_env_start(&E, &o);
}
static void setup_disabled(void) {
  struct local_env_options o = {.binding = "b",
                                .log_level = ALIEN_AR_LOG_WARN,
                                .reg = {.delete_disabled = 1}};
  local_env_start(&E, &o);
}
static void teardown(void) { local_env_stop(&E); }

TestSuite(local_delete, .init = setup, .fini = teardown, .timeout = 60);
TestSuite(local_delete_disabled, .init = setup_disabled, .fini = teardown,
          .timeout = 60);

static void expect_gone(const char *id) {
  E.p.t->error_free(
      local_get_fails(&E, id, ALIEN_AR_ERR_NOT_FOUND, "RESOURCE_NOT_FOUND"));
}

static void expect_skopeo_fails(const char *repo, const char *tag) {
  char *out = NULL, *err = NULL;
  int rc = ar_test_skopeo_inspect_raw(&E.reg, repo, tag, &out, NULL, &err);
  cr_assert_neq(rc, 0, "%s:%s still readable: %s", repo, tag, out);
  free(out);
  free(err);
}

Test(local_delete, delete_really_deletes) {
  char l[64];
  local_repo_name(l, sizeof l);
  struct alien_ar_repository *c = local_create(&E, l);
  local_delete(&E, c->name);
  expect_gone(c->name);
  expect_gone(l);
  expect_skopeo_fails(c->name, "latest");
  E.p.t->repository_free(c);
}

Test(local_delete, delete_by_logical_name) {
  char l[64];
  local_repo_name(l, sizeof l);
  struct alien_ar_repository *c = local_create(&E, l);
  local_delete(&E, l);
  expect_gone(c->name);
  E.p.t->repository_free(c);
}

Test(local_delete, delete_removes_every_tag) {
  char l[64], repo[128], pushed[72], digest[72];
  local_repo_name(l, sizeof l);
  snprintf(repo, sizeof repo, "b/%s", l);
  struct alien_ar_repository *c = local_create(&E, l);
  ar_test_skopeo_push_image(&E.reg, repo, "v1", pushed);
  ar_test_skopeo_push_image(&E.reg, repo, "v2", digest);
  local_manifest_digest(&E, repo, "v1", digest, NULL, NULL);
  cr_assert_str_eq(digest, pushed);
  local_delete(&E, c->name);
  expect_skopeo_fails(repo, "latest");
  expect_skopeo_fails(repo, "v1");
  expect_skopeo_fails(repo, "v2");
  expect_gone(c->name);
  E.p.t->repository_free(c);
}

Test(local_delete, delete_of_missing_repository_is_ok) {
  char l[64], routable[128];
  local_repo_name(l, sizeof l);
  snprintf(routable, sizeof routable, "b/%s", l);
  local_delete(&E, l);
  local_delete(&E, routable);
}

Test(local_delete, delete_twice_is_ok) {
  char l[64];
  local_repo_name(l, sizeof l);
  struct alien_ar_repository *c = local_create(&E, l);
  local_delete(&E, c->name);
  local_delete(&E, c->name);
  expect_gone(c->name);
  E.p.t->repository_free(c);
}

Test(local_delete, create_after_delete_works) {
  char l[64], digest[72];
  local_repo_name(l, sizeof l);
  struct alien_ar_repository *c = local_create(&E, l);
  local_delete(&E, c->name);
  expect_gone(c->name);
  struct alien_ar_repository *again = local_create(&E, l);
  cr_assert_str_eq(again->name, c->name);
  E.p.t->repository_free(local_get(&E, again->name));
  local_manifest_digest(&E, again->name, "latest", digest, NULL, NULL);
  cr_assert_str_eq(digest, MARKER_DIGEST);
  E.p.t->repository_free(again);
  E.p.t->repository_free(c);
}

Test(local_delete_disabled, refused_delete_is_ok_and_warned) {
  char l[64], digest[72];
  local_repo_name(l, sizeof l);
  struct alien_ar_repository *c = local_create(&E, l);
  size_t warns_before = ar_test_log_count(&E.log, ALIEN_AR_LOG_WARN);
  local_delete(&E, c->name);
  char *text = ar_test_log_text(&E.log);
  cr_assert_gt(ar_test_log_count(&E.log, ALIEN_AR_LOG_WARN), warns_before,
               "no warn line for the refused delete; log:\n%s", text);
  free(text);
  /* Nothing was deleted. */
  E.p.t->repository_free(local_get(&E, c->name));
  local_manifest_digest(&E, c->name, "latest", digest, NULL, NULL);
  cr_assert_str_eq(digest, MARKER_DIGEST);
  E.p.t->repository_free(c);
}
