/* create_repository against a registry that misbehaves half-way: the blob
 * upload's Location (relative, absolute, another origin, malformed), error
 * bodies that are not JSON, huge or unknown, a registry that dies between
 * two requests of one create. The marker manifest is pushed last, so an
 * interrupted create never leaves a repository `get` reports as existing;
 * the fake registry's model holds exactly what the plugin pushed. */
#include "faults_env.h"
#include "registry_fixture.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

TestSuite(faults_create, .init = faults_setup, .fini = faults_teardown,
          .timeout = 60);

#define MARKER_DIGEST \
  "sha256:8d7cb9d88cfb0db66e0b20c224d406661fa7f4ff4aa1e8497a83fb4c5ae7c87c"

static void create_ok(const char *logical)
{
  struct alien_ar_repository *repo = NULL;
  struct alien_ar_error *err = NULL;
  char what[128];
  snprintf(what, sizeof what, "create %s", logical);
  ar_test_expect_ok(&P, P.t->create_repository(H, logical, &repo, &err), err,
                    what);
  P.t->repository_free(repo);
}

/* create b/app fails with a backend error mentioning `cause` in time, and
 * leaves nothing `get` would report. */
static void create_fails(const char *cause, const char *what)
{
  struct alien_ar_repository *repo = NULL;
  struct alien_ar_error *err = NULL;
  double t0 = ar_test_now();
  alien_ar_status st = P.t->create_repository(H, "app", &repo, &err);
  double dt = faults_since(t0);
  faults_expect_backend(st, err, cause, what);
  cr_assert_null(repo);
  cr_assert_leq(dt, faults_bound(T.operation_ms), "%s took %.3f s", what, dt);
  cr_assert(!fr_has_manifest(&R, "b/app", "latest"), "%s", what);
}

/* The marker manifest is pushed last: never after a failed step. */
static void marker_never_pushed(const char *what)
{
  cr_assert_eq(fr_count(&R, "PUT", "/manifests/"), 0,
               "%s: the marker must not be pushed after a failed step: %s",
               what, fr_describe(&R));
}

/* ---- the upload's Location ----------------------------------------------- */

Test(faults_create, location_absolute_same_origin) {
  create_ok("app");
  cr_assert(fr_has_manifest(&R, "b/app", "latest"));
  cr_assert_eq(fr_count(&R, "PUT", "/blobs/uploads/u1?_state=s&digest="), 1,
               "%s", fr_describe(&R));
  faults_expect_usable("an absolute Location");
}

Test(faults_create, location_relative) {
  R.relative_location = 1;
  create_ok("app");
  cr_assert(fr_has_manifest(&R, "b/app", "latest"));
  cr_assert_eq(fr_count(&R, "PUT", "/v2/b/app/blobs/uploads/u1?_state=s"), 1,
               "%s", fr_describe(&R));
}

static void bad_location(const char *location, const char *cause)
{
  struct fr_response rs = fr_reply(202);
  char hdr[512];
  if(location) {
    snprintf(hdr, sizeof hdr, "Location: %s\r\n", location);
    rs.headers = hdr;
  }
  fr_script(&R, "POST", "/blobs/uploads/", -1, &rs);
  char what[600];
  snprintf(what, sizeof what, "create, Location '%s'",
           location ? location : "(none)");
  create_fails(cause, what);
  marker_never_pushed(what);
  /* The upload never went anywhere. */
  cr_assert_eq(fr_count(&R, "PUT", NULL), 0, "%s: %s", what, fr_describe(&R));
  fr_clear_script(&R);
  faults_expect_absent("b/app");
  faults_expect_usable(what);
  /* And the same handle creates fine once the registry behaves. */
  create_ok("app");
  cr_assert(fr_has_manifest(&R, "b/app", "latest"));
}

Test(faults_create, location_other_host_refused) {
  char loc[128];
  snprintf(loc, sizeof loc, "http://127.0.0.2:%d/v2/b/app/blobs/uploads/x",
           R.port);
  bad_location(loc, "another origin");
}

Test(faults_create, location_other_port_refused) {
  char loc[128];
  snprintf(loc, sizeof loc, "http://127.0.0.1:%d/v2/b/app/blobs/uploads/x",
           R.port == 65535 ? 1 : R.port + 1);
  bad_location(loc, "another origin");
}

Test(faults_create, location_other_scheme_refused) {
  char loc[128];
  snprintf(loc, sizeof loc, "https://127.0.0.1:%d/v2/b/app/blobs/uploads/x",
           R.port);
  bad_location(loc, "another origin");
}

