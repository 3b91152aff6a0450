/* Requests per operation, counted on the wire from the real registry's
 * access log (issue 4's table): get = 1, create over an existing latest =
 * 1, create that can mount = 3 (the mount POST answered 201), cold create =
 * 4, delete of a one-tag repository <= 3, never a GET /v2/ ping, and a
 * declined mount falls back on the session it opened. */
#include <criterion/criterion.h>
#include <curl/curl.h>
#include <stdio.h>
#include <string.h>

#include "plugin_loader.h"
#include "registry_fixture.h"
#include "wire.h"

#define CONFIG_DIGEST \
  "sha256:7a19147749ce097f32b13072bccba494b5e717d4f23fbde50f7514059e109ad1"

static struct ar_test_registry reg;
static struct ar_test_plugin plugin;
static struct wire w;

static void setup(void) {
  struct ar_test_registry_options o = {.access_log = 1};
  ar_test_registry_start(&reg, &o);
  ar_test_plugin_load(&plugin);
  wire_init(&w, &reg);
}

static void teardown(void) {
  ar_test_plugin_unload(&plugin);
  ar_test_registry_stop(&reg);
}

TestSuite(perf_requests, .init = setup, .fini = teardown, .timeout = 60);

static alien_ar_handle *open_handle(void) {
  return ar_test_open_local(&plugin, "b", reg.url, NULL);
}

/* A fresh logical name and its URL path prefix /v2/b/NAME/. */
static void fresh(char name[32], char prefix[64]) {
  char hex[9];
  ar_test_random_hex(hex, 8);
  snprintf(name, 32, "perf-%s", hex);
  snprintf(prefix, 64, "/v2/b/%s/", name);
}

static void create(alien_ar_handle *h, const char *name) {
  struct alien_ar_repository *r = NULL;
  struct alien_ar_error *err = NULL;
  ar_test_expect_ok(&plugin, plugin.t->create_repository(h, name, &r, &err),
                    err, "create_repository");
  plugin.t->repository_free(r);
}

static alien_ar_status get(alien_ar_handle *h, const char *name) {
  struct alien_ar_repository *r = NULL;
  struct alien_ar_error *err = NULL;
  alien_ar_status st = plugin.t->get_repository(h, name, &r, &err);
  plugin.t->repository_free(r);
  plugin.t->error_free(err);
  return st;
}

static void path_of(char *out, size_t cap, const char *prefix,
                    const char *rest) {
  snprintf(out, cap, "%s%s", prefix, rest);
}

Test(perf_requests, get_is_one_head_exists_or_not) {
  alien_ar_handle *h = open_handle();
  char name[32], prefix[64], path[256];
  fresh(name, prefix);
  create(h, name);
  wire_take(&w);
  cr_assert_eq(get(h, name), ALIEN_AR_OK);
  wire_take(&w);
  cr_assert_eq(w.n, 1, "get (exists): %zu requests", w.n);
  path_of(path, sizeof path, prefix, "manifests/latest");
  wire_expect(&w, 0, "HEAD", path, 200);

  fresh(name, prefix);
  cr_assert_eq(get(h, name), ALIEN_AR_ERR_NOT_FOUND);
  wire_take(&w);
  cr_assert_eq(w.n, 1, "get (missing): %zu requests", w.n);
  path_of(path, sizeof path, prefix, "manifests/latest");
  wire_expect(&w, 0, "HEAD", path, 404);
  plugin.t->close(h);
}

Test(perf_requests, create_cold_is_four) {
  alien_ar_handle *h = open_handle(); /* has created nothing: no mount */
  char name[32], prefix[64], path[256];
  fresh(name, prefix);
  create(h, name);
  wire_take(&w);
  cr_assert_eq(w.n, 4, "cold create: %zu requests", w.n);
  path_of(path, sizeof path, prefix, "manifests/latest");
  wire_expect(&w, 0, "HEAD", path, 404);
  path_of(path, sizeof path, prefix, "blobs/uploads/");
  wire_expect(&w, 1, "POST", path, 202);
  cr_expect(strchr(w.req[1].path, '?') == NULL, "a plain POST: %s",
            w.req[1].path);
  wire_expect(&w, 2, "PUT", path, 201); /* the upload session's Location */
  cr_expect(strstr(w.req[2].path, "digest=sha256%3A") ||
                strstr(w.req[2].path, "digest=sha256:"),
            "blob PUT without digest: %s", w.req[2].path);
  path_of(path, sizeof path, prefix, "manifests/latest");
  wire_expect(&w, 3, "PUT", path, 201);
  plugin.t->close(h);
}

