#include "plugin_loader.h"

#include <criterion/criterion.h>
#include <dlfcn.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void ar_test_plugin_load(struct ar_test_plugin *p) {
  memset(p, 0, sizeof *p);
  p->dl = dlopen(ALIEN_AR_TEST_PLUGIN_PATH, RTLD_NOW | RTLD_LOCAL);
  cr_assert_not_null(p->dl, "dlopen(%s): %s", ALIEN_AR_TEST_PLUGIN_PATH,
                     dlerror());
  void *sym = dlsym(p->dl, ALIEN_AR_ENTRY_SYMBOL);
  cr_assert_not_null(sym, "dlsym(%s): %s", ALIEN_AR_ENTRY_SYMBOL, dlerror());
  /* ISO C has no object-to-function pointer cast; POSIX guarantees this
   * round trip for dlsym results. */
  memcpy(&p->negotiate, &sym, sizeof p->negotiate);
  alien_ar_status st = p->negotiate(ALIEN_AR_ABI_MAJOR, ALIEN_AR_ABI_MINOR,
                                    &p->agreed_minor, &p->t);
  cr_assert_eq(st, ALIEN_AR_OK, "negotiate(1, 0) returned %d", st);
  cr_assert_not_null(p->t, "negotiate returned no table");
  cr_assert_geq(p->t->struct_size, sizeof(struct alien_ar_plugin));
}

void ar_test_plugin_unload(struct ar_test_plugin *p) {
  if (p && p->dl)
    dlclose(p->dl);
  if (p)
    memset(p, 0, sizeof *p);
}

/* ---- log capture -------------------------------------------------------- */

static void capture_log(void *user_data, int32_t level, const char *message) {
  struct ar_test_log *l = user_data;
  char head[16];
  int hn = snprintf(head, sizeof head, "%d ", (int)level);
  size_t mlen = message ? strlen(message) : 6;
  pthread_mutex_lock(&l->mu);
  size_t need = l->len + (size_t)hn + mlen + 2;
  if (need > l->cap) {
    size_t cap = l->cap ? l->cap : 4096;
    while (cap < need)
      cap *= 2;
    char *nb = realloc(l->buf, cap);
    if (!nb) {
      pthread_mutex_unlock(&l->mu);
      return;
    }
    l->buf = nb;
    l->cap = cap;
  }
  memcpy(l->buf + l->len, head, (size_t)hn);
  l->len += (size_t)hn;
  memcpy(l->buf + l->len, message ? message : "(null)", mlen);
  l->len += mlen;
  l->buf[l->len++] = '\n';
  l->buf[l->len] = '\0';
  l->per_level[(level >= 1 && level <= 5) ? level : 0]++;
  l->total++;
  if (level > l->max_level_seen)
    l->max_level_seen = level;
  pthread_mutex_unlock(&l->mu);
}

void ar_test_log_init(struct ar_test_log *l, int32_t level) {
  memset(l, 0, sizeof *l);
  pthread_mutex_init(&l->mu, NULL);
  l->host.struct_size = sizeof l->host;
  l->host.log_level = level;
  l->host.log = capture_log;
  l->host.user_data = l;
}

void ar_test_log_destroy(struct ar_test_log *l) {
  if (!l->host.struct_size)
    return;
  pthread_mutex_destroy(&l->mu);
  free(l->buf);
  memset(l, 0, sizeof *l);
}

size_t ar_test_log_total(struct ar_test_log *l) {
  pthread_mutex_lock(&l->mu);
  size_t n = l->total;
  pthread_mutex_unlock(&l->mu);
  return n;
}

size_t ar_test_log_count(struct ar_test_log *l, int32_t level) {
  pthread_mutex_lock(&l->mu);
  size_t n = l->per_level[(level >= 1 && level <= 5) ? level : 0];
  pthread_mutex_unlock(&l->mu);
  return n;
}

int32_t ar_test_log_max_level(struct ar_test_log *l) {
  pthread_mutex_lock(&l->mu);
  int32_t m = l->max_level_seen;
  pthread_mutex_unlock(&l->mu);
  return m;
}