Test(faults_create, location_localhost_alias_refused) {
  /* Same machine, another host name: still another origin. */
  char loc[128];
  snprintf(loc, sizeof loc, "http://localhost:%d/v2/b/app/blobs/uploads/x",
           R.port);
  bad_location(loc, "another origin");
}

Test(faults_create, location_malformed) {
  bad_location("http://[::1/v2/x", "unusable Location");
}

Test(faults_create, location_bad_port) {
  bad_location("http://127.0.0.1:99999/v2/x", "unusable Location");
}

Test(faults_create, location_with_spaces) {
  bad_location("/v2/b/app/blobs/uploads/a b", "spaces or control");
}

Test(faults_create, location_missing) {
  bad_location(NULL, "no Location");
}

Test(faults_create, location_empty) {
  bad_location("", NULL);
}

/* ---- error bodies ---------------------------------------------------------- */

static void error_body(int status, const char *body, size_t len,
                       const char *cause)
{
  struct fr_response rs = fr_reply(status);
  rs.body = body;
  rs.body_len = len;
  fr_script(&R, "POST", "/blobs/uploads/", -1, &rs);
  char what[128];
  snprintf(what, sizeof what, "create, %d with a %zu-byte body", status, len);
  create_fails(cause, what);
  marker_never_pushed(what);
  fr_clear_script(&R);
  faults_expect_absent("b/app");
  faults_expect_usable(what);
}

Test(faults_create, error_body_not_json) {
  static const char html[] =
      "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>"
      "</body></html>\r\n";
  error_body(502, html, sizeof html - 1, "<html>  <head><title>502 Bad");
}

Test(faults_create, error_body_unknown_code) {
  static const char body[] =
      "{\"errors\":[{\"code\":\"FLUX_CAPACITOR\",\"message\":\"out of "
      "plutonium\",\"detail\":{\"x\":[1,2]}}]}";
  error_body(400, body, sizeof body - 1, "FLUX_CAPACITOR: out of plutonium");
}

Test(faults_create, error_body_binary) {
  static const char body[] = "\x01\x02\xff\xfe\x00\x1b[31mred\x7f\xc3";
  error_body(500, body, sizeof body - 1, "HTTP 500");
}

Test(faults_create, error_body_huge_json) {
  /* 1 MiB message: the error keeps a bounded, printable excerpt. */
  size_t n = 1024 * 1024;
  char *body = malloc(n + 64);
  cr_assert_not_null(body);
  int o = snprintf(body, 64, "{\"errors\":[{\"code\":\"DENIED\",\"message\":\"");
  memset(body + o, 'm', n);
  memcpy(body + o + n, "\"}]}", 5);
  error_body(403, body, (size_t)o + n + 4, "DENIED: mmmm");
  free(body);
}

Test(faults_create, error_body_deeply_nested) {
  size_t depth = 100000;
  char *body = malloc(2 * depth + 1);
  cr_assert_not_null(body);
  memset(body, '[', depth);
  memset(body + depth, ']', depth);
  body[2 * depth] = '\0';
  error_body(500, body, 2 * depth, "HTTP 500");
  free(body);
}

/* ---- the registry dies half-way --------------------------------------- */

/* `method` `target` is answered normally (or not at all, `before`), then
 * the registry dies; it comes back once create has failed. */
static void dies_around(const char *method, const char *target, int before,
                        const char *what)
{
  struct fr_response rs = fr_reply(0);
  if(before)
    rs.action = FR_DIE;
  else {
    /* Answer as the model would, then die: scripted answers are static,
     * so the model's answers are spelled out. */
    rs.die_after = 1;
    if(!strcmp(method, "POST")) {
      static char hdr[160];
      snprintf(hdr, sizeof hdr,
               "Location: %s/v2/b/app/blobs/uploads/u9?_state=s\r\n",
               R.origin);
      rs.status = 202;
      rs.headers = hdr;
    }
    else
      rs.status = 201;
  }
  fr_script(&R, method, target, 1, &rs);
  create_fails(NULL, what);
  if(strcmp(target, "/manifests/latest") != 0)
    marker_never_pushed(what);
  fr_revive(&R);
  faults_expect_absent("b/app");
  faults_expect_usable(what);
  create_ok("app");
  cr_assert(fr_has_manifest(&R, "b/app", "latest"), "%s", fr_describe(&R));
}

Test(faults_create, dies_on_the_existence_check) {
  dies_around("HEAD", "/v2/b/app/manifests/latest", 1,
              "create, registry dies on HEAD");
}

Test(faults_create, dies_on_upload_start) {
  dies_around("POST", "/blobs/uploads/", 1, "create, registry dies on POST");
}

