/* create/get against a real registry, checked with skopeo as an independent
 * client and with the registry's access log. */
#include "local_env.h"

#include <criterion/criterion.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct local_env E;

static void setup_scheme(void) {
  struct local_env_options o = {.binding = "b", .url_with_scheme = 1,
                                .reg = {.access_log = 1}};
  local_env_start(&E, &o);
}
static void setup_plain(void) {
  struct local_env_options o = {.binding = "b", .reg = {.access_log = 1}};
  local_env_start(&E, &o);
}
static void teardown(void) { local_env_stop(&E); }

/* registryUrl "http://127.0.0.1:PORT" */
TestSuite(local_ops, .init = setup_scheme, .fini = teardown, .timeout = 60);
/* registryUrl "localhost:PORT" */
TestSuite(local_ops_plain, .init = setup_plain, .fini = teardown,
          .timeout = 60);

static void path_of(char *out, size_t size, const char *b, const char *l,
                    const char *what) {
  snprintf(out, size, "/v2/%s/%s/%s", b, l, what);
}

Test(local_ops, create_returns_routable_name_and_schemeless_uri) {
  char l[64], want_name[128], want_uri[192];
  local_repo_name(l, sizeof l);
  struct alien_ar_repository *r = local_create(&E, l);
  snprintf(want_name, sizeof want_name, "b/%s", l);
  snprintf(want_uri, sizeof want_uri, "%s/b/%s", E.reg.ip_hostport, l);
  cr_assert_str_eq(r->name, want_name);
  cr_assert_not_null(r->uri);
  cr_assert_str_eq(r->uri, want_uri, "uri must not carry the scheme");
  cr_assert_null(r->created_at);

  char *json = NULL;
  cr_assert_eq(E.p.t->repository_to_json(r, &json), ALIEN_AR_OK);
  char want_json[512];
  snprintf(want_json, sizeof want_json,
           "{\"name\":\"%s\",\"uri\":\"%s\",\"createdAt\":null}", want_name,
           want_uri);
  cr_assert_str_eq(json, want_json);
  E.p.t->string_free(json);
  E.p.t->repository_free(r);
}

Test(local_ops_plain, uri_uses_registry_url_as_given) {
  char l[64], want_uri[192];
  local_repo_name(l, sizeof l);
  struct alien_ar_repository *r = local_create(&E, l);
  snprintf(want_uri, sizeof want_uri, "%s/b/%s", E.reg.hostport, l);
  cr_assert_str_eq(r->uri, want_uri);
  E.p.t->repository_free(r);
}

Test(local_ops, skopeo_reads_the_marker_manifest) {
  char l[64], repo[128], digest[72];
  local_repo_name(l, sizeof l);
  E.p.t->repository_free(local_create(&E, l));
  snprintf(repo, sizeof repo, "b/%s", l);
  char *raw = NULL;
  size_t len = 0;
  local_manifest_digest(&E, repo, "latest", digest, &raw, &len);
  cr_assert_eq(len, MARKER_SIZE, "manifest: %s", raw);
  cr_assert_str_eq(digest, MARKER_DIGEST, "manifest: %s", raw);

  json_object *m = json_tokener_parse(raw);
  cr_assert_not_null(m, "not JSON: %s", raw);
  json_object *v, *cfg, *ann, *layers;
  cr_assert(json_object_object_get_ex(m, "schemaVersion", &v));
  cr_assert_eq(json_object_get_int(v), 2);
  cr_assert(json_object_object_get_ex(m, "mediaType", &v));
  cr_assert_str_eq(json_object_get_string(v),
                   "application/vnd.oci.image.manifest.v1+json");
  cr_assert(json_object_object_get_ex(m, "layers", &layers));
  cr_assert_eq(json_object_array_length(layers), 0);
  cr_assert(json_object_object_get_ex(m, "annotations", &ann));
  cr_assert(json_object_object_get_ex(ann, "dev.alien.marker", &v));
  cr_assert_str_eq(json_object_get_string(v),
                   "empty-repository-created-by-alien");
  cr_assert(json_object_object_get_ex(m, "config", &cfg));
  cr_assert(json_object_object_get_ex(cfg, "digest", &v));
  cr_assert_str_eq(json_object_get_string(v), MARKER_CONFIG_DIGEST);
  cr_assert(json_object_object_get_ex(cfg, "size", &v));
  cr_assert_eq(json_object_get_int(v), 90);
  json_object_put(m);
  free(raw);
}

