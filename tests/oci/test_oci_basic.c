/* The `oci` backend against distribution with TLS (a certificate generated
 * per test) and htpasswd Basic auth: every operation, endpoint and uri
 * values, HTTP/2, a wrong password, missing or wrong CA, `insecure`, and
 * plain HTTP on loopback. Host log at TRACE in every test, and no secret in
 * any of it. */
#include "oci_env.h"

#include <criterion/criterion.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static struct oci_env E;

static void setup(void) {
  struct oci_env_options o = {.auth = AR_TEST_AUTH_BASIC, .access_log = 1};
  oci_env_start(&E, &o);
}
static void setup_plain_basic(void) {
  struct oci_env_options o = {.auth = AR_TEST_AUTH_BASIC, .plain_http = 1,
                              .access_log = 1};
  oci_env_start(&E, &o);
}
static void setup_plain_anon(void) {
  struct oci_env_options o = {.plain_http = 1, .access_log = 1};
  oci_env_start(&E, &o);
}
static void setup_tls_anon(void) {
  struct oci_env_options o = {.access_log = 1};
  oci_env_start(&E, &o);
}
static void teardown(void) { oci_env_stop(&E); }

/* One timeout for every suite of a binary: with suites of different
 * timeouts, Criterion 2.4.1's runner leaks 48 bytes (LeakSanitizer, which
 * tests/run.sh treats as a failure). */
TestSuite(oci_basic, .init = setup, .fini = teardown, .timeout = 90);
TestSuite(oci_plain_basic, .init = setup_plain_basic, .fini = teardown,
          .timeout = 90);
TestSuite(oci_plain_anon, .init = setup_plain_anon, .fini = teardown,
          .timeout = 90);
TestSuite(oci_tls_anon, .init = setup_tls_anon, .fini = teardown,
          .timeout = 90);

static const char AWS_ACCESS[] =
    "{\"platform\":\"aws\",\"accountIds\":[\"123456789012\"],\"regions\":[],"
    "\"allowedServiceTypes\":[\"worker\"],\"roleArns\":[\"arn:aws:iam::"
    "123456789012:role/test-role\"]}";

/* The host log must have seen something at TRACE, and no secret. */
static void log_checked(const char *extra_user, const char *extra) {
  cr_assert_gt(ar_test_log_total(&E.log), 0,
               "no log line at TRACE: the secret scan would be vacuous");
  oci_assert_log_clean(&E, extra_user, extra);
}

static char *str_of(alien_ar_status st, char *out, struct alien_ar_error *err,
                    const char *what) {
  ar_test_expect_ok(&E.p, st, err, what);
  cr_assert_not_null(out, "%s: OK without output", what);
  size_t n = strlen(out) + 1;
  char *copy = malloc(n);
  cr_assert_not_null(copy);
  memcpy(copy, out, n);
  E.p.t->string_free(out);
  return copy;
}

static char *endpoint_of(alien_ar_handle *h) {
  char *out = NULL;
  struct alien_ar_error *err = NULL;
  alien_ar_status st = E.p.t->registry_endpoint(h, &out, &err);
  return str_of(st, out, err, "registry_endpoint");
}

static void skopeo_sees_marker(const char *repo) {
  char *raw = NULL, *err = NULL, digest[72];
  size_t len = 0;
  int rc = oci_skopeo_raw(&E, repo, "latest", &raw, &len, &err);
  cr_assert_eq(rc, 0, "skopeo inspect %s:latest failed: %s", repo, err);
  ar_test_sha256_digest(raw, len, digest);
  cr_assert_str_eq(digest, MARKER_DIGEST, "%s:latest is not the marker: %s",
                   repo, raw);
  cr_assert_eq(len, MARKER_SIZE);
  free(raw);
  free(err);
}

static void skopeo_sees_nothing(const char *repo, const char *tag) {
  char *raw = NULL, *err = NULL;
  int rc = oci_skopeo_raw(&E, repo, tag, &raw, NULL, &err);
  cr_assert_neq(rc, 0, "%s:%s still exists: %s", repo, tag, raw);
  cr_assert(strstr(err, "manifest unknown") || strstr(err, "not found") ||
                strstr(err, "MANIFEST_UNKNOWN"),
            "skopeo failed for another reason: %s", err);
  free(raw);
  free(err);
}