Test(faults_create, dies_between_upload_start_and_blob) {
  dies_around("POST", "/blobs/uploads/", 0,
              "create, registry dies after answering POST");
}

Test(faults_create, dies_on_blob_upload) {
  dies_around("PUT", "/blobs/uploads/", 1, "create, registry dies on PUT");
}

Test(faults_create, dies_on_manifest_push) {
  dies_around("PUT", "/manifests/latest", 1,
              "create, registry dies on the manifest PUT");
}

Test(faults_create, blob_upload_reset_is_not_retried) {
  /* The upload PUT names a server-side session: the plugin never retries
   * it. libcurl itself resends a request once when a reused keep-alive
   * connection dies before any answer byte (reported to the lead: the
   * plugin's "not retried" holds for its own loop only), so the server
   * sees at most two. */
  struct fr_response rs = fr_reply(0);
  rs.action = FR_RESET;
  fr_script(&R, "PUT", "/blobs/uploads/", -1, &rs);
  create_fails(NULL, "create, blob PUT reset");
  marker_never_pushed("create, blob PUT reset");
  int puts = fr_count(&R, "PUT", "/blobs/uploads/");
  cr_assert(puts >= 1 && puts <= 2, "%s", fr_describe(&R));
  fr_clear_script(&R);
  faults_expect_absent("b/app");
}

Test(faults_create, manifest_put_503_is_retried_then_lands) {
  struct fr_response rs = fr_reply(503);
  fr_script(&R, "PUT", "/manifests/latest", 1, &rs);
  create_ok("app");
  cr_assert(fr_has_manifest(&R, "b/app", "latest"));
  cr_assert_eq(fr_count(&R, "PUT", "/manifests/latest"), 2, "%s",
               fr_describe(&R));
}

/* ---- digests the registry reports ----------------------------------------- */

/* KNOWN BUG (reported to the lead; enable when fixed): the plugin never
 * compares the Docker-Content-Digest of its marker PUT with the marker's
 * digest, so a registry that stored something else is reported as a
 * successful create. */
Test(faults_create, manifest_digest_mismatch_on_push) {
  struct fr_response rs = fr_reply(201);
  rs.headers = "Docker-Content-Digest: sha256:"
               "0000000000000000000000000000000000000000000000000000000000000000"
               "\r\n";
  fr_script(&R, "PUT", "/manifests/latest", -1, &rs);
  create_fails("digest", "create, marker PUT answered with another digest");
}

/* KNOWN BUG (reported; enable when fixed): delete trusts the digest a HEAD
 * reports; when it does not match the manifest, the DELETE by that digest
 * gets 404 ("already gone") and delete reports success while the
 * repository is still there. */
Test(faults_create, delete_with_lying_digest_never_reports_success) {
  fr_seed_repository(&R, "b/app");
  struct fr_response rs = fr_reply(200);
  rs.headers = "Content-Type: application/vnd.oci.image.manifest.v1+json\r\n"
               "Docker-Content-Digest: sha256:"
               "1111111111111111111111111111111111111111111111111111111111111111"
               "\r\n";
  fr_script(&R, "HEAD", "/v2/b/app/manifests/latest", 1, &rs);
  struct alien_ar_error *err = NULL;
  alien_ar_status st = P.t->delete_repository(H, "b/app", &err);
  if(st == ALIEN_AR_OK) {
    fr_clear_script(&R);
    faults_expect_absent("b/app");
  }
  else
    faults_expect_backend(st, err, "digest", "delete, lying digest");
}

Test(faults_create, delete_with_malformed_digest_hashes_the_manifest) {
  /* An invalid Docker-Content-Digest is not put into a URL: the plugin
   * GETs the manifest and hashes it instead. */
  fr_seed_repository(&R, "b/app");
  struct fr_response rs = fr_reply(200);
  rs.headers = "Docker-Content-Digest: sha256:../../../v2/b/ok/manifests/x\r\n";
  fr_script(&R, "HEAD", "/v2/b/app/manifests/latest", 1, &rs);
  struct alien_ar_error *err = NULL;
  ar_test_expect_ok(&P, P.t->delete_repository(H, "b/app", &err), err,
                    "delete, malformed digest");
  cr_assert_eq(fr_count(&R, "GET", "/v2/b/app/manifests/latest"), 1, "%s",
               fr_describe(&R));
  cr_assert_eq(fr_count(&R, "DELETE", "../"), 0, "%s", fr_describe(&R));
  faults_expect_absent("b/app");
  faults_expect_usable("a malformed digest");
}
