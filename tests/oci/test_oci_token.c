/* The `oci` backend against distribution configured for token auth, with
 * the test token issuer as realm (RS256 tokens whose x5c certificate is the
 * registry's rootcertbundle). What is checked is what the issuer saw: the
 * scopes asked for, how often (caching), refresh after expiry and after a
 * rejected token; plus generated bearer credentials that skopeo can use. */
#define _GNU_SOURCE /* timegm */
#include "oci_env.h"

#include <criterion/criterion.h>
#include <json-c/json.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static struct oci_env E;

static void setup(void) {
  struct oci_env_options o = {.auth = AR_TEST_AUTH_TOKEN,
                              .issuer_needs_auth = 1, .access_log = 1};
  oci_env_start(&E, &o);
}
static void setup_short(void) {
  struct oci_env_options o = {.auth = AR_TEST_AUTH_TOKEN,
                              .issuer_needs_auth = 1, .access_log = 1,
                              .expires_in = 2};
  oci_env_start(&E, &o);
}
static void setup_anon(void) {
  struct oci_env_options o = {.auth = AR_TEST_AUTH_TOKEN, .access_log = 1};
  oci_env_start(&E, &o);
}
static void teardown(void) { oci_env_stop(&E); }

TestSuite(oci_token, .init = setup, .fini = teardown, .timeout = 90);
TestSuite(oci_token_short, .init = setup_short, .fini = teardown,
          .timeout = 90);
TestSuite(oci_token_anon, .init = setup_anon, .fini = teardown,
          .timeout = 90);

static char *describe(void) { return ar_test_token_issuer_describe(&E.ti); }

static void log_checked(const char *extra_user, const char *extra) {
  cr_assert_gt(ar_test_log_total(&E.log), 0,
               "no log line at TRACE: the secret scan would be vacuous");
  oci_assert_log_clean(&E, extra_user, extra);
}

static void repo_of(char *out, size_t size, const char *l) {
  snprintf(out, size, "%s/%s", E.ns, l);
}

/* A new logical name L and its repository NS/L, created through the
 * plugin (and read back with get when `and_get`). */
static void fresh_repository(char l[64], char repo[128], int and_get) {
  oci_repo_name(l, 64);
  repo_of(repo, 128, l);
  E.p.t->repository_free(oci_create(&E, E.h, l));
  if (and_get)
    E.p.t->repository_free(oci_get(&E, E.h, repo));
}

static void skopeo_sees_marker(const char *repo) {
  char *raw = NULL, *err = NULL, digest[72];
  size_t len = 0;
  int rc = oci_skopeo_raw(&E, repo, "latest", &raw, &len, &err);
  cr_assert_eq(rc, 0, "skopeo inspect %s:latest failed: %s", repo, err);
  ar_test_sha256_digest(raw, len, digest);
  cr_assert_str_eq(digest, MARKER_DIGEST, "%s", raw);
  free(raw);
  free(err);
}

/* ---- scopes --------------------------------------------------------------- */

Test(oci_token, get_asks_for_pull_only) {
  char l[64], repo[128];
  oci_repo_name(l, sizeof l);
  repo_of(repo, sizeof repo, l);
  struct alien_ar_error *err = oci_get_fails(&E, E.h, l, ALIEN_AR_ERR_NOT_FOUND,
                                             "RESOURCE_NOT_FOUND");
  E.p.t->error_free(err);
  char *d = describe();
  cr_assert_geq(ar_test_token_issuer_count_repo(&E.ti, repo, "pull"), 1,
                "no pull token for %s:\n%s", repo, d);
  cr_assert_eq(ar_test_token_issuer_count_action(&E.ti, repo, "push"), 0,
               "get asked for push:\n%s", d);
  cr_assert_eq(ar_test_token_issuer_count_action(&E.ti, repo, "delete"), 0,
               "get asked for delete:\n%s", d);
  cr_assert_eq(ar_test_token_issuer_refused(&E.ti), 0, "%s", d);
  free(d);
  log_checked(NULL, NULL);
}