char *ar_test_log_text(struct ar_test_log *l) {
  pthread_mutex_lock(&l->mu);
  char *copy = malloc(l->len + 1);
  if (copy) {
    if (l->len)
      memcpy(copy, l->buf, l->len);
    copy[l->len] = '\0';
  }
  pthread_mutex_unlock(&l->mu);
  cr_assert_not_null(copy);
  return copy;
}

/* ---- handles and errors ------------------------------------------------- */

static char *dup_str(const char *s) {
  size_t n = strlen(s) + 1;
  char *d = malloc(n);
  cr_assert_not_null(d);
  memcpy(d, s, n);
  return d;
}

char *ar_test_local_config(const char *registry_url) {
  json_object *o = json_object_new_object();
  json_object_object_add(o, "service", json_object_new_string("local"));
  json_object_object_add(o, "registryUrl",
                         json_object_new_string(registry_url));
  json_object_object_add(o, "dataDir", NULL);
  char *s = dup_str(json_object_to_json_string_ext(
      o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
  json_object_put(o);
  return s;
}

alien_ar_handle *ar_test_open_local(const struct ar_test_plugin *p,
                                    const char *binding,
                                    const char *registry_url,
                                    const struct alien_ar_host *host) {
  char *cfg = ar_test_local_config(registry_url);
  alien_ar_handle *h = NULL;
  struct alien_ar_error *err = NULL;
  alien_ar_status st = p->t->open(binding, cfg, host, &h, &err);
  free(cfg);
  ar_test_expect_ok(p, st, err, "open");
  cr_assert_not_null(h, "open returned OK without a handle");
  return h;
}

char *ar_test_error_json(const struct ar_test_plugin *p,
                         const struct alien_ar_error *err) {
  char *out = NULL;
  alien_ar_status st = p->t->error_to_json(err, &out);
  cr_assert_eq(st, ALIEN_AR_OK, "error_to_json returned %d", st);
  cr_assert_not_null(out, "error_to_json returned OK without output");
  char *copy = dup_str(out);
  p->t->string_free(out);
  return copy;
}

void ar_test_expect_ok(const struct ar_test_plugin *p, alien_ar_status st,
                       struct alien_ar_error *err, const char *what) {
  if (st == ALIEN_AR_OK && err == NULL)
    return;
  char *json = err ? ar_test_error_json(p, err) : dup_str("(no error object)");
  p->t->error_free(err);
  cr_assert_fail("%s: expected OK, got status %d, err %s", what, st, json);
}

void ar_test_check_error(const struct ar_test_plugin *p, alien_ar_status st,
                         const struct alien_ar_error *err,
                         alien_ar_status want_status, const char *want_code,
                         const char *what) {
  cr_assert_not_null(err, "%s: status %d but no error object", what, st);
  char *json = ar_test_error_json(p, err);
  cr_assert_eq(st, want_status, "%s: status %d, want %d; error %s", what, st,
               want_status, json);
  cr_assert_eq(err->status, want_status,
               "%s: err->status %d differs from the returned class; %s", what,
               err->status, json);
  cr_assert_geq(err->struct_size, sizeof(struct alien_ar_error), "%s", what);
  cr_assert_not_null(err->code, "%s", what);
  cr_assert_not_null(err->message, "%s", what);
  cr_assert_str_eq(err->code, want_code, "%s: code; error %s", what, json);
  free(json);
}

void ar_test_expect_error(const struct ar_test_plugin *p, alien_ar_status st,
                          struct alien_ar_error *err,
                          alien_ar_status want_status, const char *want_code,
                          const char *what) {
  ar_test_check_error(p, st, err, want_status, want_code, what);
  p->t->error_free(err);
}

int ar_test_json_equal(const char *a, const char *b) {
  json_object *ja = json_tokener_parse(a);
  json_object *jb = json_tokener_parse(b);
  int eq = ja && jb && json_object_equal(ja, jb);
  json_object_put(ja);
  json_object_put(jb);
  return eq;
}
