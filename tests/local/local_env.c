#include "local_env.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void local_env_start(struct local_env *e, const struct local_env_options *o) {
  static const struct local_env_options defaults = {0};
  if (!o)
    o = &defaults;
  memset(e, 0, sizeof *e);
  snprintf(e->binding, sizeof e->binding, "%s",
           o->binding ? o->binding : "b");
  ar_test_registry_start(&e->reg, &o->reg);
  ar_test_plugin_load(&e->p);
  ar_test_log_init(&e->log, o->log_level);
  snprintf(e->url_used, sizeof e->url_used, "%s",
           o->url_with_scheme ? e->reg.url : e->reg.hostport);
  e->h = ar_test_open_local(&e->p, e->binding, e->url_used, &e->log.host);
}

void local_env_stop(struct local_env *e) {
  if (e->h && e->p.t)
    e->p.t->close(e->h);
  e->h = NULL;
  ar_test_plugin_unload(&e->p);
  ar_test_log_destroy(&e->log);
  ar_test_registry_stop(&e->reg);
}

void local_repo_name(char *out, size_t size) {
  char hex[33];
  ar_test_random_hex(hex, 32);
  snprintf(out, size, "alien-test-local-%s", hex);
}

struct alien_ar_repository *local_create(struct local_env *e,
                                         const char *name) {
  struct alien_ar_repository *r = NULL;
  struct alien_ar_error *err = NULL;
  alien_ar_status st = e->p.t->create_repository(e->h, name, &r, &err);
  ar_test_expect_ok(&e->p, st, err, name);
  cr_assert_not_null(r, "create(%s): OK without a repository", name);
  cr_assert_geq(r->struct_size, sizeof(struct alien_ar_repository));
  cr_assert_not_null(r->name);
  return r;
}

struct alien_ar_repository *local_get(struct local_env *e, const char *id) {
  struct alien_ar_repository *r = NULL;
  struct alien_ar_error *err = NULL;
  alien_ar_status st = e->p.t->get_repository(e->h, id, &r, &err);
  ar_test_expect_ok(&e->p, st, err, id);
  cr_assert_not_null(r, "get(%s): OK without a repository", id);
  cr_assert_geq(r->struct_size, sizeof(struct alien_ar_repository));
  cr_assert_not_null(r->name);
  return r;
}

void local_delete(struct local_env *e, const char *id) {
  struct alien_ar_error *err = NULL;
  alien_ar_status st = e->p.t->delete_repository(e->h, id, &err);
  ar_test_expect_ok(&e->p, st, err, id);
}

struct alien_ar_error *local_get_fails(struct local_env *e, const char *id,
                                       alien_ar_status status,
                                       const char *code) {
  struct alien_ar_repository *r = NULL;
  struct alien_ar_error *err = NULL;
  alien_ar_status st = e->p.t->get_repository(e->h, id, &r, &err);
  ar_test_check_error(&e->p, st, err, status, code, id);
  cr_assert_null(r, "get(%s) failed but returned a repository", id);
  return err;
}

void local_manifest_digest(struct local_env *e, const char *name,
                           const char *tag, char digest[72], char **raw,
                           size_t *raw_len) {
  char *out = NULL, *err = NULL;
  size_t len = 0;
  int rc = ar_test_skopeo_inspect_raw(&e->reg, name, tag, &out, &len, &err);
  cr_assert_eq(rc, 0, "skopeo inspect %s:%s failed (%d): %s", name, tag, rc,
               err);
  free(err);
  ar_test_sha256_digest(out, len, digest);
  if (raw) {
    *raw = out;
    if (raw_len)
      *raw_len = len;
  } else {
    free(out);
  }
}