static void expect_not_supported(alien_ar_status st,
                                 struct alien_ar_error *err, const char *op) {
  ar_test_check_error(&E.p, st, err, ALIEN_AR_ERR_NOT_SUPPORTED,
                      "OPERATION_NOT_SUPPORTED", op);
  char want[256];
  snprintf(want, sizeof want,
           "Operation '%s' not supported: OCI artifact registry does not "
           "support cross-account access",
           op);
  cr_assert_str_eq(err->message, want);
  cr_assert_eq(err->http_status_code, 501);
  cr_assert_eq(err->retryable, 0);
  E.p.t->error_free(err);
}

/* ---- every operation ---------------------------------------------------- */

Test(oci_basic, every_operation_round_trip) {
  char l[64], want_name[128], want_uri[192];
  oci_repo_name(l, sizeof l);
  snprintf(want_name, sizeof want_name, "team/%s", l);
  snprintf(want_uri, sizeof want_uri, "%s/team/%s", E.reg.ip_hostport, l);

  struct alien_ar_repository *c = oci_create(&E, E.h, l);
  cr_assert_str_eq(c->name, want_name);
  cr_assert_not_null(c->uri);
  cr_assert_str_eq(c->uri, want_uri, "uri must be host:port/ns/l");
  cr_assert_null(c->created_at);
  char *json = NULL;
  cr_assert_eq(E.p.t->repository_to_json(c, &json), ALIEN_AR_OK);
  char want_json[512];
  snprintf(want_json, sizeof want_json,
           "{\"name\":\"%s\",\"uri\":\"%s\",\"createdAt\":null}", want_name,
           want_uri);
  cr_assert_str_eq(json, want_json);
  E.p.t->string_free(json);
  skopeo_sees_marker(want_name);

  /* create is idempotent and leaves the marker alone */
  E.p.t->repository_free(oci_create(&E, E.h, l));
  skopeo_sees_marker(want_name);

  /* get by routable name and by logical name */
  struct alien_ar_repository *g = oci_get(&E, E.h, c->name);
  cr_assert_str_eq(g->name, want_name);
  cr_assert_str_eq(g->uri, want_uri);
  cr_assert_null(g->created_at);
  E.p.t->repository_free(g);
  g = oci_get(&E, E.h, l);
  cr_assert_str_eq(g->name, want_name);
  E.p.t->repository_free(g);

  /* credentials: the configured user and password */
  const int32_t perms[] = {ALIEN_AR_PERMISSIONS_PULL,
                           ALIEN_AR_PERMISSIONS_PUSH_PULL};
  for (size_t i = 0; i < 2; i++) {
    struct alien_ar_credentials *cr =
        oci_credentials(&E, E.h, c->name, perms[i], i ? 3600 : -1);
    cr_assert_eq(cr->auth_method, ALIEN_AR_AUTH_BASIC);
    cr_assert_str_eq(cr->username, E.username);
    cr_assert_str_eq(cr->password, E.password);
    cr_assert_null(cr->expires_at);
    char *cj = NULL;
    cr_assert_eq(E.p.t->credentials_to_json(cr, &cj), ALIEN_AR_OK);
    char want_cj[512];
    snprintf(want_cj, sizeof want_cj,
             "{\"authMethod\":\"basic\",\"username\":\"%s\",\"password\":"
             "\"%s\",\"expiresAt\":null}",
             E.username, E.password);
    cr_assert_str_eq(cj, want_cj);
    E.p.t->string_free(cj);
    E.p.t->credentials_free(cr);
  }

  /* cross-account: not supported */
  struct alien_ar_error *err = NULL;
  alien_ar_status st =
      E.p.t->add_cross_account_access(E.h, c->name, AWS_ACCESS, &err);
  expect_not_supported(st, err, "add_cross_account_access");
  err = NULL;
  st = E.p.t->remove_cross_account_access(E.h, c->name, AWS_ACCESS, &err);
  expect_not_supported(st, err, "remove_cross_account_access");
  err = NULL;
  char *out = NULL;
  st = E.p.t->get_cross_account_access(E.h, c->name, &out, &err);
  cr_assert_null(out);
  expect_not_supported(st, err, "get_cross_account_access");

  /* delete: real deletion, then NOT_FOUND */
  oci_delete(&E, E.h, c->name);
  skopeo_sees_nothing(want_name, "latest");
  err = oci_get_fails(&E, E.h, c->name, ALIEN_AR_ERR_NOT_FOUND,
                      "RESOURCE_NOT_FOUND");
  char want_msg[256];
  snprintf(want_msg, sizeof want_msg, "Resource '%s' not found", want_name);
  cr_assert_str_eq(err->message, want_msg);
  cr_assert_eq(err->http_status_code, 404);
  E.p.t->error_free(err);
  /* deleting what is gone is fine */
  oci_delete(&E, E.h, c->name);
  E.p.t->repository_free(c);
  log_checked(NULL, NULL);
}

