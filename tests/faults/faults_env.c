#include "faults_env.h"

#include "registry_fixture.h"

#include <criterion/criterion.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct fake_registry R;
struct ar_test_plugin P;
struct ar_test_log L;
alien_ar_handle *H;
struct faults_timeouts T;

static void open_handle(struct faults_timeouts t)
{
  char cfg[512];
  snprintf(cfg, sizeof cfg,
           "{\"service\":\"local\",\"registryUrl\":\"%s\",\"dataDir\":null,"
           "\"connectTimeoutMs\":%ld,\"requestTimeoutMs\":%ld,"
           "\"operationTimeoutMs\":%ld,\"maxRetries\":%ld}",
           R.url, t.connect_ms, t.request_ms, t.operation_ms, t.retries);
  struct alien_ar_error *err = NULL;
  ar_test_expect_ok(&P, P.t->open("b", cfg, &L.host, &H, &err), err, cfg);
  T = t;
}

void faults_setup(void)
{
  fr_start(&R);
  fr_seed_repository(&R, "b/ok");
  ar_test_plugin_load(&P);
  ar_test_log_init(&L, ALIEN_AR_LOG_TRACE);
  open_handle(FAULTS_DEFAULT_TIMEOUTS);
}

void faults_teardown(void)
{
  if(H)
    P.t->close(H);
  H = NULL;
  ar_test_plugin_unload(&P);
  fr_stop(&R);
  ar_test_log_destroy(&L);
}

void faults_reopen(struct faults_timeouts t)
{
  P.t->close(H);
  H = NULL;
  open_handle(t);
}

double faults_since(double t0)
{
  return ar_test_now() - t0;
}

double faults_bound(long ms)
{
  const char *slack = getenv("ALIEN_AR_TEST_TIME_SLACK_MS");
  long extra = slack ? strtol(slack, NULL, 10) : 0;
  return ((double)ms * 1.2 + (double)extra) / 1000.0;
}

static int utf8_ok(const unsigned char *p)
{
  while(*p) {
    int n = *p < 0x80 ? 1 : (*p & 0xe0) == 0xc0 ? 2 : (*p & 0xf0) == 0xe0 ? 3
                          : (*p & 0xf8) == 0xf0 ? 4 : 0;
    if(!n || (n == 2 && *p < 0xc2))
      return 0;
    for(int i = 1; i < n; i++)
      if((p[i] & 0xc0) != 0x80)
        return 0;
    p += n;
  }
  return 1;
}

void faults_expect_backend(alien_ar_status st, struct alien_ar_error *err,
                           const char *cause, const char *what)
{
  ar_test_check_error(&P, st, err, ALIEN_AR_ERR_BACKEND, "BINDINGS_ERROR",
                      what);
  char *json = ar_test_error_json(&P, err);
  cr_assert_neq(err->retryable, 0, "%s: must be retryable: %s", what, json);
  cr_assert_not_null(err->source, "%s: no cause chained: %s", what, json);
  if(cause)
    cr_assert(strstr(err->source->message, cause),
              "%s: the cause should mention \"%s\": %s\nrequests:\n%s", what,
              cause, json, fr_describe(&R));
  cr_assert_leq(strlen(json), 8192, "%s: error JSON of %zu bytes", what,
                strlen(json));
  cr_assert(utf8_ok((const unsigned char *)json), "%s: not UTF-8: %s", what,
            json);
  json_tokener *tok = json_tokener_new();
  json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
  json_object *o = json_tokener_parse_ex(tok, json, (int)strlen(json) + 1);
  cr_assert_not_null(o, "%s: error JSON does not parse: %s", what, json);
  json_object_put(o);
  json_tokener_free(tok);
  free(json);
  P.t->error_free(err);
}

void faults_expect_usable(const char *after)
{
  struct alien_ar_repository *repo = NULL;
  struct alien_ar_error *err = NULL;
  char what[256];
  snprintf(what, sizeof what, "get b/ok after %s", after);
  ar_test_expect_ok(&P, P.t->get_repository(H, "b/ok", &repo, &err), err,
                    what);
  cr_assert_str_eq(repo->name, "b/ok");
  P.t->repository_free(repo);
}

void faults_expect_absent(const char *id)
{
  struct alien_ar_repository *repo = NULL;
  struct alien_ar_error *err = NULL;
  alien_ar_status st = P.t->get_repository(H, id, &repo, &err);
  char what[256];
  snprintf(what, sizeof what, "get %s (must not exist)", id);
  ar_test_expect_error(&P, st, err, ALIEN_AR_ERR_NOT_FOUND,
                       "RESOURCE_NOT_FOUND", what);
  cr_assert_null(repo);
}
