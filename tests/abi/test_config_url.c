/* registryUrl validation, the endpoint/prefix derived from it, and the
 * project's optional timeout/retry keys. open() only: no I/O. */
#include "plugin_loader.h"

#include <criterion/criterion.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct ar_test_plugin P;

static void load(void) { ar_test_plugin_load(&P); }
static void unload(void) { ar_test_plugin_unload(&P); }

TestSuite(config_url, .init = load, .fini = unload);

#define B "url-binding"
#define ENV "ALIEN_URL_BINDING_BINDING"
#define MSG_HEAD "Binding configuration invalid for binding '" B "' (env var '" ENV "'): "

static char *config_with(const char *url, const char *extra) {
  json_object *o = json_object_new_object();
  json_object_object_add(o, "service", json_object_new_string("local"));
  json_object_object_add(o, "registryUrl", json_object_new_string(url));
  json_object_object_add(o, "dataDir", NULL);
  const char *base = json_object_to_json_string_ext(
      o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
  size_t n = strlen(base) + (extra ? strlen(extra) : 0) + 2;
  char *s = malloc(n);
  cr_assert_not_null(s);
  if (extra) /* splice ",extra" before the closing brace */
    snprintf(s, n, "%.*s,%s}", (int)(strlen(base) - 1), base, extra);
  else
    snprintf(s, n, "%s", base);
  json_object_put(o);
  return s;
}

static struct alien_ar_error *open_fails(const char *cfg) {
  alien_ar_handle *h = NULL;
  struct alien_ar_error *err = NULL;
  alien_ar_status st = P.t->open(B, cfg, NULL, &h, &err);
  ar_test_check_error(&P, st, err, ALIEN_AR_ERR_CONFIG,
                      "BINDING_CONFIG_INVALID", cfg);
  cr_assert_null(h);
  cr_assert_eq(err->http_status_code, 400, "%s", cfg);
  cr_assert_eq(err->retryable, 0);
  return err;
}

static void expect_bad_url(const char *url) {
  char *cfg = config_with(url, NULL);
  struct alien_ar_error *err = open_fails(cfg);
  const char *want = MSG_HEAD "Invalid registryUrl";
  cr_assert(strncmp(err->message, want, strlen(want)) == 0,
            "registryUrl \"%s\": message '%s'", url, err->message);
  json_object *ctx = json_tokener_parse(err->context_json);
  json_object *reason = NULL;
  cr_assert(json_object_object_get_ex(ctx, "reason", &reason));
  cr_assert(strncmp(json_object_get_string(reason), "Invalid registryUrl",
                    19) == 0);
  json_object_put(ctx);
  P.t->error_free(err);
  free(cfg);
}

Test(config_url, hostile_values_rejected) {
  const char *bad[] = {
      "local host:5000",    "localhost:5000/path", "localhost:5000?q=1",
      "localhost:5000#f",   "localhost:99999",     "localhost:65536",
      "localhost:-1",       "localhost:abc",       "localhost:",
      "http://",            "https://",            "ftp://x:1",
      "http:/localhost:1",  " localhost:5000",     "localhost:5000 ",
      "\tlocalhost:5000",   "localhost:5000\n",    "user@localhost:5000",
      "http://localhost:5000/v2/", "http://localhost:5000//",
      "http://localhost:5000/a",
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    expect_bad_url(bad[i]);
}

Test(config_url, overlong_host_and_label_rejected) {
  char host[400];
  memset(host, 'a', 300);
  memcpy(host + 300, ":5000", 6);
  expect_bad_url(host); /* 300-char host */

  memset(host, 'a', 64); /* one 64-char label */
  memcpy(host + 64, ".example:5000", 14);
  expect_bad_url(host);

  /* 254 chars of dotted labels: over the 253 limit. */
  size_t n = 0;
  while (n < 254) {
    size_t chunk = 254 - n >= 50 ? 49 : 254 - n;
    memset(host + n, 'b', chunk);
    n += chunk;
    if (n < 254)
      host[n++] = '.';
  }
  memcpy(host + n, ":5000", 6);
  expect_bad_url(host);
}

static void expect_endpoint(const char *url, const char *want) {
  char *cfg = config_with(url, NULL);
  alien_ar_handle *h = NULL;
  struct alien_ar_error *err = NULL;
  ar_test_expect_ok(&P, P.t->open(B, cfg, NULL, &h, &err), err, cfg);
  char *ep = NULL, *prefix = NULL;
  ar_test_expect_ok(&P, P.t->registry_endpoint(h, &ep, &err), err,
                    "registry_endpoint");
  cr_assert_str_eq(ep, want, "registryUrl %s", url);
  ar_test_expect_ok(&P, P.t->upstream_repository_prefix(h, &prefix, &err),
                    err, "upstream_repository_prefix");
  cr_assert_str_eq(prefix, "artifacts/default");
  P.t->string_free(ep);
  P.t->string_free(prefix);
  P.t->close(h);
  free(cfg);
}

Test(config_url, endpoint_and_prefix_values) {
  expect_endpoint("localhost:5000", "http://localhost:5000");
  expect_endpoint("http://127.0.0.1:5000", "http://127.0.0.1:5000");
  expect_endpoint("https://reg.example:443/", "https://reg.example:443");
  expect_endpoint("127.0.0.1:1", "http://127.0.0.1:1");
  expect_endpoint("localhost", "http://localhost");
  expect_endpoint("http://localhost:5000/", "http://localhost:5000");
}

Test(config_url, host_at_the_length_limits_accepted) {
  char host[300];
  memset(host, 'c', 63); /* a 63-char label is fine */
  memcpy(host + 63, ".example:5000", 14);
  char want[320];
  snprintf(want, sizeof want, "http://%s", host);
  expect_endpoint(host, want);
}

/* ---- project extension keys --------------------------------------------- */

static void expect_bad_key(const char *extra, const char *key) {
  char *cfg = config_with("localhost:5000", extra);
  struct alien_ar_error *err = open_fails(cfg);
  cr_assert(strncmp(err->message, MSG_HEAD, strlen(MSG_HEAD)) == 0, "%s",
            err->message);
  cr_assert(strstr(err->message + strlen(MSG_HEAD), key) != NULL,
            "%s: message '%s' does not name %s", cfg, err->message, key);
  P.t->error_free(err);
  free(cfg);
}

Test(config_url, extension_keys_wrong_type_or_range) {
  expect_bad_key("\"connectTimeoutMs\":\"5000\"", "connectTimeoutMs");
  expect_bad_key("\"connectTimeoutMs\":1.5", "connectTimeoutMs");
  expect_bad_key("\"connectTimeoutMs\":-1", "connectTimeoutMs");
  expect_bad_key("\"requestTimeoutMs\":true", "requestTimeoutMs");
  expect_bad_key("\"requestTimeoutMs\":-5", "requestTimeoutMs");
  expect_bad_key("\"operationTimeoutMs\":{}", "operationTimeoutMs");
  expect_bad_key("\"operationTimeoutMs\":[1]", "operationTimeoutMs");
  expect_bad_key("\"maxRetries\":11", "maxRetries");
  expect_bad_key("\"maxRetries\":-1", "maxRetries");
  expect_bad_key("\"maxRetries\":\"2\"", "maxRetries");
  expect_bad_key("\"maxRetries\":2.5", "maxRetries");
}

Test(config_url, extension_keys_valid) {
  const char *ok[] = {
      "\"maxRetries\":0",
      "\"maxRetries\":10",
      "\"connectTimeoutMs\":250,\"requestTimeoutMs\":1000,"
      "\"operationTimeoutMs\":2000,\"maxRetries\":2",
  };
  for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
    char *cfg = config_with("localhost:5000", ok[i]);
    alien_ar_handle *h = NULL;
    struct alien_ar_error *err = NULL;
    ar_test_expect_ok(&P, P.t->open(B, cfg, NULL, &h, &err), err, cfg);
    P.t->close(h);
    free(cfg);
  }
}