Test(oci_basic, invalid_names_are_invalid_input_without_requests) {
  int before = ar_test_tls_registry_count_requests(&E.reg, NULL, NULL, NULL);
  struct alien_ar_repository *r = NULL;
  struct alien_ar_error *err = NULL;
  alien_ar_status st = E.p.t->create_repository(E.h, "Bad_Name", &r, &err);
  ar_test_check_error(&E.p, st, err, ALIEN_AR_ERR_INVALID_INPUT,
                      "INVALID_INPUT", "create Bad_Name");
  cr_assert(strncmp(err->message, "create_repository: Invalid input - ",
                    35) == 0,
            "%s", err->message);
  E.p.t->error_free(err);
  err = NULL;
  st = E.p.t->get_repository(E.h, "-x", &r, &err);
  ar_test_check_error(&E.p, st, err, ALIEN_AR_ERR_INVALID_INPUT,
                      "INVALID_INPUT", "get -x");
  E.p.t->error_free(err);
  int after = ar_test_tls_registry_count_requests(&E.reg, NULL, NULL, NULL);
  cr_assert_eq(after, before, "invalid names reached the registry");
  log_checked(NULL, NULL);
}

Test(oci_basic, multi_segment_logical_names_work) {
  char l[96], hex[9];
  ar_test_random_hex(hex, 8);
  snprintf(l, sizeof l, "group-%s/app", hex);
  struct alien_ar_repository *c = oci_create(&E, E.h, l);
  char want[128];
  snprintf(want, sizeof want, "team/%s", l);
  cr_assert_str_eq(c->name, want);
  skopeo_sees_marker(want);
  E.p.t->repository_free(oci_get(&E, E.h, want));
  oci_delete(&E, E.h, want);
  E.p.t->repository_free(c);
  log_checked(NULL, NULL);
}

Test(oci_basic, create_never_overwrites_and_delete_removes_every_tag) {
  char l[64], repo[128], creds[256], digest[72];
  oci_repo_name(l, sizeof l);
  snprintf(repo, sizeof repo, "team/%s", l);
  ar_test_tls_registry_creds(&E.reg, creds, sizeof creds);
  ar_test_tls_skopeo_push_image(&E.reg, repo, "latest", creds, digest);
  E.p.t->repository_free(oci_create(&E, E.h, l));
  char *raw = NULL, *err = NULL, got[72];
  size_t len = 0;
  cr_assert_eq(oci_skopeo_raw(&E, repo, "latest", &raw, &len, &err), 0, "%s",
               err);
  ar_test_sha256_digest(raw, len, got);
  cr_assert_str_eq(got, digest, "create overwrote an existing image");
  free(raw);
  free(err);
  char src[192], dst[192];
  snprintf(src, sizeof src, "%s:latest", repo);
  snprintf(dst, sizeof dst, "%s:v2", repo);
  err = NULL;
  cr_assert_eq(ar_test_tls_skopeo_copy(&E.reg, src, dst, creds, &err), 0,
               "%s", err);
  free(err);
  oci_delete(&E, E.h, l);
  skopeo_sees_nothing(repo, "latest");
  skopeo_sees_nothing(repo, "v2");
  log_checked(NULL, NULL);
}

Test(oci_basic, generated_credentials_work_with_skopeo) {
  char l[64], repo[128];
  oci_repo_name(l, sizeof l);
  snprintf(repo, sizeof repo, "team/%s", l);
  E.p.t->repository_free(oci_create(&E, E.h, l));
  struct alien_ar_credentials *cr =
      oci_credentials(&E, E.h, repo, ALIEN_AR_PERMISSIONS_PULL, 600);
  char creds[512];
  snprintf(creds, sizeof creds, "%s:%s", cr->username, cr->password);
  E.p.t->credentials_free(cr);
  char *raw = NULL, *err = NULL;
  int rc = ar_test_tls_skopeo_inspect(&E.reg, repo, "latest", creds, NULL, 1,
                                      &raw, NULL, &err);
  cr_assert_eq(rc, 0, "skopeo with the generated credentials: %s", err);
  free(raw);
  free(err);
  log_checked(NULL, NULL);
}