Test(perf_requests, create_over_existing_latest_is_one) {
  alien_ar_handle *h = open_handle();
  char name[32], prefix[64], path[256];
  fresh(name, prefix);
  create(h, name);
  wire_take(&w);
  create(h, name);
  wire_take(&w);
  cr_assert_eq(w.n, 1, "re-create: %zu requests", w.n);
  path_of(path, sizeof path, prefix, "manifests/latest");
  wire_expect(&w, 0, "HEAD", path, 200);
  plugin.t->close(h);
}

Test(perf_requests, create_with_blob_on_this_handle_mounts_in_three) {
  alien_ar_handle *h = open_handle();
  char first[32], first_prefix[64], name[32], prefix[64], path[256], want[256];
  fresh(first, first_prefix);
  create(h, first);
  wire_take(&w);
  fresh(name, prefix);
  create(h, name);
  wire_take(&w);
  cr_assert_eq(w.n, 3, "create with a mountable blob: %zu requests", w.n);
  path_of(path, sizeof path, prefix, "manifests/latest");
  wire_expect(&w, 0, "HEAD", path, 404);
  snprintf(want, sizeof want, "%sblobs/uploads/?mount=%s&from=b/%s", prefix,
           CONFIG_DIGEST, first);
  cr_expect_str_eq(w.req[1].path, want);
  wire_expect(&w, 1, "POST", prefix, 201);
  wire_expect(&w, 2, "PUT", path, 201);
  plugin.t->close(h);
}

Test(perf_requests, delete_of_one_tag_is_at_most_three) {
  alien_ar_handle *h = open_handle();
  char name[32], prefix[64], path[256], id[64];
  fresh(name, prefix);
  create(h, name);
  wire_take(&w);
  snprintf(id, sizeof id, "b/%s", name);
  struct alien_ar_error *err = NULL;
  ar_test_expect_ok(&plugin, plugin.t->delete_repository(h, id, &err), err,
                    "delete_repository");
  wire_take(&w);
  cr_assert(w.n >= 1 && w.n <= 3, "delete: %zu requests", w.n);
  /* Today: tags/list, HEAD latest (digest), DELETE by digest. Fewer is
   * fine; the last one must be the DELETE by digest. */
  if (w.n == 3) {
    path_of(path, sizeof path, prefix, "tags/list");
    wire_expect(&w, 0, "GET", path, 200);
    path_of(path, sizeof path, prefix, "manifests/latest");
    wire_expect(&w, 1, "HEAD", path, 200);
  }
  path_of(path, sizeof path, prefix, "manifests/sha256:");
  wire_expect(&w, w.n - 1, "DELETE", path, 202);
  cr_assert_eq(get(h, id), ALIEN_AR_ERR_NOT_FOUND);
  plugin.t->close(h);
}

/* Unlinks the config blob from a repository, so a mount from it is
 * declined (distribution answers 202 and opens an upload session). */
static void unlink_config_blob(const char *prefix) {
  char url[256];
  snprintf(url, sizeof url, "%s%sblobs/%s", reg.url, prefix, CONFIG_DIGEST);
  CURL *c = curl_easy_init();
  cr_assert_not_null(c);
  curl_easy_setopt(c, CURLOPT_URL, url);
  curl_easy_setopt(c, CURLOPT_PROXY, "");
  curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, "DELETE");
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, 5000L);
  cr_assert_eq(curl_easy_perform(c), CURLE_OK);
  long status = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
  curl_easy_cleanup(c);
  cr_assert_eq(status, 202, "DELETE blob link: %ld", status);
}

Test(perf_requests, declined_mount_falls_back_without_a_stray_request) {
  alien_ar_handle *h = open_handle();
  char first[32], first_prefix[64], name[32], prefix[64], path[256];
  fresh(first, first_prefix);
  create(h, first);
  unlink_config_blob(first_prefix);
  wire_take(&w);
  fresh(name, prefix);
  create(h, name);
  wire_take(&w);
  cr_assert_eq(w.n, 4, "declined mount: %zu requests", w.n);
  path_of(path, sizeof path, prefix, "manifests/latest");
  wire_expect(&w, 0, "HEAD", path, 404);
  path_of(path, sizeof path, prefix, "blobs/uploads/?mount=");
  wire_expect(&w, 1, "POST", path, 202); /* declined: a session instead */
  path_of(path, sizeof path, prefix, "blobs/uploads/");
  wire_expect(&w, 2, "PUT", path, 201); /* the body, on that session */
  path_of(path, sizeof path, prefix, "manifests/latest");
  wire_expect(&w, 3, "PUT", path, 201);
  cr_assert_eq(get(h, name), ALIEN_AR_OK);
  plugin.t->close(h);
}