Test(oci_token, create_asks_for_pull_and_push) {
  char l[64], repo[128];
  oci_repo_name(l, sizeof l);
  repo_of(repo, sizeof repo, l);
  struct alien_ar_repository *r = oci_create(&E, E.h, l);
  cr_assert_str_eq(r->name, repo);
  char want_uri[192];
  snprintf(want_uri, sizeof want_uri, "%s/%s", E.reg.ip_hostport, repo);
  cr_assert_str_eq(r->uri, want_uri);
  E.p.t->repository_free(r);
  skopeo_sees_marker(repo);
  char *d = describe();
  cr_assert_geq(ar_test_token_issuer_count_repo(&E.ti, repo, "pull,push"), 1,
                "no pull,push token for %s:\n%s", repo, d);
  cr_assert_eq(ar_test_token_issuer_count_action(&E.ti, repo, "delete"), 0,
               "%s", d);
  free(d);
  log_checked(NULL, NULL);
}

Test(oci_token, second_create_mounts_with_pull_on_the_source) {
  char l1[64], l2[64], r1[128], r2[128];
  oci_repo_name(l1, sizeof l1);
  oci_repo_name(l2, sizeof l2);
  repo_of(r1, sizeof r1, l1);
  repo_of(r2, sizeof r2, l2);
  E.p.t->repository_free(oci_create(&E, E.h, l1));
  E.p.t->repository_free(oci_create(&E, E.h, l2));
  skopeo_sees_marker(r2);
  char s1[192], s2[192];
  snprintf(s1, sizeof s1, "repository:%s:pull", r1);
  snprintf(s2, sizeof s2, "repository:%s:pull,push", r2);
  const char *merged[] = {s2, s1, NULL};
  char *d = describe();
  cr_assert_geq(ar_test_token_issuer_count_including(&E.ti, merged), 1,
                "no token request merging %s and %s:\n%s", s2, s1, d);
  /* the merged token really covered the mount: 201, not a 202 upload */
  char *lines = ar_test_tls_registry_access_lines(&E.reg);
  char want[512];
  snprintf(want, sizeof want, "POST /v2/%s/blobs/uploads/?mount=", r2);
  int mounts = 0, mounted = 0;
  for (const char *p = strstr(lines, want); p; p = strstr(p + 1, want)) {
    if (p != lines && p[-1] != '\n')
      continue;
    const char *eol = strchr(p, '\n');
    mounts++;
    if (eol && eol - p > 4 && memcmp(eol - 4, " 201", 4) == 0)
      mounted++;
  }
  cr_assert_gt(mounts, 0, "no mount request in:\n%s", lines);
  cr_assert_eq(mounted, 1, "the mount did not succeed (201):\n%s\n%s", lines,
               d);
  free(lines);
  free(d);
  log_checked(NULL, NULL);
}

Test(oci_token, delete_asks_for_delete) {
  char l[64], repo[128];
  fresh_repository(l, repo, 0);
  oci_delete(&E, E.h, repo);
  char *d = describe();
  cr_assert_geq(ar_test_token_issuer_count_action(&E.ti, repo, "delete"), 1,
                "no token with delete for %s:\n%s", repo, d);
  free(d);
  struct alien_ar_error *err = oci_get_fails(
      &E, E.h, repo, ALIEN_AR_ERR_NOT_FOUND, "RESOURCE_NOT_FOUND");
  E.p.t->error_free(err);
  char *raw = NULL, *se = NULL;
  cr_assert_neq(oci_skopeo_raw(&E, repo, "latest", &raw, NULL, &se), 0,
                "still there after delete: %s", raw);
  free(raw);
  free(se);
  log_checked(NULL, NULL);
}

/* ---- caching and refresh --------------------------------------------------- */