Test(local_ops, create_is_idempotent) {
  char l[64], repo[128], path[256], d1[72], d2[72];
  local_repo_name(l, sizeof l);
  snprintf(repo, sizeof repo, "b/%s", l);
  struct alien_ar_repository *a = local_create(&E, l);
  local_manifest_digest(&E, repo, "latest", d1, NULL, NULL);
  struct alien_ar_repository *b = local_create(&E, l);
  local_manifest_digest(&E, repo, "latest", d2, NULL, NULL);
  cr_assert_str_eq(a->name, b->name);
  cr_assert_str_eq(a->uri, b->uri);
  cr_assert_str_eq(d1, d2);
  path_of(path, sizeof path, "b", l, "manifests/latest");
  cr_assert_eq(ar_test_registry_count_requests(&E.reg, "PUT", path), 1,
               "the second create must not write the manifest again");
  E.p.t->repository_free(a);
  E.p.t->repository_free(b);
}

Test(local_ops, pushed_image_survives_create) {
  char l[64], repo[128], path[256], pushed[72], after[72];
  local_repo_name(l, sizeof l);
  snprintf(repo, sizeof repo, "b/%s", l);
  ar_test_skopeo_push_image(&E.reg, repo, "latest", pushed);
  local_manifest_digest(&E, repo, "latest", after, NULL, NULL);
  cr_assert_str_eq(after, pushed, "skopeo push sanity check");

  struct alien_ar_repository *r = local_create(&E, l);
  local_manifest_digest(&E, repo, "latest", after, NULL, NULL);
  cr_assert_str_eq(after, pushed, "create overwrote a real image");
  cr_assert_str_neq(after, MARKER_DIGEST);
  path_of(path, sizeof path, "b", l, "manifests/latest");
  cr_assert_eq(ar_test_registry_count_requests(&E.reg, "PUT", path), 1,
               "only skopeo's PUT of the manifest is expected");

  struct alien_ar_repository *g = local_get(&E, l);
  cr_assert_str_eq(g->name, repo);
  cr_assert_str_eq(g->name, r->name);
  E.p.t->repository_free(g);
  E.p.t->repository_free(r);
}

Test(local_ops, docker_schema2_image_survives_create) {
  char l[64], repo[128], path[256], pushed[72], after[72];
  local_repo_name(l, sizeof l);
  snprintf(repo, sizeof repo, "b/%s", l);
  ar_test_skopeo_push_image_v2s2(&E.reg, repo, "latest", pushed);
  E.p.t->repository_free(local_get(&E, l));
  E.p.t->repository_free(local_create(&E, l));
  local_manifest_digest(&E, repo, "latest", after, NULL, NULL);
  cr_assert_str_eq(after, pushed, "create overwrote a Docker image");
  path_of(path, sizeof path, "b", l, "manifests/latest");
  cr_assert_eq(ar_test_registry_count_requests(&E.reg, "PUT", path), 1);
}

