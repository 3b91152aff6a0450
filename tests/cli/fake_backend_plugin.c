/* A second ABI 1.0 plugin, "cli-fake-backend", serving the service "fake"
 * with canned answers and no network, so a session can hold two plugins
 * at once and route handles between them. Not thread-safe beyond what the
 * tests need. */
#include <alien/artifact_registry.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct alien_ar_handle {
  char binding[128];
};

static char *dupf(const char *a, const char *b, const char *c) {
  size_t n = strlen(a) + strlen(b) + strlen(c) + 1;
  char *s = malloc(n);
  if (s)
    snprintf(s, n, "%s%s%s", a, b, c);
  return s;
}

static struct alien_ar_error *make_error(alien_ar_status st,
                                         const char *code,
                                         const char *message) {
  struct alien_ar_error *e = calloc(1, sizeof *e);
  if (!e)
    return NULL;
  e->struct_size = sizeof *e;
  e->status = st;
  e->code = strdup(code);
  e->message = strdup(message);
  e->http_status_code = st == ALIEN_AR_ERR_NOT_FOUND ? 404 : 501;
  return e;
}

static alien_ar_status fail(struct alien_ar_error **err, alien_ar_status st,
                            const char *code, const char *message) {
  if (err)
    *err = make_error(st, code, message);
  return st;
}

static size_t backend_count(void) { return 1; }

static const char *backend_name(size_t i) { return i == 0 ? "fake" : NULL; }

static alien_ar_status fake_open(const char *binding, const char *config,
                                 const struct alien_ar_host *host,
                                 alien_ar_handle **out,
                                 struct alien_ar_error **err) {
  (void)host;
  if (out)
    *out = NULL;
  if (!binding || !config || !out)
    return fail(err, ALIEN_AR_ERR_INVALID_ARGUMENT, "INVALID_ARGUMENT",
                "NULL argument");
  if (!strstr(config, "\"service\":\"fake\""))
    return fail(err, ALIEN_AR_ERR_CONFIG, "BINDING_CONFIG_INVALID",
                "fake plugin: not a fake config");
  alien_ar_handle *h = calloc(1, sizeof *h);
  if (!h)
    return ALIEN_AR_ERR_NO_MEMORY;
  snprintf(h->binding, sizeof h->binding, "%s", binding);
  *out = h;
  return ALIEN_AR_OK;
}

static void fake_close(alien_ar_handle *h) { free(h); }

static alien_ar_status endpoint(alien_ar_handle *h, char **out,
                                struct alien_ar_error **err) {
  (void)err;
  *out = dupf("fake://", h->binding, "");
  return ALIEN_AR_OK;
}

static alien_ar_status prefix(alien_ar_handle *h, char **out,
                              struct alien_ar_error **err) {
  (void)h;
  (void)err;
  *out = strdup("fake/prefix");
  return ALIEN_AR_OK;
}

static struct alien_ar_repository *repo(const alien_ar_handle *h,
                                        const char *name) {
  struct alien_ar_repository *r = calloc(1, sizeof *r);
  if (!r)
    return NULL;
  r->struct_size = sizeof *r;
  r->name = dupf(h->binding, "/", name);
  r->uri = dupf("fake.invalid/", h->binding, "");
  return r;
}

static alien_ar_status create(alien_ar_handle *h, const char *name,
                              struct alien_ar_repository **out,
                              struct alien_ar_error **err) {
  (void)err;
  *out = repo(h, name);
  return ALIEN_AR_OK;
}

static alien_ar_status get(alien_ar_handle *h, const char *id,
                           struct alien_ar_repository **out,
                           struct alien_ar_error **err) {
  (void)h;
  (void)id;
  *out = NULL;
  return fail(err, ALIEN_AR_ERR_NOT_FOUND, "RESOURCE_NOT_FOUND",
              "fake plugin: nothing is ever found");
}

static alien_ar_status del(alien_ar_handle *h, const char *id,
                           struct alien_ar_error **err) {
  (void)h;
  (void)id;
  (void)err;
  return ALIEN_AR_OK;
}

static alien_ar_status creds(alien_ar_handle *h, const char *id,
                             int32_t perms, int64_t ttl,
                             struct alien_ar_credentials **out,
                             struct alien_ar_error **err) {
  (void)h;
  (void)id;
  (void)perms;
  (void)ttl;
  (void)err;
  struct alien_ar_credentials *c = calloc(1, sizeof *c);
  if (!c)
    return ALIEN_AR_ERR_NO_MEMORY;
  c->struct_size = sizeof *c;
  c->auth_method = ALIEN_AR_AUTH_BEARER;
  c->username = strdup("");
  c->password = strdup("fake-token");
  *out = c;
  return ALIEN_AR_OK;
}