/* ---- endpoint and uri ---------------------------------------------------- */

Test(oci_basic, endpoint_uri_and_prefix) {
  char *ep = endpoint_of(E.h);
  cr_assert_str_eq(ep, E.reg.url, "registryUrl https://127.0.0.1:PORT");
  free(ep);
  char *prefix = NULL;
  struct alien_ar_error *err = NULL;
  alien_ar_status st = E.p.t->upstream_repository_prefix(E.h, &prefix, &err);
  char *p = str_of(st, prefix, err, "upstream_repository_prefix");
  cr_assert_gt(strlen(p), 0);
  free(p);

  /* host:port means https */
  json_object *cfg = oci_config(&E);
  json_object_object_add(cfg, "registryUrl",
                         json_object_new_string(E.reg.ip_hostport));
  alien_ar_handle *h = oci_open_ok(&E, "b", cfg);
  json_object_put(cfg);
  ep = endpoint_of(h);
  cr_assert_str_eq(ep, E.reg.url, "registryUrl 127.0.0.1:PORT");
  free(ep);
  char l[64], want_uri[192];
  oci_repo_name(l, sizeof l);
  struct alien_ar_repository *r = oci_create(&E, h, l);
  snprintf(want_uri, sizeof want_uri, "%s/team/%s", E.reg.ip_hostport, l);
  cr_assert_str_eq(r->uri, want_uri);
  E.p.t->repository_free(r);
  E.p.t->close(h);

  /* localhost (SAN DNS:localhost), with a trailing slash */
  cfg = oci_config(&E);
  char url[128], want_ep[128];
  snprintf(url, sizeof url, "https://%s/", E.reg.hostport);
  snprintf(want_ep, sizeof want_ep, "https://%s", E.reg.hostport);
  json_object_object_add(cfg, "registryUrl", json_object_new_string(url));
  h = oci_open_ok(&E, "b", cfg);
  json_object_put(cfg);
  ep = endpoint_of(h);
  cr_assert_str_eq(ep, want_ep);
  free(ep);
  r = oci_get(&E, h, l);
  snprintf(want_uri, sizeof want_uri, "%s/team/%s", E.reg.hostport, l);
  cr_assert_str_eq(r->uri, want_uri, "uri uses the host as configured");
  E.p.t->repository_free(r);
  E.p.t->close(h);
  log_checked(NULL, NULL);
}

Test(oci_basic, namespace_defaults_to_the_binding_name) {
  json_object *cfg = oci_config(&E);
  json_object_object_del(cfg, "namespace");
  alien_ar_handle *h = oci_open_ok(&E, "my-binding", cfg);
  json_object_put(cfg);
  char l[64], want[128];
  oci_repo_name(l, sizeof l);
  struct alien_ar_repository *r = oci_create(&E, h, l);
  snprintf(want, sizeof want, "my-binding/%s", l);
  cr_assert_str_eq(r->name, want);
  skopeo_sees_marker(want);
  E.p.t->repository_free(r);
  E.p.t->close(h);
  log_checked(NULL, NULL);
}

/* ---- HTTP/2 -------------------------------------------------------------- */

Test(oci_basic, requests_go_over_http2) {
  char l[64], path[192];
  oci_repo_name(l, sizeof l);
  E.p.t->repository_free(oci_create(&E, E.h, l));
  E.p.t->repository_free(oci_get(&E, E.h, l));
  snprintf(path, sizeof path, "/v2/team/%s/manifests/latest", l);
  int h2 = ar_test_tls_registry_count_requests(&E.reg, "HEAD", path,
                                               "HTTP/2.0");
  int any = ar_test_tls_registry_count_requests(&E.reg, "HEAD", path, NULL);
  char *lines = ar_test_tls_registry_access_lines(&E.reg);
  cr_assert_geq(any, 2, "HEADs of %s:\n%s", path, lines);
  cr_assert_eq(h2, any,
               "distribution negotiates h2 over TLS; the plugin's requests "
               "were not all HTTP/2:\n%s",
               lines);
  free(lines);
  log_checked(NULL, NULL);
}

/* ---- wrong password ------------------------------------------------------ */

