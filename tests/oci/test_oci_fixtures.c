/* The test servers themselves, checked with libcurl and skopeo only (no
 * plugin): a TLS registry with htpasswd Basic auth, and a TLS registry with
 * token auth whose realm is the test token issuer. If these fail, the
 * fixtures are wrong, not the backend. */
#include "oci_env.h"

#include <criterion/criterion.h>
#include <curl/curl.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static struct ar_test_tls_registry R;
static struct ar_test_token_issuer TI;

static void stop_all(void) {
  ar_test_tls_registry_stop(&R);
  ar_test_token_issuer_stop(&TI);
}

static void setup_basic(void) {
  memset(&TI, 0, sizeof TI);
  struct ar_test_tls_registry_options o = {.auth = AR_TEST_AUTH_BASIC,
                                           .access_log = 1};
  ar_test_tls_registry_start(&R, &o);
}

static void setup_token(void) {
  struct ar_test_token_issuer_options io = {.username = "tokenuser",
                                            .password = "token-pass-1"};
  ar_test_token_issuer_start(&TI, &io);
  struct ar_test_tls_registry_options o = {
      .auth = AR_TEST_AUTH_TOKEN, .issuer = &TI, .access_log = 1};
  ar_test_tls_registry_start(&R, &o);
}

TestSuite(fixture_basic, .init = setup_basic, .fini = stop_all,
          .timeout = 60);
TestSuite(fixture_token, .init = setup_token, .fini = stop_all,
          .timeout = 60);

struct body {
  char *p;
  size_t len;
};

static size_t collect(char *p, size_t size, size_t n, void *ud) {
  struct body *b = ud;
  char *np = realloc(b->p, b->len + size * n + 1);
  cr_assert_not_null(np);
  b->p = np;
  memcpy(b->p + b->len, p, size * n);
  b->len += size * n;
  b->p[b->len] = '\0';
  return size * n;
}

/* GET url (loopback) with optional user:password; returns the status and
 * the body (malloc'd, never NULL). */
static long http_get(const char *url, const char *userpwd, const char *ca,
                     char **body_out) {
  CURL *c = curl_easy_init();
  cr_assert_not_null(c);
  struct body b = {NULL, 0};
  long code = 0;
  curl_easy_setopt(c, CURLOPT_URL, url);
  curl_easy_setopt(c, CURLOPT_PROXY, "");
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, 5000L);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
  if (userpwd)
    curl_easy_setopt(c, CURLOPT_USERPWD, userpwd);
  if (ca)
    curl_easy_setopt(c, CURLOPT_CAINFO, ca);
  CURLcode rc = curl_easy_perform(c);
  cr_assert_eq(rc, CURLE_OK, "GET %s: %s", url, curl_easy_strerror(rc));
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
  curl_easy_cleanup(c);
  if (!b.p) {
    b.p = malloc(1);
    cr_assert_not_null(b.p);
    b.p[0] = '\0';
  }
  *body_out = b.p;
  return code;
}

/* A token from the issuer over HTTP for the given query string. */
static char *fetch_token(const char *query, const char *userpwd,
                         long *expires_in) {
  char url[1024], *body = NULL;
  snprintf(url, sizeof url, "%s?%s", TI.realm, query);
  long st = http_get(url, userpwd, NULL, &body);
  cr_assert_eq(st, 200, "GET %s -> %ld: %s", url, st, body);
  json_object *o = json_tokener_parse(body);
  cr_assert_not_null(o, "token response is not JSON: %s", body);
  json_object *t, *at, *ei, *ia;
  cr_assert(json_object_object_get_ex(o, "token", &t), "%s", body);
  cr_assert(json_object_object_get_ex(o, "access_token", &at), "%s", body);
  cr_assert(json_object_object_get_ex(o, "expires_in", &ei), "%s", body);
  cr_assert(json_object_object_get_ex(o, "issued_at", &ia), "%s", body);
  cr_assert_str_eq(json_object_get_string(t), json_object_get_string(at));
  cr_assert_eq(strlen(json_object_get_string(ia)), 20, "issued_at %s",
               json_object_get_string(ia));
  if (expires_in)
    *expires_in = json_object_get_int64(ei);
  const char *s = json_object_get_string(t);
  size_t n = strlen(s) + 1;
  char *tok = malloc(n);
  cr_assert_not_null(tok);
  memcpy(tok, s, n);
  json_object_put(o);
  free(body);
  return tok;
}

static long head_manifest(const char *repo, const char *token) {
  char path[512], auth[8192];
  snprintf(path, sizeof path, "/v2/%s/manifests/latest", repo);
  if (token)
    snprintf(auth, sizeof auth, "Bearer %s", token);
  return ar_test_tls_registry_status(&R, "HEAD", path, token ? auth : NULL);
}

/* ---- Basic ------------------------------------------------------------- */