Test(oci_token, a_token_is_cached_per_scope) {
  char l[64], repo[128];
  fresh_repository(l, repo, 1);
  int before = ar_test_token_issuer_total(&E.ti);
  for (int i = 0; i < 3; i++)
    E.p.t->repository_free(oci_get(&E, E.h, repo));
  int after = ar_test_token_issuer_total(&E.ti);
  char *d = describe();
  cr_assert_eq(after, before,
               "gets on the same repository fetched new tokens (%d -> %d):\n%s",
               before, after, d);
  free(d);
  /* another repository is another scope: one new request */
  char l2[64];
  oci_repo_name(l2, sizeof l2);
  struct alien_ar_error *err = oci_get_fails(
      &E, E.h, l2, ALIEN_AR_ERR_NOT_FOUND, "RESOURCE_NOT_FOUND");
  E.p.t->error_free(err);
  cr_assert_gt(ar_test_token_issuer_total(&E.ti), after);
  log_checked(NULL, NULL);
}

Test(oci_token, a_rejected_cached_token_is_refreshed_once) {
  char l[64], repo[128];
  fresh_repository(l, repo, 1);
  int before = ar_test_token_issuer_granted(&E.ti);
  /* key rotation: the cached token's signature is no longer trusted */
  ar_test_token_issuer_rotate_key(&E.ti);
  ar_test_tls_registry_restart(&E.reg);
  E.p.t->repository_free(oci_get(&E, E.h, repo));
  int after = ar_test_token_issuer_granted(&E.ti);
  char *d = describe();
  cr_assert_eq(after, before + 1,
               "expected exactly one new token after the 401 (%d -> %d):\n%s",
               before, after, d);
  free(d);
  log_checked(NULL, NULL);
}

Test(oci_token_short, an_expired_token_is_replaced) {
  /* tokens live 2 s: whatever margin the plugin keeps before expiry, one
   * fetched more than 2 s ago must not be used again */
  char l[64], repo[128];
  fresh_repository(l, repo, 1);
  int before = ar_test_token_issuer_count_action(&E.ti, repo, "pull");
  cr_assert_geq(before, 1, "%s", describe());
  struct timespec ts = {2, 600000000L};
  while (nanosleep(&ts, &ts) != 0) {
  }
  E.p.t->repository_free(oci_get(&E, E.h, repo));
  int after = ar_test_token_issuer_count_action(&E.ti, repo, "pull");
  char *d = describe();
  cr_assert_gt(after, before,
               "a get 2.6 s after a 2 s token fetched no new token:\n%s", d);
  free(d);
  log_checked(NULL, NULL);
}

/* One handle, 8 threads: 4 create their own repositories while 4 get a
 * shared one, all through the token cache. */
struct worker {
  int create;             /* create `name` instead of getting `name` */
  char name[128];
  int rounds;
  int failures;
  char first_error[2048];
};

static void *work(void *arg) {
  struct worker *w = arg;
  for (int i = 0; i < w->rounds; i++) {
    struct alien_ar_repository *r = NULL;
    struct alien_ar_error *err = NULL;
    alien_ar_status st =
        w->create ? E.p.t->create_repository(E.h, w->name, &r, &err)
                  : E.p.t->get_repository(E.h, w->name, &r, &err);
    if (st != ALIEN_AR_OK) {
      if (!w->failures++ && err) {
        char *json = NULL;
        if (E.p.t->error_to_json(err, &json) == ALIEN_AR_OK && json) {
          snprintf(w->first_error, sizeof w->first_error, "%s", json);
          E.p.t->string_free(json);
        }
      }
    }
    E.p.t->repository_free(r);
    E.p.t->error_free(err);
  }
  return NULL;
}

