#include "oci_env.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define JSON_FLAGS (JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE)

void oci_env_start(struct oci_env *e, const struct oci_env_options *o) {
  static const struct oci_env_options defaults = {0};
  if (!o)
    o = &defaults;
  memset(e, 0, sizeof *e);
  snprintf(e->binding, sizeof e->binding, "%s",
           o->binding ? o->binding : "b");
  snprintf(e->ns, sizeof e->ns, "%s", o->ns ? o->ns : "team");
  struct ar_test_tls_registry_options ro = {
      .auth = o->auth,
      .plain_http = o->plain_http,
      .access_log = o->access_log,
      .delete_disabled = o->delete_disabled,
  };
  if (o->auth == AR_TEST_AUTH_TOKEN) {
    struct ar_test_token_issuer_options io = {.expires_in = o->expires_in};
    char hex[25];
    if (o->issuer_needs_auth) {
      ar_test_random_hex(hex, 24);
      snprintf(e->username, sizeof e->username, "tokenuser");
      snprintf(e->password, sizeof e->password, "tk-%s", hex);
      io.username = e->username;
      io.password = e->password;
    }
    ar_test_token_issuer_start(&e->ti, &io);
    ro.issuer = &e->ti;
  }
  ar_test_tls_registry_start(&e->reg, &ro);
  if (o->auth == AR_TEST_AUTH_BASIC) {
    snprintf(e->username, sizeof e->username, "%s", e->reg.username);
    snprintf(e->password, sizeof e->password, "%s", e->reg.password);
  }
  e->started = 1;
  ar_test_plugin_load(&e->p);
  ar_test_log_init(&e->log, o->log_level_off ? 0 : ALIEN_AR_LOG_TRACE);
  if (!o->no_open) {
    json_object *cfg = oci_config(e);
    e->h = oci_open_ok(e, e->binding, cfg);
    json_object_put(cfg);
  }
}

void oci_env_stop(struct oci_env *e) {
  if (e->h && e->p.t)
    e->p.t->close(e->h);
  e->h = NULL;
  ar_test_plugin_unload(&e->p);
  ar_test_log_destroy(&e->log);
  ar_test_tls_registry_stop(&e->reg);
  ar_test_token_issuer_stop(&e->ti);
  e->started = 0;
}

json_object *oci_config(const struct oci_env *e) {
  json_object *o = json_object_new_object();
  json_object_object_add(o, "service", json_object_new_string("oci"));
  json_object_object_add(o, "registryUrl", json_object_new_string(e->reg.url));
  if (e->ns[0])
    json_object_object_add(o, "namespace", json_object_new_string(e->ns));
  if (e->username[0]) {
    json_object_object_add(o, "username", json_object_new_string(e->username));
    json_object_object_add(o, "password", json_object_new_string(e->password));
  }
  if (e->reg.tls)
    json_object_object_add(o, "caFile", json_object_new_string(e->reg.ca_file));
  return o;
}

char *oci_config_text(json_object *cfg) {
  const char *s = json_object_to_json_string_ext(cfg, JSON_FLAGS);
  size_t n = strlen(s) + 1;
  char *d = malloc(n);
  cr_assert_not_null(d);
  memcpy(d, s, n);
  return d;
}

alien_ar_status oci_open_cfg(struct oci_env *e, const char *binding,
                             json_object *cfg, alien_ar_handle **h,
                             struct alien_ar_error **err) {
  char *text = oci_config_text(cfg);
  alien_ar_status st = e->p.t->open(binding, text, &e->log.host, h, err);
  free(text);
  return st;
}

alien_ar_handle *oci_open_ok(struct oci_env *e, const char *binding,
                             json_object *cfg) {
  alien_ar_handle *h = NULL;
  struct alien_ar_error *err = NULL;
  alien_ar_status st = oci_open_cfg(e, binding, cfg, &h, &err);
  if (st != ALIEN_AR_OK || err) {
    char *text = oci_config_text(cfg);
    char *json = err ? oci_error_json(e, err) : NULL;
    e->p.t->error_free(err);
    cr_assert_fail("open(%s, %s): status %d, error %s", binding, text, st,
                   json ? json : "(none)");
  }
  cr_assert_not_null(h, "open returned OK without a handle");
  const char *backend = e->p.t->handle_backend(h);
  cr_assert(backend && strcmp(backend, "oci") == 0,
            "handle_backend is %s, want oci", backend ? backend : "NULL");
  return h;
}

alien_ar_handle *oci_open_wrong_password(struct oci_env *e, char *wrong) {
  char hex[25];
  ar_test_random_hex(hex, 24);
  snprintf(wrong, 64, "wrong-%s", hex);
  json_object *cfg = oci_config(e);
  json_object_object_add(cfg, "password", json_object_new_string(wrong));
  alien_ar_handle *h = oci_open_ok(e, "b", cfg);
  json_object_put(cfg);
  return h;
}

void oci_repo_name(char *out, size_t size) {
  char hex[25];
  ar_test_random_hex(hex, 24);
  snprintf(out, size, "alien-oci-%s", hex);
}

char *oci_error_json(struct oci_env *e, const struct alien_ar_error *err) {
  return ar_test_error_json(&e->p, err);
}

