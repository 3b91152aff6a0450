/* Transport faults through the ABI, `local` backend, against the scripted
 * fake registry: each ends in a retryable BINDINGS_ERROR with its cause,
 * within the configured timeout plus 20%, and the handle works afterwards.
 * Requests the server saw are counted to prove what was (not) retried. */
#include "faults_env.h"
#include "registry_fixture.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

TestSuite(faults_transport, .init = faults_setup, .fini = faults_teardown,
          .timeout = 60);

#define HEAD_LATEST "/v2/b/app/manifests/latest"
#define TAGS_LIST "/v2/b/app/tags/list"

/* get b/app, which must fail with a backend error mentioning `cause`
 * within `bound_ms` (+20%). Returns the elapsed seconds. */
static double get_fails(const char *cause, long bound_ms, const char *what)
{
  struct alien_ar_repository *repo = NULL;
  struct alien_ar_error *err = NULL;
  double t0 = ar_test_now();
  alien_ar_status st = P.t->get_repository(H, "b/app", &repo, &err);
  double dt = faults_since(t0);
  faults_expect_backend(st, err, cause, what);
  cr_assert_null(repo);
  cr_assert_leq(dt, faults_bound(bound_ms), "%s took %.3f s (bound %ld ms)",
                what, dt, bound_ms);
  return dt;
}

/* delete b/app (tags/list GET, then per tag HEAD and DELETE), which must
 * fail the same way. */
static double delete_fails(const char *cause, long bound_ms, const char *what)
{
  struct alien_ar_error *err = NULL;
  double t0 = ar_test_now();
  alien_ar_status st = P.t->delete_repository(H, "b/app", &err);
  double dt = faults_since(t0);
  faults_expect_backend(st, err, cause, what);
  cr_assert_leq(dt, faults_bound(bound_ms), "%s took %.3f s (bound %ld ms)",
                what, dt, bound_ms);
  return dt;
}

/* ---- connection level -------------------------------------------------- */

/* The failing request went out once plus maxRetries times; with the
 * script cleared, the handle works again. */
static void expect_retried_then_usable(const char *method, const char *path,
                                       const char *what)
{
  cr_assert_eq(fr_count(&R, method, path), 1 + T.retries, "%s: %s", what,
               fr_describe(&R));
  fr_clear_script(&R);
  faults_expect_usable(what);
}

Test(faults_transport, connection_refused) {
  fr_kill(&R);
  get_fails("Couldn't connect", T.operation_ms, "get, nothing listening");
  fr_revive(&R);
  faults_expect_usable("connection refused");
}

Test(faults_transport, reset_before_answer_is_retried) {
  struct fr_response rs = fr_reply(0);
  rs.action = FR_RESET;
  fr_script(&R, "HEAD", HEAD_LATEST, -1, &rs);
  get_fails(NULL, T.operation_ms, "get, connection reset without answer");
  /* A reset before any answer is a transient failure of an idempotent
   * HEAD: sent once plus maxRetries times. */
  expect_retried_then_usable("HEAD", HEAD_LATEST, "reset");
}

Test(faults_transport, closed_without_answer_is_retried) {
  struct fr_response rs = fr_reply(0);
  rs.action = FR_CLOSE;
  fr_script(&R, "HEAD", HEAD_LATEST, -1, &rs);
  get_fails("Server returned nothing", T.operation_ms,
            "get, connection closed without answer");
  expect_retried_then_usable("HEAD", HEAD_LATEST, "close without answer");
}

Test(faults_transport, reset_mid_body) {
  static char body[4096];
  memset(body, 'x', sizeof body);
  struct fr_response rs = fr_reply(200);
  rs.headers = "Content-Type: application/json\r\n";
  rs.body = body;
  rs.body_len = sizeof body;
  rs.reset_after = 100;
  fr_script(&R, "GET", TAGS_LIST, -1, &rs);
  delete_fails(NULL, T.operation_ms, "delete, tag list reset mid-body");
  expect_retried_then_usable("GET", TAGS_LIST, "reset mid-body");
}

Test(faults_transport, body_shorter_than_content_length) {
  struct fr_response rs = fr_reply(200);
  rs.body = "{\"name\":\"b/app\",\"tags\":[";
  rs.content_length = 1000;
  fr_script(&R, "GET", TAGS_LIST, -1, &rs);
  delete_fails(NULL, T.operation_ms, "delete, truncated tag list");
  fr_clear_script(&R);
  faults_expect_usable("truncated body");
}

/* ---- slow servers --------------------------------------------------------- */

Test(faults_transport, headers_never_come) {
  struct fr_response rs = fr_reply(0);
  rs.action = FR_HANG;
  fr_script(&R, "HEAD", HEAD_LATEST, -1, &rs);
  double dt = get_fails("Timeout", T.request_ms, "get, headers never come");
  /* The request timeout ends it; a timeout is not retried. */
  cr_assert_geq(dt, (double)T.request_ms / 1000.0 * 0.9, "%.3f s", dt);
  cr_assert_eq(fr_count(&R, "HEAD", HEAD_LATEST), 1, "%s", fr_describe(&R));
  fr_clear_script(&R);
  faults_expect_usable("headers that never came");
}