Test(fixture_basic, tls_and_htpasswd_work_over_http2) {
  char url[256], creds[256], *body = NULL;
  snprintf(url, sizeof url, "%s/v2/", R.url);
  cr_assert_str_eq(R.url + 8, R.ip_hostport);
  cr_assert_eq(http_get(url, NULL, R.ca_file, &body), 401, "%s", body);
  free(body);
  ar_test_tls_registry_creds(&R, creds, sizeof creds);
  cr_assert_eq(http_get(url, creds, R.ca_file, &body), 200, "%s", body);
  free(body);
  char wrong[256];
  snprintf(wrong, sizeof wrong, "%s:not-%s", R.username, R.password);
  cr_assert_eq(http_get(url, wrong, R.ca_file, &body), 401, "%s", body);
  free(body);
  /* the SAN has DNS:localhost too */
  snprintf(url, sizeof url, "https://%s/v2/", R.hostport);
  cr_assert_eq(http_get(url, creds, R.ca_file, &body), 200, "%s", body);
  free(body);
  /* libcurl-gnutls negotiated HTTP/2 with the registry */
  int h2 = ar_test_tls_registry_count_requests(&R, "GET", "/v2/", "HTTP/2.0");
  cr_assert_geq(h2, 3, "HTTP/2 requests in the access log: %d\n%s", h2,
                ar_test_tls_registry_log(&R));
  /* without the CA the certificate is rejected */
  CURL *c = curl_easy_init();
  snprintf(url, sizeof url, "%s/v2/", R.url);
  curl_easy_setopt(c, CURLOPT_URL, url);
  curl_easy_setopt(c, CURLOPT_PROXY, "");
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_CAINFO, "/dev/null");
  curl_easy_setopt(c, CURLOPT_CAPATH, NULL);
  CURLcode rc = curl_easy_perform(c);
  curl_easy_cleanup(c);
  cr_assert_neq(rc, CURLE_OK, "TLS without the CA succeeded");
}

Test(fixture_basic, skopeo_pushes_and_inspects_with_creds_and_cert_dir) {
  char creds[256], digest[72], *raw = NULL, *err = NULL;
  size_t len = 0;
  ar_test_tls_registry_creds(&R, creds, sizeof creds);
  ar_test_tls_skopeo_push_image(&R, "ns/fixture", "v1", creds, digest);
  int rc = ar_test_tls_skopeo_inspect(&R, "ns/fixture", "v1", creds, NULL, 1,
                                      &raw, &len, &err);
  cr_assert_eq(rc, 0, "skopeo inspect: %s", err);
  char got[72];
  ar_test_sha256_digest(raw, len, got);
  cr_assert_str_eq(got, digest);
  free(raw);
  free(err);
  raw = err = NULL;
  rc = ar_test_tls_skopeo_inspect(&R, "ns/fixture", "v1", NULL, NULL, 1, &raw,
                                  NULL, &err);
  cr_assert_neq(rc, 0, "skopeo inspect without creds succeeded");
  cr_assert(strstr(err, "unauthorized") || strstr(err, "authentication"),
            "%s", err);
  free(raw);
  free(err);
  err = NULL;
  rc = ar_test_tls_skopeo_copy(&R, "ns/fixture:v1", "ns/fixture:v2", creds,
                               &err);
  cr_assert_eq(rc, 0, "skopeo copy: %s", err);
  free(err);
}

/* ---- token ------------------------------------------------------------- */

Test(fixture_token, registry_challenges_with_the_issuer_realm) {
  char url[256], *body = NULL;
  snprintf(url, sizeof url, "%s/v2/", R.url);
  cr_assert_eq(http_get(url, NULL, R.ca_file, &body), 401, "%s", body);
  free(body);
  cr_assert_eq(head_manifest("ns/app", NULL), 401);
}

Test(fixture_token, issuer_checks_basic_auth_and_service) {
  char url[512], *body = NULL;
  snprintf(url, sizeof url, "%s?service=%s&scope=repository:ns/app:pull",
           TI.realm, TI.service);
  cr_assert_eq(http_get(url, NULL, NULL, &body), 401, "%s", body);
  free(body);
  cr_assert_eq(http_get(url, "tokenuser:wrong", NULL, &body), 401, "%s",
               body);
  free(body);
  snprintf(url, sizeof url, "%s?service=other&scope=repository:ns/app:pull",
           TI.realm);
  cr_assert_eq(http_get(url, "tokenuser:token-pass-1", NULL, &body), 400,
               "%s", body);
  free(body);
  cr_assert_eq(ar_test_token_issuer_refused(&TI), 3);
  cr_assert_eq(ar_test_token_issuer_granted(&TI), 0);
}

