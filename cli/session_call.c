#include "session_call.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"

#define OP "session.call"

struct call {
  const struct alien_ar_plugin *t;
  alien_ar_handle *h;
  json_object *args;
  struct session_reply *r;
};

/* ---- arguments ------------------------------------------------------ */

/* A required string argument without NUL bytes; NULL (and an error in
 * the reply) otherwise. */
static const char *string_arg(struct call *c, const char *key)
{
  json_object *v = NULL;
  const char *s;

  if(!c->args || !json_object_object_get_ex(c->args, key, &v) || !v) {
    session_reply_invalid(c->r, OP, key, "args.%s is required", key);
    return NULL;
  }
  if(!json_object_is_type(v, json_type_string)) {
    session_reply_invalid(c->r, OP, key, "args.%s must be a string", key);
    return NULL;
  }
  s = json_object_get_string(v);
  if(strlen(s) != (size_t)json_object_get_string_len(v)) {
    session_reply_invalid(c->r, OP, key, "args.%s contains a NUL "
                          "character", key);
    return NULL;
  }
  return s;
}

static int permissions_arg(struct call *c, int32_t *out)
{
  json_object *v = NULL;
  const char *s;

  *out = ALIEN_AR_PERMISSIONS_PULL;
  if(!json_object_object_get_ex(c->args, "permissions", &v) || !v)
    return 0;
  s = json_object_is_type(v, json_type_string) ? json_object_get_string(v)
                                                : NULL;
  if(s && !strcmp(s, "pull"))
    return 0;
  if(s && !strcmp(s, "push-pull")) {
    *out = ALIEN_AR_PERMISSIONS_PUSH_PULL;
    return 0;
  }
  session_reply_invalid(c->r, OP, "permissions", "args.permissions must be "
                        "\"pull\" or \"push-pull\"");
  return -1;
}

static int ttl_arg(struct call *c, int64_t *out)
{
  json_object *v = NULL;
  int64_t ttl;

  *out = ALIEN_AR_TTL_NONE;
  if(!json_object_object_get_ex(c->args, "ttlSeconds", &v) || !v)
    return 0;
  if(json_object_is_type(v, json_type_int)) {
    ttl = json_object_get_int64(v);
    /* get_int64 clamps values beyond int64; those are out of range too */
    if(ttl >= 0 && ttl <= (int64_t)UINT32_MAX) {
      *out = ttl;
      return 0;
    }
  }
  session_reply_invalid(c->r, OP, "ttlSeconds", "args.ttlSeconds must be "
                        "null or a whole number from 0 to 4294967295");
  return -1;
}

/* alien's CrossAccountAccess: an object (or its JSON text in a string);
 * the plugin checks it. malloc()ed JSON text, or NULL. */
static char *access_arg(struct call *c)
{
  json_object *v = NULL;

  if(c->args && json_object_object_get_ex(c->args, "access", &v) && v) {
    if(json_object_is_type(v, json_type_string))
      return string_arg(c, "access") ? strdup(json_object_get_string(v))
                                     : NULL;
    if(json_object_is_type(v, json_type_object))
      return strdup(json_object_to_json_string_ext(v, CLI_JSON_FLAGS));
  }
  session_reply_invalid(c->r, OP, "access", "args.access must be a "
                        "CrossAccountAccess object");
  return NULL;
}

/* ---- results -------------------------------------------------------- */

static void fail(struct call *c, alien_ar_status st,
                 struct alien_ar_error *err)
{
  c->r->error = cli_plugin_error_text(c->t, st, err);
}

static void no_result(struct call *c, const char *fn)
{
  char *msg = cli_strdupf("Plugin call '%s' succeeded but returned no "
                          "result", fn);
  c->r->error = cli_error_json("GENERIC_ERROR", msg, NULL, 500, NULL);
  free(msg);
}

static void string_field(struct call *c, const char *key, const char *fn,
                         alien_ar_status st, char *value,
                         struct alien_ar_error *err)
{
  json_object *o;

  if(st != ALIEN_AR_OK) {
    c->t->string_free(value);
    fail(c, st, err);
    return;
  }
  if(!value) {
    no_result(c, fn);
    return;
  }
  o = json_object_new_object();
  if(o) {
    json_object_object_add(o, key, json_object_new_string(value));
    session_reply_result(c->r, json_object_to_json_string_ext(
                           o, CLI_JSON_FLAGS));
    json_object_put(o);
  }
  c->t->string_free(value);
}

static void repository(struct call *c, const char *fn, alien_ar_status st,
                       struct alien_ar_repository *repo,
                       struct alien_ar_error *err)
{
  char *json = NULL;

  if(st != ALIEN_AR_OK) {
    c->t->repository_free(repo);
    fail(c, st, err);
    return;
  }
  if(!repo) {
    no_result(c, fn);
    return;
  }
  st = c->t->repository_to_json(repo, &json);
  c->t->repository_free(repo);
  if(st != ALIEN_AR_OK || !json)
    fail(c, st, NULL);
  else
    session_reply_result(c->r, json);
  c->t->string_free(json);
}

static void empty(struct call *c, alien_ar_status st,
                  struct alien_ar_error *err)
{
  if(st != ALIEN_AR_OK)
    fail(c, st, err);
  else
    session_reply_result(c->r, "{}");
}