Test(faults_transport, headers_trickle) {
  struct fr_response rs = fr_reply(200);
  rs.trickle_headers_ms = 40; /* ~60 bytes of head: about 2.4 s */
  fr_script(&R, "HEAD", HEAD_LATEST, -1, &rs);
  get_fails("Timeout", T.request_ms, "get, headers trickle");
  fr_clear_script(&R);
  faults_expect_usable("trickling headers");
}

Test(faults_transport, body_trickles) {
  static char body[2000];
  memset(body, ' ', sizeof body);
  struct fr_response rs = fr_reply(200);
  rs.body = body;
  rs.body_len = sizeof body;
  rs.trickle_ms = 10; /* 20 s for the whole body */
  fr_script(&R, "GET", TAGS_LIST, -1, &rs);
  delete_fails("Timeout", T.request_ms, "delete, tag list body trickles");
  cr_assert_eq(fr_count(&R, "GET", TAGS_LIST), 1, "%s", fr_describe(&R));
  fr_clear_script(&R);
  faults_expect_usable("trickling body");
}

Test(faults_transport, every_request_slow_hits_the_operation_deadline) {
  /* Each answer alone fits the request timeout; together they pass the
   * operation deadline: delete = tags/list + HEAD + DELETE per tag. */
  faults_reopen((struct faults_timeouts){ 500, 1500, 2000, 0 });
  fr_seed_repository(&R, "b/app");
  struct fr_response rs = fr_reply(0);
  rs.action = FR_RESPOND;
  rs.delay_ms = 900;
  rs.content_length = -1;
  rs.reset_after = -1;
  rs.status = 200;
  rs.body = "{\"name\":\"b/app\",\"tags\":[\"latest\",\"v1\",\"v2\"]}";
  fr_script(&R, "GET", TAGS_LIST, 1, &rs);
  struct fr_response slow = fr_reply(404);
  slow.delay_ms = 900;
  fr_script(&R, "HEAD", HEAD_LATEST, -1, &slow);
  fr_script(&R, "HEAD", "/v2/b/app/manifests/v", -1, &slow);
  delete_fails(NULL, T.operation_ms, "delete, every answer slow");
  fr_clear_script(&R);
  faults_expect_usable("slow answers");
}

/* ---- status codes -------------------------------------------------------- */

static void status_not_retried(int status)
{
  struct fr_response rs = fr_reply(status);
  fr_script(&R, "HEAD", HEAD_LATEST, -1, &rs);
  char what[64], cause[32];
  snprintf(what, sizeof what, "get, HTTP %d", status);
  snprintf(cause, sizeof cause, "HTTP %d", status);
  get_fails(cause, T.operation_ms, what);
  cr_assert_eq(fr_count(&R, "HEAD", HEAD_LATEST), 1, "%d: %s", status,
               fr_describe(&R));
  fr_clear_script(&R);
  faults_expect_usable(what);
}

Test(faults_transport, status_500) { status_not_retried(500); }
Test(faults_transport, status_502) { status_not_retried(502); }

/* 503 and 429 are retried maxRetries times with backoff, within the
 * deadline. */
static void status_retried(int status, const char *retry_after)
{
  struct fr_response rs = fr_reply(status);
  char hdr[64];
  if(retry_after) {
    snprintf(hdr, sizeof hdr, "Retry-After: %s\r\n", retry_after);
    rs.headers = hdr;
  }
  fr_script(&R, "HEAD", HEAD_LATEST, -1, &rs);
  char what[96], cause[32];
  snprintf(what, sizeof what, "get, HTTP %d, Retry-After %s", status,
           retry_after ? retry_after : "(none)");
  snprintf(cause, sizeof cause, "HTTP %d", status);
  double dt = get_fails(cause, T.operation_ms, what);
  if(retry_after)
    cr_assert_geq(dt, (double)T.retries * strtod(retry_after, NULL) * 0.95,
                  "%s: Retry-After not honoured: %.3f s", what, dt);
  expect_retried_then_usable("HEAD", HEAD_LATEST, what);
}

Test(faults_transport, status_503) { status_retried(503, NULL); }
Test(faults_transport, status_429) { status_retried(429, NULL); }
Test(faults_transport, status_503_retry_after) {
  faults_reopen((struct faults_timeouts){ 500, 800, 3000, 2 });
  status_retried(503, "1");
}
Test(faults_transport, status_429_retry_after) {
  faults_reopen((struct faults_timeouts){ 500, 800, 3000, 2 });
  status_retried(429, "1");
}
Test(faults_transport, status_503_http_date_falls_back_to_backoff) {
  status_retried(503, "Wed, 21 Oct 2015 07:28:00 GMT");
}

Test(faults_transport, retry_after_beyond_the_deadline_gives_up_at_once) {
  struct fr_response rs = fr_reply(429);
  rs.headers = "Retry-After: 30\r\n";
  fr_script(&R, "HEAD", HEAD_LATEST, -1, &rs);
  double dt = get_fails("HTTP 429", T.operation_ms, "get, Retry-After 30");
  /* Waiting 30 s cannot fit a 2.5 s deadline: no sleep, no retry. */
  cr_assert_lt(dt, 1.0, "%.3f s", dt);
  cr_assert_eq(fr_count(&R, "HEAD", HEAD_LATEST), 1, "%s", fr_describe(&R));
  fr_clear_script(&R);
  faults_expect_usable("Retry-After 30");
}