struct alien_ar_repository *oci_create(struct oci_env *e, alien_ar_handle *h,
                                       const char *name) {
  struct alien_ar_repository *r = NULL;
  struct alien_ar_error *err = NULL;
  alien_ar_status st = e->p.t->create_repository(h, name, &r, &err);
  ar_test_expect_ok(&e->p, st, err, name);
  cr_assert_not_null(r, "create(%s): OK without a repository", name);
  cr_assert_geq(r->struct_size, sizeof(struct alien_ar_repository));
  cr_assert_not_null(r->name);
  return r;
}

struct alien_ar_repository *oci_get(struct oci_env *e, alien_ar_handle *h,
                                    const char *id) {
  struct alien_ar_repository *r = NULL;
  struct alien_ar_error *err = NULL;
  alien_ar_status st = e->p.t->get_repository(h, id, &r, &err);
  ar_test_expect_ok(&e->p, st, err, id);
  cr_assert_not_null(r, "get(%s): OK without a repository", id);
  cr_assert_not_null(r->name);
  return r;
}

void oci_delete(struct oci_env *e, alien_ar_handle *h, const char *id) {
  struct alien_ar_error *err = NULL;
  alien_ar_status st = e->p.t->delete_repository(h, id, &err);
  ar_test_expect_ok(&e->p, st, err, id);
}

struct alien_ar_credentials *oci_credentials(struct oci_env *e,
                                             alien_ar_handle *h,
                                             const char *id, int32_t perms,
                                             int64_t ttl) {
  struct alien_ar_credentials *c = NULL;
  struct alien_ar_error *err = NULL;
  alien_ar_status st = e->p.t->generate_credentials(h, id, perms, ttl, &c,
                                                    &err);
  ar_test_expect_ok(&e->p, st, err, id);
  cr_assert_not_null(c, "generate_credentials(%s): OK without credentials",
                     id);
  cr_assert_geq(c->struct_size, sizeof(struct alien_ar_credentials));
  cr_assert_not_null(c->username);
  cr_assert_not_null(c->password);
  return c;
}

struct alien_ar_error *oci_get_fails(struct oci_env *e, alien_ar_handle *h,
                                     const char *id, alien_ar_status status,
                                     const char *code) {
  struct alien_ar_repository *r = NULL;
  struct alien_ar_error *err = NULL;
  alien_ar_status st = e->p.t->get_repository(h, id, &r, &err);
  ar_test_check_error(&e->p, st, err, status, code, id);
  cr_assert_null(r, "get(%s) failed but returned a repository", id);
  return err;
}

static const char B64[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

char *oci_base64(const char *s) {
  size_t len = strlen(s);
  char *out = malloc(4 * ((len + 2) / 3) + 1);
  cr_assert_not_null(out);
  size_t o = 0;
  const unsigned char *in = (const unsigned char *)s;
  for (size_t i = 0; i < len; i += 3) {
    unsigned v = (unsigned)in[i] << 16;
    if (i + 1 < len)
      v |= (unsigned)in[i + 1] << 8;
    if (i + 2 < len)
      v |= in[i + 2];
    out[o++] = B64[(v >> 18) & 63];
    out[o++] = B64[(v >> 12) & 63];
    out[o++] = i + 1 < len ? B64[(v >> 6) & 63] : '=';
    out[o++] = i + 2 < len ? B64[v & 63] : '=';
  }
  out[o] = '\0';
  return out;
}

static void check_pair(const char *text, const char *user, const char *pass,
                       const char *what) {
  if (!pass || !pass[0])
    return;
  cr_assert(strstr(text, pass) == NULL, "%s contains the password %s:\n%s",
            what, pass, text);
  char pair[256];
  snprintf(pair, sizeof pair, "%s:%s", user ? user : "", pass);
  char *b64 = oci_base64(pair);
  /* the padding-free prefix is what would show in a truncated header */
  size_t n = strlen(b64);
  while (n && b64[n - 1] == '=')
    b64[--n] = '\0';
  int found = strstr(text, b64) != NULL;
  cr_assert(!found, "%s contains base64(user:password) %s:\n%s", what, b64,
            text);
  free(b64);
}

void oci_assert_no_secret(struct oci_env *e, const char *text,
                          const char *extra_user, const char *extra,
                          const char *what) {
  check_pair(text, e->username, e->password, what);
  check_pair(text, extra_user ? extra_user : e->username, extra, what);
  if (e->ti.port)
    cr_assert(!ar_test_token_issuer_leaked_in(&e->ti, text),
              "%s contains a token the issuer handed out:\n%s", what, text);
}

void oci_assert_log_clean(struct oci_env *e, const char *extra_user,
                          const char *extra) {
  char *log = ar_test_log_text(&e->log);
  oci_assert_no_secret(e, log, extra_user, extra, "the host log");
  free(log);
}

int oci_skopeo_raw(struct oci_env *e, const char *repo, const char *tag,
                   char **raw, size_t *len, char **err) {
  char creds[256];
  const char *c = NULL;
  char *token = NULL;
  if (e->reg.auth == AR_TEST_AUTH_BASIC) {
    ar_test_tls_registry_creds(&e->reg, creds, sizeof creds);
    c = creds;
  } else if (e->reg.auth == AR_TEST_AUTH_TOKEN) {
    char scope[512];
    snprintf(scope, sizeof scope, "repository:%s:pull", repo);
    const char *scopes[] = {scope, NULL};
    token = ar_test_token_issuer_mint(&e->ti, scopes, 300);
  }
  int rc = ar_test_tls_skopeo_inspect(&e->reg, repo, tag, c, token, 1, raw,
                                      len, err);
  free(token);
  return rc;
}