static alien_ar_status cross_change(alien_ar_handle *h, const char *id,
                                    const char *access,
                                    struct alien_ar_error **err) {
  (void)h;
  (void)id;
  (void)access;
  return fail(err, ALIEN_AR_ERR_NOT_SUPPORTED, "OPERATION_NOT_SUPPORTED",
              "fake plugin: no cross-account access");
}

static alien_ar_status cross_get(alien_ar_handle *h, const char *id,
                                 char **out, struct alien_ar_error **err) {
  (void)h;
  (void)id;
  *out = NULL;
  return fail(err, ALIEN_AR_ERR_NOT_SUPPORTED, "OPERATION_NOT_SUPPORTED",
              "fake plugin: no cross-account access");
}

static void string_free(char *s) { free(s); }

static void repository_free(struct alien_ar_repository *r) {
  if (!r)
    return;
  free((char *)r->name);
  free((char *)r->uri);
  free(r);
}

static void credentials_free(struct alien_ar_credentials *c) {
  if (!c)
    return;
  free((char *)c->username);
  free((char *)c->password);
  free(c);
}

static void error_free(struct alien_ar_error *e) {
  if (!e)
    return;
  free((char *)e->code);
  free((char *)e->message);
  free(e);
}

static alien_ar_status error_to_json(const struct alien_ar_error *e,
                                     char **out) {
  size_t n = strlen(e->code) + strlen(e->message) + 128;
  *out = malloc(n);
  if (!*out)
    return ALIEN_AR_ERR_NO_MEMORY;
  snprintf(*out, n,
           "{\"code\":\"%s\",\"message\":\"%s\",\"retryable\":false,"
           "\"internal\":false,\"httpStatusCode\":%d}",
           e->code, e->message, (int)e->http_status_code);
  return ALIEN_AR_OK;
}

static alien_ar_status repository_to_json(
    const struct alien_ar_repository *r, char **out) {
  size_t n = strlen(r->name) + strlen(r->uri) + 64;
  *out = malloc(n);
  if (!*out)
    return ALIEN_AR_ERR_NO_MEMORY;
  snprintf(*out, n, "{\"name\":\"%s\",\"uri\":\"%s\",\"createdAt\":null}",
           r->name, r->uri);
  return ALIEN_AR_OK;
}

static alien_ar_status credentials_to_json(
    const struct alien_ar_credentials *c, char **out) {
  size_t n = strlen(c->username) + strlen(c->password) + 96;
  *out = malloc(n);
  if (!*out)
    return ALIEN_AR_ERR_NO_MEMORY;
  snprintf(*out, n,
           "{\"authMethod\":\"bearer\",\"username\":\"%s\",\"password\":"
           "\"%s\",\"expiresAt\":null}",
           c->username, c->password);
  return ALIEN_AR_OK;
}

static const char *status_string(alien_ar_status st) {
  return st == ALIEN_AR_OK ? "ok" : "fake failure";
}

static const char *handle_backend(const alien_ar_handle *h) {
  return h ? "fake" : NULL;
}

static const struct alien_ar_plugin table = {
    .struct_size = sizeof(struct alien_ar_plugin),
    .abi_major = ALIEN_AR_ABI_MAJOR,
    .abi_minor = 0,
    .reserved = 0,
    .plugin_name = "cli-fake-backend",
    .plugin_version = "0.0.1",
    .backend_count = backend_count,
    .backend_name = backend_name,
    .open = fake_open,
    .close = fake_close,
    .registry_endpoint = endpoint,
    .upstream_repository_prefix = prefix,
    .create_repository = create,
    .get_repository = get,
    .delete_repository = del,
    .generate_credentials = creds,
    .add_cross_account_access = cross_change,
    .remove_cross_account_access = cross_change,
    .get_cross_account_access = cross_get,
    .string_free = string_free,
    .repository_free = repository_free,
    .credentials_free = credentials_free,
    .error_free = error_free,
    .error_to_json = error_to_json,
    .repository_to_json = repository_to_json,
    .credentials_to_json = credentials_to_json,
    .status_string = status_string,
    .handle_backend = handle_backend,
};

__attribute__((visibility("default"))) alien_ar_status
alien_ar_plugin_negotiate(uint32_t host_abi_major, uint32_t host_abi_minor,
                          uint32_t *agreed_minor,
                          const struct alien_ar_plugin **out) {
  (void)host_abi_minor;
  if (!out)
    return ALIEN_AR_ERR_INVALID_ARGUMENT;
  *out = NULL;
  if (host_abi_major != ALIEN_AR_ABI_MAJOR)
    return ALIEN_AR_ERR_ABI_MISMATCH;
  if (agreed_minor)
    *agreed_minor = 0;
  *out = &table;
  return ALIEN_AR_OK;
}