Test(faults_transport, transient_503_then_success) {
  struct fr_response rs = fr_reply(503);
  fr_script(&R, "HEAD", "/v2/b/ok/manifests/latest", 2, &rs);
  faults_expect_usable("two 503s");
  cr_assert_eq(fr_count(&R, "HEAD", "/v2/b/ok/manifests/latest"), 3, "%s",
               fr_describe(&R));
}

Test(faults_transport, retries_stop_at_the_deadline) {
  /* 10 retries of 800 ms timeouts cannot fit 2 s: the deadline wins. */
  faults_reopen((struct faults_timeouts){ 500, 800, 2000, 10 });
  struct fr_response rs = fr_reply(0);
  rs.action = FR_CLOSE;
  fr_script(&R, "HEAD", HEAD_LATEST, -1, &rs);
  get_fails(NULL, T.operation_ms, "get, every attempt closed");
  fr_clear_script(&R);
  faults_expect_usable("retries up to the deadline");
}

Test(faults_transport, post_503_is_not_retried) {
  /* Starting an upload is not idempotent: one POST, then the error. */
  struct fr_response rs = fr_reply(503);
  fr_script(&R, "POST", "/blobs/uploads/", -1, &rs);
  struct alien_ar_repository *repo = NULL;
  struct alien_ar_error *err = NULL;
  alien_ar_status st = P.t->create_repository(H, "app", &repo, &err);
  faults_expect_backend(st, err, "HTTP 503", "create, POST 503");
  cr_assert_eq(fr_count(&R, "POST", NULL), 1, "%s", fr_describe(&R));
  fr_clear_script(&R);
  faults_expect_absent("b/app");
  faults_expect_usable("POST 503");
}

/* ---- redirects (never followed) ------------------------------------------ */

static void redirect(int status, const char *location)
{
  struct fr_response rs = fr_reply(status);
  char hdr[256];
  snprintf(hdr, sizeof hdr, "Location: %s\r\n", location);
  rs.headers = hdr;
  fr_script(&R, "HEAD", HEAD_LATEST, -1, &rs);
  char what[300], cause[32];
  snprintf(what, sizeof what, "get, %d to %s", status, location);
  snprintf(cause, sizeof cause, "HTTP %d", status);
  get_fails(cause, T.operation_ms, what);
  cr_assert_eq(fr_count(&R, NULL, NULL), 1, "%s: followed? %s", what,
               fr_describe(&R));
  fr_clear_script(&R);
  faults_expect_usable(what);
}

Test(faults_transport, redirect_loop_301) { redirect(301, HEAD_LATEST); }
Test(faults_transport, redirect_loop_302) { redirect(302, HEAD_LATEST); }
Test(faults_transport, redirect_307_other_host) {
  char loc[128];
  snprintf(loc, sizeof loc, "http://127.0.0.2:%d" HEAD_LATEST, R.port);
  redirect(307, loc);
}

/* ---- bodies ------------------------------------------------------------ */

Test(faults_transport, over_large_body_is_capped) {
  /* 256 MiB of tag list: the transport stops at 16 MiB. */
  struct fr_response rs = fr_reply(200);
  rs.headers = "Content-Type: application/json\r\n";
  rs.fill_len = 256u * 1024u * 1024u;
  rs.fill = ' ';
  fr_script(&R, "GET", TAGS_LIST, -1, &rs);
  long before = ar_test_proc_status_kib("VmHWM");
  delete_fails("larger than 16777216 bytes", T.operation_ms,
               "delete, 256 MiB tag list");
  long grown = ar_test_proc_status_kib("VmHWM") - before;
  cr_log_info("peak RSS grew by %ld KiB reading a 256 MiB body", grown);
  /* The cap's buffer (16 MiB, 32 MiB once doubled) and nothing like the
   * 256 MiB sent. */
  cr_assert_lt(grown, 96 * 1024, "peak RSS grew by %ld KiB", grown);
  cr_assert_eq(fr_count(&R, "GET", TAGS_LIST), 1, "%s", fr_describe(&R));
  fr_clear_script(&R);
  faults_expect_usable("an over-large body");
}

Test(faults_transport, over_large_error_body_is_capped) {
  struct fr_response rs = fr_reply(500);
  rs.fill_len = 64u * 1024u * 1024u;
  rs.fill = '{';
  fr_script(&R, "POST", "/blobs/uploads/", -1, &rs);
  struct alien_ar_repository *repo = NULL;
  struct alien_ar_error *err = NULL;
  alien_ar_status st = P.t->create_repository(H, "app", &repo, &err);
  faults_expect_backend(st, err, "larger than 16777216 bytes",
                        "create, 64 MiB error body");
  fr_clear_script(&R);
  faults_expect_absent("b/app");
  faults_expect_usable("an over-large error body");
}