static void wipe(char *s)
{
  volatile char *p = s;

  while(p && *p)
    *p++ = '\0';
}

/* ---- methods -------------------------------------------------------- */

static void m_endpoint(struct call *c)
{
  struct alien_ar_error *err = NULL;
  char *v = NULL;
  alien_ar_status st = c->t->registry_endpoint(c->h, &v, &err);

  string_field(c, "registryEndpoint", "registry_endpoint", st, v, err);
}

static void m_prefix(struct call *c)
{
  struct alien_ar_error *err = NULL;
  char *v = NULL;
  alien_ar_status st = c->t->upstream_repository_prefix(c->h, &v, &err);

  string_field(c, "upstreamRepositoryPrefix", "upstream_repository_prefix",
               st, v, err);
}

static void m_create(struct call *c)
{
  const char *name = string_arg(c, "repoName");
  struct alien_ar_repository *repo = NULL;
  struct alien_ar_error *err = NULL;

  alien_ar_status st;

  if(!name)
    return;
  /* The call runs before repo and err are read: a statement of its own. */
  st = c->t->create_repository(c->h, name, &repo, &err);
  repository(c, "create_repository", st, repo, err);
}

static void m_get(struct call *c)
{
  const char *id = string_arg(c, "repoId");
  struct alien_ar_repository *repo = NULL;
  struct alien_ar_error *err = NULL;

  alien_ar_status st;

  if(!id)
    return;
  st = c->t->get_repository(c->h, id, &repo, &err);
  repository(c, "get_repository", st, repo, err);
}

static void m_delete(struct call *c)
{
  const char *id = string_arg(c, "repoId");
  struct alien_ar_error *err = NULL;

  alien_ar_status st;

  if(!id)
    return;
  st = c->t->delete_repository(c->h, id, &err);
  empty(c, st, err);
}

static void m_credentials(struct call *c)
{
  const char *id = string_arg(c, "repoId");
  struct alien_ar_credentials *creds = NULL;
  struct alien_ar_error *err = NULL;
  char *json = NULL;
  int32_t perms;
  int64_t ttl;
  alien_ar_status st;

  if(!id || permissions_arg(c, &perms) || ttl_arg(c, &ttl))
    return;
  st = c->t->generate_credentials(c->h, id, perms, ttl, &creds, &err);
  if(st != ALIEN_AR_OK) {
    c->t->credentials_free(creds);
    fail(c, st, err);
    return;
  }
  if(!creds) {
    no_result(c, "generate_credentials");
    return;
  }
  st = c->t->credentials_to_json(creds, &json);
  c->t->credentials_free(creds);
  if(st != ALIEN_AR_OK || !json) {
    fail(c, st, NULL);
  }
  else {
    session_reply_result(c->r, json);
    c->r->secret = 1;
  }
  wipe(json);
  c->t->string_free(json);
}

static void m_cross_get(struct call *c)
{
  const char *id = string_arg(c, "repoId");
  struct alien_ar_error *err = NULL;
  char *json = NULL;
  alien_ar_status st;

  if(!id)
    return;
  st = c->t->get_cross_account_access(c->h, id, &json, &err);
  if(st != ALIEN_AR_OK)
    fail(c, st, err);
  else if(!json)
    no_result(c, "get_cross_account_access");
  else
    session_reply_result(c->r, json);
  c->t->string_free(json);
}

static void m_cross_change(struct call *c, int add)
{
  const char *id = string_arg(c, "repoId");
  struct alien_ar_error *err = NULL;
  alien_ar_status st;
  char *access;

  if(!id)
    return;
  access = access_arg(c);
  if(!access)
    return;
  st = add ? c->t->add_cross_account_access(c->h, id, access, &err)
           : c->t->remove_cross_account_access(c->h, id, access, &err);
  free(access);
  empty(c, st, err);
}

static void m_cross_add(struct call *c)
{
  m_cross_change(c, 1);
}

static void m_cross_remove(struct call *c)
{
  m_cross_change(c, 0);
}

static const struct {
  const char *name;
  void (*run)(struct call *c);
} methods[] = {
  { "registryEndpoint", m_endpoint },
  { "upstreamRepositoryPrefix", m_prefix },
  { "createRepository", m_create },
  { "getRepository", m_get },
  { "deleteRepository", m_delete },
  { "getCrossAccountAccess", m_cross_get },
  { "generateCredentials", m_credentials },
  { "addCrossAccountAccess", m_cross_add },
  { "removeCrossAccountAccess", m_cross_remove },
};

void session_call(const struct session_handle *sh, const char *method,
                  json_object *args, struct session_reply *r)
{
  struct call c;
  size_t i;

  c.t = sh->plugin->p.table;
  c.h = sh->h;
  c.args = args;
  c.r = r;
  for(i = 0; i < sizeof(methods) / sizeof(methods[0]); i++) {
    if(!strcmp(methods[i].name, method)) {
      methods[i].run(&c);
      return;
    }
  }
  session_reply_invalid(r, OP, "method", "unknown method '%.100s' (one of "
                        "registryEndpoint, upstreamRepositoryPrefix, "
                        "createRepository, getRepository, deleteRepository, "
                        "getCrossAccountAccess, generateCredentials, "
                        "addCrossAccountAccess, removeCrossAccountAccess)",
                        method);
}