Test(fixture_token, registry_accepts_issued_tokens_for_their_scope_only) {
  char q[512];
  snprintf(q, sizeof q,
           "service=%s&scope=repository%%3Ans%%2Fapp%%3Apull%%2Cpush"
           "&scope=repository:ns/base:pull&account=tokenuser",
           TI.service);
  long ei = 0;
  char *tok = fetch_token(q, "tokenuser:token-pass-1", &ei);
  cr_assert_eq(ei, 300);
  char *claims = ar_test_jwt_claims(tok);
  cr_assert_not_null(claims);
  json_object *c = json_tokener_parse(claims);
  cr_assert_not_null(c, "%s", claims);
  json_object *v;
  cr_assert(json_object_object_get_ex(c, "aud", &v));
  cr_assert_str_eq(json_object_get_string(v), TI.service);
  cr_assert(json_object_object_get_ex(c, "sub", &v));
  cr_assert_str_eq(json_object_get_string(v), "tokenuser");
  cr_assert(json_object_object_get_ex(c, "access", &v));
  cr_assert_eq(json_object_array_length(v), 2, "%s", claims);
  json_object_put(c);
  free(claims);

  /* authorised: 404 (no such manifest) instead of 401 */
  cr_assert_eq(head_manifest("ns/app", tok), 404);
  cr_assert_eq(head_manifest("ns/base", tok), 404);
  cr_assert_eq(head_manifest("ns/other", tok), 401);
  cr_assert_eq(head_manifest("ns/app", NULL), 401);

  cr_assert_eq(ar_test_token_issuer_count_scope(
                   &TI, "repository:ns/app:pull,push"), 1);
  cr_assert_eq(ar_test_token_issuer_count_repo(&TI, "ns/app", "push,pull"),
               1);
  cr_assert_eq(ar_test_token_issuer_count_action(&TI, "ns/base", "pull"), 1);
  cr_assert_eq(ar_test_token_issuer_count_action(&TI, "ns/base", "push"), 0);
  const char *exact[] = {"repository:ns/base:pull",
                         "repository:ns/app:push,pull", NULL};
  cr_assert_eq(ar_test_token_issuer_count_exact(&TI, exact), 1);
  const char *inexact[] = {"repository:ns/app:pull,push", NULL};
  cr_assert_eq(ar_test_token_issuer_count_exact(&TI, inexact), 0);
  cr_assert(ar_test_token_issuer_leaked_in(&TI, tok));
  cr_assert(!ar_test_token_issuer_leaked_in(&TI, "nothing here"));
  free(tok);
}

Test(fixture_token, skopeo_does_the_token_flow_and_uses_minted_tokens) {
  char digest[72], *err = NULL, *raw = NULL;
  size_t len = 0;
  ar_test_tls_skopeo_push_image(&R, "ns/img", "v1", "tokenuser:token-pass-1",
                                digest);
  cr_assert_geq(ar_test_token_issuer_count_action(&TI, "ns/img", "push"), 1,
                "%s", ar_test_token_issuer_describe(&TI));
  const char *scopes[] = {"repository:ns/img:pull", NULL};
  char *tok = ar_test_token_issuer_mint(&TI, scopes, 60);
  int rc = ar_test_tls_skopeo_inspect(&R, "ns/img", "v1", NULL, tok, 1, &raw,
                                      &len, &err);
  cr_assert_eq(rc, 0, "skopeo inspect --registry-token: %s", err);
  char got[72];
  ar_test_sha256_digest(raw, len, got);
  cr_assert_str_eq(got, digest);
  free(raw);
  free(err);
  free(tok);
}

Test(fixture_token, key_rotation_and_restart_invalidate_old_tokens) {
  const char *scopes[] = {"repository:ns/app:pull", NULL};
  char *old = ar_test_token_issuer_mint(&TI, scopes, 300);
  cr_assert_eq(head_manifest("ns/app", old), 404);
  int port = R.port;
  ar_test_token_issuer_rotate_key(&TI);
  ar_test_tls_registry_restart(&R);
  cr_assert_eq(R.port, port);
  cr_assert_eq(head_manifest("ns/app", old), 401);
  char *fresh = ar_test_token_issuer_mint(&TI, scopes, 300);
  cr_assert_eq(head_manifest("ns/app", fresh), 404);
  free(old);
  free(fresh);
}

Test(fixture_token, short_lived_tokens_report_their_lifetime) {
  ar_test_token_issuer_set_expires_in(&TI, 2);
  char q[256];
  snprintf(q, sizeof q, "service=%s&scope=repository:ns/app:pull", TI.service);
  long ei = 0;
  char *tok = fetch_token(q, "tokenuser:token-pass-1", &ei);
  cr_assert_eq(ei, 2);
  char *claims = ar_test_jwt_claims(tok);
  json_object *c = json_tokener_parse(claims);
  json_object *exp, *iat;
  cr_assert(json_object_object_get_ex(c, "exp", &exp));
  cr_assert(json_object_object_get_ex(c, "iat", &iat));
  cr_assert_eq(json_object_get_int64(exp) - json_object_get_int64(iat), 2);
  json_object_put(c);
  free(claims);
  free(tok);
}