Test(oci_token, concurrent_calls_share_the_token_cache) {
  char shared_l[64], shared[128];
  oci_repo_name(shared_l, sizeof shared_l);
  repo_of(shared, sizeof shared, shared_l);
  E.p.t->repository_free(oci_create(&E, E.h, shared_l));
  struct worker w[8];
  pthread_t t[8];
  memset(w, 0, sizeof w);
  for (int i = 0; i < 8; i++) {
    w[i].create = i < 4;
    w[i].rounds = w[i].create ? 3 : 10;
    if (w[i].create)
      oci_repo_name(w[i].name, sizeof w[i].name);
    else
      snprintf(w[i].name, sizeof w[i].name, "%s", shared);
    cr_assert_eq(pthread_create(&t[i], NULL, work, &w[i]), 0);
  }
  for (int i = 0; i < 8; i++)
    pthread_join(t[i], NULL);
  for (int i = 0; i < 8; i++)
    cr_assert_eq(w[i].failures, 0, "%s %s: %d failure(s), first: %s\n%s",
                 w[i].create ? "create" : "get", w[i].name, w[i].failures,
                 w[i].first_error, describe());
  for (int i = 0; i < 4; i++) {
    char repo[192];
    repo_of(repo, sizeof repo, w[i].name);
    skopeo_sees_marker(repo);
  }
  cr_assert_eq(ar_test_token_issuer_refused(&E.ti), 0, "%s", describe());
  log_checked(NULL, NULL);
}

/* ---- generate_credentials ---------------------------------------------------- */

