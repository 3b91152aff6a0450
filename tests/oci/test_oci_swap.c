/* A host swaps backends at runtime through the ABI: one process, one loaded
 * plugin, a `local` handle on a plain registry and an `oci` handle on a TLS
 * + Basic registry open at once; the first is closed and the second keeps
 * working. (The alien-ar session variant is tested with the CLI.) */
#include "oci_env.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct oci_env E;            /* TLS + Basic registry, plugin, log */
static struct ar_test_registry PLAIN; /* plain registry for `local` */

static void setup(void) {
  struct oci_env_options o = {.auth = AR_TEST_AUTH_BASIC, .access_log = 1,
                              .no_open = 1};
  oci_env_start(&E, &o);
  struct ar_test_registry_options po = {.access_log = 1};
  ar_test_registry_start(&PLAIN, &po);
}
static void teardown(void) {
  oci_env_stop(&E);
  ar_test_registry_stop(&PLAIN);
}

TestSuite(oci_swap, .init = setup, .fini = teardown, .timeout = 90);

static void skopeo_plain_has(const char *repo) {
  char *raw = NULL, *err = NULL, digest[72];
  size_t len = 0;
  int rc = ar_test_skopeo_inspect_raw(&PLAIN, repo, "latest", &raw, &len,
                                      &err);
  cr_assert_eq(rc, 0, "plain registry lacks %s: %s", repo, err);
  ar_test_sha256_digest(raw, len, digest);
  cr_assert_str_eq(digest, MARKER_DIGEST);
  free(raw);
  free(err);
}

static int tls_has(const char *repo) {
  char *raw = NULL, *err = NULL;
  int rc = oci_skopeo_raw(&E, repo, "latest", &raw, NULL, &err);
  free(raw);
  free(err);
  return rc == 0;
}

Test(oci_swap, local_then_oci_in_one_process) {
  alien_ar_handle *loc =
      ar_test_open_local(&E.p, "app", PLAIN.hostport, &E.log.host);
  cr_assert_str_eq(E.p.t->handle_backend(loc), "local");
  json_object *cfg = oci_config(&E);
  alien_ar_handle *oci = oci_open_ok(&E, "app", cfg);
  json_object_put(cfg);

  char l1[64], l2[64], l3[64], r1[128], r2[128], r3[128];
  oci_repo_name(l1, sizeof l1);
  oci_repo_name(l2, sizeof l2);
  oci_repo_name(l3, sizeof l3);
  snprintf(r1, sizeof r1, "app/%s", l1);
  snprintf(r2, sizeof r2, "team/%s", l2);
  snprintf(r3, sizeof r3, "team/%s", l3);

  /* create on the first (local, plain registry) */
  struct alien_ar_repository *a = oci_create(&E, loc, l1);
  cr_assert_str_eq(a->name, r1);
  char want_uri[192];
  snprintf(want_uri, sizeof want_uri, "%s/%s", PLAIN.hostport, r1);
  cr_assert_str_eq(a->uri, want_uri);
  E.p.t->repository_free(a);
  skopeo_plain_has(r1);

  /* then on the second (oci, TLS + Basic registry) */
  struct alien_ar_repository *b = oci_create(&E, oci, l2);
  cr_assert_str_eq(b->name, r2);
  snprintf(want_uri, sizeof want_uri, "%s/%s", E.reg.ip_hostport, r2);
  cr_assert_str_eq(b->uri, want_uri);
  E.p.t->repository_free(b);
  cr_assert(tls_has(r2));
  cr_assert(!tls_has(r1), "the local create reached the TLS registry");

  /* both open: each answers for its own registry only */
  E.p.t->repository_free(oci_get(&E, loc, r1));
  struct alien_ar_error *err =
      oci_get_fails(&E, oci, l1, ALIEN_AR_ERR_NOT_FOUND, "RESOURCE_NOT_FOUND");
  E.p.t->error_free(err);

  /* close the first; the second keeps working */
  int plain_before = ar_test_registry_count_requests(&PLAIN, NULL, NULL);
  E.p.t->close(loc);
  E.p.t->repository_free(oci_get(&E, oci, r2));
  E.p.t->repository_free(oci_create(&E, oci, l3));
  cr_assert(tls_has(r3));
  struct alien_ar_credentials *cr =
      oci_credentials(&E, oci, r3, ALIEN_AR_PERMISSIONS_PULL, -1);
  cr_assert_eq(cr->auth_method, ALIEN_AR_AUTH_BASIC);
  cr_assert_str_eq(cr->username, E.username);
  E.p.t->credentials_free(cr);
  oci_delete(&E, oci, r2);
  cr_assert(!tls_has(r2));
  err = oci_get_fails(&E, oci, r2, ALIEN_AR_ERR_NOT_FOUND,
                      "RESOURCE_NOT_FOUND");
  E.p.t->error_free(err);
  cr_assert_eq(ar_test_registry_count_requests(&PLAIN, NULL, NULL),
               plain_before, "the closed local handle still talks");
  skopeo_plain_has(r1); /* the local repository is untouched */
  E.p.t->close(oci);
  oci_assert_log_clean(&E, NULL, NULL);
}

Test(oci_swap, oci_then_local_in_one_process) {
  json_object *cfg = oci_config(&E);
  alien_ar_handle *oci = oci_open_ok(&E, "app", cfg);
  json_object_put(cfg);
  char l1[64], l2[64], r1[128], r2[128];
  oci_repo_name(l1, sizeof l1);
  oci_repo_name(l2, sizeof l2);
  snprintf(r1, sizeof r1, "team/%s", l1);
  snprintf(r2, sizeof r2, "app/%s", l2);
  E.p.t->repository_free(oci_create(&E, oci, l1));
  alien_ar_handle *loc =
      ar_test_open_local(&E.p, "app", PLAIN.hostport, &E.log.host);
  E.p.t->close(oci);
  E.p.t->repository_free(oci_create(&E, loc, l2));
  skopeo_plain_has(r2);
  E.p.t->repository_free(oci_get(&E, loc, r2));
  struct alien_ar_credentials *cr =
      oci_credentials(&E, loc, r2, ALIEN_AR_PERMISSIONS_PULL, -1);
  cr_assert_eq(cr->auth_method, ALIEN_AR_AUTH_BASIC);
  cr_assert_str_eq(cr->username, "");
  cr_assert_str_eq(cr->password, "");
  E.p.t->credentials_free(cr);
  cr_assert(tls_has(r1), "closing the oci handle removed its repository");
  E.p.t->close(loc);
  oci_assert_log_clean(&E, NULL, NULL);
}