static void expect_auth_error(alien_ar_status st, struct alien_ar_error *err,
                              const char *op, const char *wrong) {
  ar_test_check_error(&E.p, st, err, ALIEN_AR_ERR_AUTH,
                      "AUTHENTICATION_ERROR", op);
  char prefix[128];
  snprintf(prefix, sizeof prefix, "%s: Authentication failed - ", op);
  cr_assert(strncmp(err->message, prefix, strlen(prefix)) == 0,
            "message '%s' does not start with '%s'", err->message, prefix);
  cr_assert_gt(strlen(err->message), strlen(prefix), "no details");
  cr_assert_eq(err->retryable, 1);
  cr_assert_eq(err->internal, 0);
  cr_assert_eq(err->http_status_code, 401);
  if (err->context_json) {
    json_object *ctx = json_tokener_parse(err->context_json);
    json_object *v;
    cr_assert_not_null(ctx, "%s", err->context_json);
    if (json_object_object_get_ex(ctx, "operation_context", &v))
      cr_assert_str_eq(json_object_get_string(v), op);
    json_object_put(ctx);
  }
  char *json = oci_error_json(&E, err);
  oci_assert_no_secret(&E, json, NULL, wrong, "the error JSON");
  free(json);
  E.p.t->error_free(err);
}

Test(oci_basic, wrong_password_is_authentication_error_without_secrets) {
  char wrong[64];
  alien_ar_handle *h = oci_open_wrong_password(&E, wrong);

  char l[64];
  oci_repo_name(l, sizeof l);
  struct alien_ar_repository *r = NULL;
  struct alien_ar_error *err = NULL;
  alien_ar_status st = E.p.t->get_repository(h, l, &r, &err);
  cr_assert_null(r);
  expect_auth_error(st, err, "get_repository", wrong);
  err = NULL;
  st = E.p.t->create_repository(h, l, &r, &err);
  cr_assert_null(r);
  expect_auth_error(st, err, "create_repository", wrong);
  err = NULL;
  st = E.p.t->delete_repository(h, l, &err);
  expect_auth_error(st, err, "delete_repository", wrong);
  E.p.t->close(h);
  log_checked(NULL, wrong);
}

/* ---- CA ------------------------------------------------------------------ */

static int contains_ci(const char *hay, const char *needle) {
  size_t n = strlen(needle);
  for (const char *p = hay; *p; p++)
    if (strncasecmp(p, needle, n) == 0)
      return 1;
  return 0;
}

Test(oci_basic, no_ca_file_is_a_tls_error_naming_caFile) {
  json_object *cfg = oci_config(&E);
  json_object_object_del(cfg, "caFile");
  alien_ar_handle *h = oci_open_ok(&E, "b", cfg);
  json_object_put(cfg);
  char l[64];
  oci_repo_name(l, sizeof l);
  double t0 = ar_test_now();
  struct alien_ar_error *err =
      oci_get_fails(&E, h, l, ALIEN_AR_ERR_BACKEND, "BINDINGS_ERROR");
  double took = ar_test_now() - t0;
  char *json = oci_error_json(&E, err);
  cr_assert(strstr(json, "caFile") != NULL,
            "the TLS error does not mention caFile: %s", json);
  cr_assert(contains_ci(json, "certificate"),
            "the TLS error does not say the certificate failed: %s", json);
  cr_assert_lt(took, 10.0, "a certificate failure took %.1f s", took);
  oci_assert_no_secret(&E, json, NULL, NULL, "the error JSON");
  free(json);
  E.p.t->error_free(err);

  /* create fails the same way and writes nothing */
  struct alien_ar_repository *r = NULL;
  err = NULL;
  alien_ar_status st = E.p.t->create_repository(h, l, &r, &err);
  ar_test_check_error(&E.p, st, err, ALIEN_AR_ERR_BACKEND, "BINDINGS_ERROR",
                      "create without CA");
  json = oci_error_json(&E, err);
  cr_assert(strstr(json, "caFile") != NULL, "%s", json);
  free(json);
  E.p.t->error_free(err);
  E.p.t->close(h);
  char repo[128];
  snprintf(repo, sizeof repo, "team/%s", l);
  skopeo_sees_nothing(repo, "latest");
  log_checked(NULL, NULL);
}