Test(local_ops, multi_arch_index_survives_create) {
  char l[64], repo[128], image[72], index_digest[72], after[72];
  local_repo_name(l, sizeof l);
  snprintf(repo, sizeof repo, "b/%s", l);
  ar_test_skopeo_push_image(&E.reg, repo, "v1", image);
  char *raw = NULL;
  size_t raw_len = 0;
  local_manifest_digest(&E, repo, "v1", after, &raw, &raw_len);
  free(raw);
  char index[512];
  int n = snprintf(index, sizeof index,
                   "{\"schemaVersion\":2,\"mediaType\":\"application/"
                   "vnd.oci.image.index.v1+json\",\"manifests\":[{"
                   "\"mediaType\":\"application/"
                   "vnd.oci.image.manifest.v1+json\",\"digest\":\"%s\","
                   "\"size\":%zu,\"platform\":{\"architecture\":\"amd64\","
                   "\"os\":\"linux\"}}]}",
                   image, raw_len);
  cr_assert(n > 0 && (size_t)n < sizeof index);
  cr_assert_eq(ar_test_registry_put_manifest(
                   &E.reg, repo, "latest",
                   "application/vnd.oci.image.index.v1+json", index,
                   (size_t)n),
               201);
  ar_test_sha256_digest(index, (size_t)n, index_digest);

  E.p.t->repository_free(local_get(&E, l));
  E.p.t->repository_free(local_create(&E, l));
  local_manifest_digest(&E, repo, "latest", after, NULL, NULL);
  cr_assert_str_eq(after, index_digest, "create overwrote an image index");
}

Test(local_ops, other_tags_only_is_not_found_and_kept_by_create) {
  char l[64], repo[128], pushed[72], after[72];
  local_repo_name(l, sizeof l);
  snprintf(repo, sizeof repo, "b/%s", l);
  ar_test_skopeo_push_image(&E.reg, repo, "v1", pushed);
  /* get probes only `latest` (contract section 6). */
  E.p.t->error_free(
      local_get_fails(&E, l, ALIEN_AR_ERR_NOT_FOUND, "RESOURCE_NOT_FOUND"));
  E.p.t->repository_free(local_create(&E, l));
  local_manifest_digest(&E, repo, "v1", after, NULL, NULL);
  cr_assert_str_eq(after, pushed);
  local_manifest_digest(&E, repo, "latest", after, NULL, NULL);
  cr_assert_str_eq(after, MARKER_DIGEST);
}

Test(local_ops, get_by_logical_and_routable_id) {
  char l[64], want_uri[192];
  local_repo_name(l, sizeof l);
  struct alien_ar_repository *c = local_create(&E, l);
  snprintf(want_uri, sizeof want_uri, "%s/b/%s", E.reg.ip_hostport, l);
  struct alien_ar_repository *by_routable = local_get(&E, c->name);
  struct alien_ar_repository *by_logical = local_get(&E, l);
  cr_assert_str_eq(by_routable->name, c->name);
  cr_assert_str_eq(by_logical->name, c->name);
  cr_assert_str_eq(by_routable->uri, want_uri);
  cr_assert_str_eq(by_logical->uri, want_uri);
  cr_assert_null(by_routable->created_at);
  E.p.t->repository_free(by_routable);
  E.p.t->repository_free(by_logical);
  E.p.t->repository_free(c);
}

static void expect_not_found(const char *id) {
  struct alien_ar_error *err = local_get_fails(
      &E, id, ALIEN_AR_ERR_NOT_FOUND, "RESOURCE_NOT_FOUND");
  char msg[256], ctx[256];
  snprintf(msg, sizeof msg, "Resource '%s' not found", id);
  snprintf(ctx, sizeof ctx, "{\"resource_id\":\"%s\"}", id);
  cr_assert_str_eq(err->message, msg);
  cr_assert_str_eq(err->context_json, ctx);
  cr_assert_eq(err->http_status_code, 404);
  cr_assert_eq(err->retryable, 0);
  cr_assert_eq(err->internal, 0);
  cr_assert_null(err->source);
  E.p.t->error_free(err);
}

Test(local_ops, get_never_created_is_not_found) {
  char l[64], routable[128];
  local_repo_name(l, sizeof l);
  snprintf(routable, sizeof routable, "b/%s", l);
  expect_not_found(l);
  expect_not_found(routable);
}