static int digits(const char *s, size_t n) {
  int v = 0;
  for (size_t i = 0; i < n; i++) {
    cr_assert(s[i] >= '0' && s[i] <= '9', "not a digit in '%s'", s);
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

/* "YYYY-MM-DDTHH:MM:SSZ" -> time_t (UTC). */
static time_t parse_iso(const char *s) {
  cr_assert_eq(strlen(s), 20, "expiresAt '%s' is not YYYY-MM-DDTHH:MM:SSZ", s);
  cr_assert(s[4] == '-' && s[7] == '-' && s[10] == 'T' && s[13] == ':' &&
                s[16] == ':' && s[19] == 'Z',
            "expiresAt '%s' is not YYYY-MM-DDTHH:MM:SSZ", s);
  struct tm tm;
  memset(&tm, 0, sizeof tm);
  tm.tm_year = digits(s, 4) - 1900;
  tm.tm_mon = digits(s + 5, 2) - 1;
  tm.tm_mday = digits(s + 8, 2);
  tm.tm_hour = digits(s + 11, 2);
  tm.tm_min = digits(s + 14, 2);
  tm.tm_sec = digits(s + 17, 2);
  return timegm(&tm);
}

/* The access claims of a JWT as "name:a,b" for the one repository entry. */
static void check_claims(const char *token, const char *repo,
                         const char *const actions[]) {
  char *claims = ar_test_jwt_claims(token);
  cr_assert_not_null(claims, "not a JWT: %s", token);
  json_object *c = json_tokener_parse(claims);
  cr_assert_not_null(c, "%s", claims);
  json_object *access, *v;
  cr_assert(json_object_object_get_ex(c, "access", &access), "%s", claims);
  size_t n = json_object_array_length(access);
  int found = 0;
  for (size_t i = 0; i < n; i++) {
    json_object *a = json_object_array_get_idx(access, i);
    cr_assert(json_object_object_get_ex(a, "name", &v));
    if (strcmp(json_object_get_string(v), repo) != 0)
      continue;
    found = 1;
    json_object *acts;
    cr_assert(json_object_object_get_ex(a, "actions", &acts));
    size_t na = json_object_array_length(acts), nw = 0;
    while (actions[nw])
      nw++;
    for (size_t w = 0; w < nw; w++) {
      int has = 0;
      for (size_t k = 0; k < na; k++)
        has |= strcmp(json_object_get_string(json_object_array_get_idx(
                          acts, k)),
                      actions[w]) == 0;
      cr_assert(has, "token lacks %s on %s: %s", actions[w], repo, claims);
    }
    for (size_t k = 0; k < na; k++) {
      const char *act = json_object_get_string(json_object_array_get_idx(acts, k));
      int wanted = 0;
      for (size_t w = 0; w < nw; w++)
        wanted |= strcmp(act, actions[w]) == 0;
      cr_assert(wanted, "token grants more than asked (%s) on %s: %s", act,
                repo, claims);
    }
  }
  cr_assert(found, "token has no access to %s: %s", repo, claims);
  json_object_put(c);
  free(claims);
}

static int skopeo_copy_with_token(const char *src, const char *dst,
                                  const char *token, char **err) {
  char s[512], d[512], sc[4300], dc[4300];
  snprintf(s, sizeof s, "docker://%s/%s", E.reg.ip_hostport, src);
  snprintf(d, sizeof d, "docker://%s/%s", E.reg.ip_hostport, dst);
  snprintf(sc, sizeof sc, "--src-cert-dir=%s", E.reg.cert_dir);
  snprintf(dc, sizeof dc, "--dest-cert-dir=%s", E.reg.cert_dir);
  const char *const argv[] = {"skopeo", "copy", "-q", sc, dc,
                              "--src-registry-token", token,
                              "--dest-registry-token", token, s, d, NULL};
  return ar_test_run(argv, NULL, 0, NULL, NULL, err);
}

Test(oci_token, generate_credentials_returns_a_bearer_token_skopeo_can_use) {
  char l[64], repo[128];
  fresh_repository(l, repo, 0);

  time_t t0 = time(NULL);
  struct alien_ar_credentials *cr =
      oci_credentials(&E, E.h, repo, ALIEN_AR_PERMISSIONS_PULL, 600);
  time_t t1 = time(NULL);
  cr_assert_eq(cr->auth_method, ALIEN_AR_AUTH_BEARER);
  cr_assert_str_eq(cr->username, "");
  cr_assert_gt(strlen(cr->password), 0);
  cr_assert_not_null(cr->expires_at, "a token has an expiry");
  time_t exp = parse_iso(cr->expires_at);
  /* the issuer says expires_in 300 */
  cr_assert(exp >= t0 + 300 - 5 && exp <= t1 + 300 + 5,
            "expiresAt %s is not about 300 s from now", cr->expires_at);
  const char *pull[] = {"pull", NULL};
  check_claims(cr->password, repo, pull);
  char *cj = NULL;
  cr_assert_eq(E.p.t->credentials_to_json(cr, &cj), ALIEN_AR_OK);
  char want[8192];
  snprintf(want, sizeof want,
           "{\"authMethod\":\"bearer\",\"username\":\"\",\"password\":\"%s\","
           "\"expiresAt\":\"%s\"}",
           cr->password, cr->expires_at);
  cr_assert_str_eq(cj, want);
  E.p.t->string_free(cj);

  /* skopeo pulls with it */
  char *raw = NULL, *err = NULL, digest[72];
  size_t len = 0;
  int rc = ar_test_tls_skopeo_inspect(&E.reg, repo, "latest", NULL,
                                      cr->password, 1, &raw, &len, &err);
  cr_assert_eq(rc, 0, "skopeo inspect --registry-token failed: %s", err);
  ar_test_sha256_digest(raw, len, digest);
  cr_assert_str_eq(digest, MARKER_DIGEST);
  free(raw);
  free(err);
  raw = err = NULL;
  rc = ar_test_tls_skopeo_inspect(&E.reg, repo, "latest", NULL, cr->password,
                                  0, &raw, NULL, &err);
  cr_assert_eq(rc, 0, "skopeo inspect (full) --registry-token failed: %s",
               err);
  free(raw);
  free(err);
  /* but cannot push */
  char src[192], dst[192];
  snprintf(src, sizeof src, "%s:latest", repo);
  snprintf(dst, sizeof dst, "%s:pushed", repo);
  err = NULL;
  cr_assert_neq(skopeo_copy_with_token(src, dst, cr->password, &err), 0,
                "a pull token could push");
  free(err);
  E.p.t->credentials_free(cr);

  /* push-pull: can push */
  cr = oci_credentials(&E, E.h, repo, ALIEN_AR_PERMISSIONS_PUSH_PULL, -1);
  cr_assert_eq(cr->auth_method, ALIEN_AR_AUTH_BEARER);
  const char *pp[] = {"pull", "push", NULL};
  check_claims(cr->password, repo, pp);
  err = NULL;
  rc = skopeo_copy_with_token(src, dst, cr->password, &err);
  cr_assert_eq(rc, 0, "skopeo copy with a push-pull token failed: %s", err);
  free(err);
  E.p.t->credentials_free(cr);
  char *d = describe();
  cr_assert_geq(ar_test_token_issuer_count_repo(&E.ti, repo, "pull"), 1, "%s",
                d);
  cr_assert_geq(ar_test_token_issuer_count_repo(&E.ti, repo, "pull,push"), 1,
                "%s", d);
  free(d);
  /* the tokens were handed to the host, never to the log */
  log_checked(NULL, NULL);
}

/* ---- wrong credentials at the realm ----------------------------------------- */

Test(oci_token, wrong_password_at_the_realm_is_authentication_error) {
  char wrong[64];
  alien_ar_handle *h = oci_open_wrong_password(&E, wrong);
  char l[64];
  oci_repo_name(l, sizeof l);
  struct alien_ar_repository *r = NULL;
  struct alien_ar_error *err = NULL;
  alien_ar_status st = E.p.t->get_repository(h, l, &r, &err);
  cr_assert_null(r);
  ar_test_check_error(&E.p, st, err, ALIEN_AR_ERR_AUTH,
                      "AUTHENTICATION_ERROR", "get with a wrong password");
  static const char prefix[] = "get_repository: Authentication failed - ";
  cr_assert(strncmp(err->message, prefix, sizeof prefix - 1) == 0, "%s",
            err->message);
  cr_assert_eq(err->retryable, 1);
  cr_assert_eq(err->internal, 0);
  cr_assert_eq(err->http_status_code, 401);
  char *json = oci_error_json(&E, err);
  oci_assert_no_secret(&E, json, NULL, wrong, "the error JSON");
  free(json);
  E.p.t->error_free(err);
  char *d = describe();
  cr_assert_geq(ar_test_token_issuer_refused(&E.ti), 1, "%s", d);
  cr_assert_eq(ar_test_token_issuer_granted(&E.ti), 0, "%s", d);
  free(d);
  E.p.t->close(h);
  log_checked(NULL, wrong);
}

/* ---- anonymous token service ------------------------------------------------- */

Test(oci_token_anon, anonymous_token_flow) {
  char l[64], repo[128];
  fresh_repository(l, repo, 0);
  skopeo_sees_marker(repo);
  E.p.t->repository_free(oci_get(&E, E.h, repo));
  struct alien_ar_credentials *cr =
      oci_credentials(&E, E.h, repo, ALIEN_AR_PERMISSIONS_PULL, -1);
  cr_assert_eq(cr->auth_method, ALIEN_AR_AUTH_BEARER);
  cr_assert_gt(strlen(cr->password), 0);
  char *raw = NULL, *err = NULL;
  int rc = ar_test_tls_skopeo_inspect(&E.reg, repo, "latest", NULL,
                                      cr->password, 1, &raw, NULL, &err);
  cr_assert_eq(rc, 0, "%s", err);
  free(raw);
  free(err);
  E.p.t->credentials_free(cr);
  oci_delete(&E, E.h, repo);
  struct alien_ar_error *e2 = oci_get_fails(
      &E, E.h, repo, ALIEN_AR_ERR_NOT_FOUND, "RESOURCE_NOT_FOUND");
  E.p.t->error_free(e2);
  char *d = describe();
  cr_assert_eq(ar_test_token_issuer_refused(&E.ti), 0, "%s", d);
  cr_assert_geq(ar_test_token_issuer_count_action(&E.ti, repo, "delete"), 1,
                "%s", d);
  free(d);
  log_checked(NULL, NULL);
}