Test(oci_basic, a_ca_file_that_did_not_sign_the_server_is_rejected) {
  /* a valid PEM certificate, just not the registry's */
  char other[4300];
  snprintf(other, sizeof other, "%s/other-ca.pem", E.reg.dir);
  char okey[4300];
  snprintf(okey, sizeof okey, "%s/other-key.pem", E.reg.dir);
  const char *const argv[] = {"openssl", "req", "-x509", "-newkey",
                              "rsa:2048", "-nodes", "-keyout", okey, "-out",
                              other, "-days", "2", "-subj", "/CN=127.0.0.1",
                              "-addext",
                              "subjectAltName=IP:127.0.0.1,DNS:localhost",
                              NULL};
  char *se = NULL;
  cr_assert_eq(ar_test_run(argv, NULL, 0, NULL, NULL, &se), 0, "%s", se);
  free(se);
  json_object *cfg = oci_config(&E);
  json_object_object_add(cfg, "caFile", json_object_new_string(other));
  alien_ar_handle *h = oci_open_ok(&E, "b", cfg);
  json_object_put(cfg);
  char l[64];
  oci_repo_name(l, sizeof l);
  struct alien_ar_error *err =
      oci_get_fails(&E, h, l, ALIEN_AR_ERR_BACKEND, "BINDINGS_ERROR");
  char *json = oci_error_json(&E, err);
  cr_assert(contains_ci(json, "certificate"), "%s", json);
  free(json);
  E.p.t->error_free(err);
  E.p.t->close(h);
  log_checked(NULL, NULL);
}

Test(oci_basic, insecure_without_ca_file_works) {
  json_object *cfg = oci_config(&E);
  json_object_object_del(cfg, "caFile");
  json_object_object_add(cfg, "insecure", json_object_new_boolean(1));
  alien_ar_handle *h = oci_open_ok(&E, "b", cfg);
  json_object_put(cfg);
  char l[64], repo[128];
  oci_repo_name(l, sizeof l);
  snprintf(repo, sizeof repo, "team/%s", l);
  E.p.t->repository_free(oci_create(&E, h, l));
  skopeo_sees_marker(repo);
  E.p.t->repository_free(oci_get(&E, h, repo));
  oci_delete(&E, h, repo);
  skopeo_sees_nothing(repo, "latest");
  E.p.t->close(h);
  log_checked(NULL, NULL);
}

/* ---- plain HTTP on loopback ------------------------------------------------ */

Test(oci_plain_basic, loopback_http_with_basic_needs_no_opt_in) {
  char *ep = endpoint_of(E.h);
  cr_assert_str_eq(ep, E.reg.url);
  free(ep);
  char l[64], repo[128];
  oci_repo_name(l, sizeof l);
  snprintf(repo, sizeof repo, "team/%s", l);
  struct alien_ar_repository *r = oci_create(&E, E.h, l);
  cr_assert_str_eq(r->name, repo);
  E.p.t->repository_free(r);
  skopeo_sees_marker(repo);
  E.p.t->repository_free(oci_get(&E, E.h, repo));
  struct alien_ar_credentials *cr =
      oci_credentials(&E, E.h, repo, ALIEN_AR_PERMISSIONS_PUSH_PULL, -1);
  cr_assert_eq(cr->auth_method, ALIEN_AR_AUTH_BASIC);
  cr_assert_str_eq(cr->username, E.username);
  cr_assert_str_eq(cr->password, E.password);
  cr_assert_null(cr->expires_at);
  E.p.t->credentials_free(cr);
  oci_delete(&E, E.h, repo);
  skopeo_sees_nothing(repo, "latest");
  log_checked(NULL, NULL);
}

static void anonymous_round_trip(void) {
  char l[64], repo[128];
  oci_repo_name(l, sizeof l);
  snprintf(repo, sizeof repo, "team/%s", l);
  E.p.t->repository_free(oci_create(&E, E.h, l));
  skopeo_sees_marker(repo);
  E.p.t->repository_free(oci_get(&E, E.h, l));
  struct alien_ar_credentials *cr =
      oci_credentials(&E, E.h, repo, ALIEN_AR_PERMISSIONS_PULL, -1);
  char *cj = NULL;
  cr_assert_eq(E.p.t->credentials_to_json(cr, &cj), ALIEN_AR_OK);
  cr_assert_str_eq(cj, "{\"authMethod\":\"basic\",\"username\":\"\","
                       "\"password\":\"\",\"expiresAt\":null}");
  E.p.t->string_free(cj);
  E.p.t->credentials_free(cr);
  oci_delete(&E, E.h, repo);
  skopeo_sees_nothing(repo, "latest");
}

Test(oci_plain_anon, anonymous_registry_over_loopback_http) {
  anonymous_round_trip();
  log_checked(NULL, NULL);
}

Test(oci_tls_anon, anonymous_registry_over_tls) {
  anonymous_round_trip();
  log_checked(NULL, NULL);
}