Test(local_ops, multi_segment_logical_name) {
  char l[96], want[160], digest[72];
  char hex[9];
  ar_test_random_hex(hex, 8);
  snprintf(l, sizeof l, "team-%s/app", hex);
  struct alien_ar_repository *c = local_create(&E, l);
  snprintf(want, sizeof want, "b/%s", l);
  cr_assert_str_eq(c->name, want);
  local_manifest_digest(&E, want, "latest", digest, NULL, NULL);
  cr_assert_str_eq(digest, MARKER_DIGEST);
  struct alien_ar_repository *g1 = local_get(&E, l);
  struct alien_ar_repository *g2 = local_get(&E, c->name);
  cr_assert_str_eq(g1->name, want);
  cr_assert_str_eq(g2->name, want);
  local_delete(&E, c->name);
  expect_not_found(c->name);
  E.p.t->repository_free(g1);
  E.p.t->repository_free(g2);
  E.p.t->repository_free(c);
}

Test(local_ops, name_at_255_chars_is_accepted) {
  /* "b/" + 253 = 255, the registry's limit. */
  char l[260];
  ar_test_random_hex(l, 32);
  memset(l + 32, 'a', 253 - 32);
  l[253] = '\0';
  struct alien_ar_repository *c = local_create(&E, l);
  cr_assert_eq(strlen(c->name), 255);
  E.p.t->repository_free(local_get(&E, c->name));
  E.p.t->repository_free(c);
}

static void expect_invalid(const char *op, alien_ar_status st,
                           struct alien_ar_error *err, const char *name) {
  char what[400], prefix[64];
  snprintf(what, sizeof what, "%s(\"%.300s\")", op, name);
  ar_test_check_error(&E.p, st, err, ALIEN_AR_ERR_INVALID_INPUT,
                      "INVALID_INPUT", what);
  snprintf(prefix, sizeof prefix, "%s: Invalid input - ", op);
  cr_assert(strncmp(err->message, prefix, strlen(prefix)) == 0,
            "%s: message '%s'", what, err->message);
  cr_assert_gt(strlen(err->message), strlen(prefix), "%s: no details", what);
  cr_assert_eq(err->retryable, 0, "%s", what);
  cr_assert_eq(err->http_status_code, 400, "%s", what);
  E.p.t->error_free(err);
}

Test(local_ops, invalid_names_make_no_request) {
  char long_name[301];
  memset(long_name, 'a', 300);
  long_name[300] = '\0';
  char over_by_one[260]; /* "b/" + 254 = 256 */
  memset(over_by_one, 'a', 254);
  over_by_one[254] = '\0';
  const char *bad[] = {"Upper",  "a..b",   "-x",    "",     long_name,
                       over_by_one, "x-",  "a___b", "a//b", "/a",
                       "a/",     "a b",    "a:tag", "a@x",  "\xc3\xbc"};
  int before = ar_test_registry_count_requests(&E.reg, NULL, NULL);
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    struct alien_ar_repository *r = NULL;
    struct alien_ar_error *err = NULL;
    alien_ar_status st = E.p.t->create_repository(E.h, bad[i], &r, &err);
    expect_invalid("create_repository", st, err, bad[i]);
    cr_assert_null(r);
    err = NULL;
    st = E.p.t->get_repository(E.h, bad[i], &r, &err);
    expect_invalid("get_repository", st, err, bad[i]);
    cr_assert_null(r);
    err = NULL;
    st = E.p.t->delete_repository(E.h, bad[i], &err);
    expect_invalid("delete_repository", st, err, bad[i]);
  }
  int after = ar_test_registry_count_requests(&E.reg, NULL, NULL);
  char *log = ar_test_registry_log(&E.reg);
  cr_assert_eq(after, before, "%d requests reached the registry:\n%s",
               after - before, log);
  free(log);
}
