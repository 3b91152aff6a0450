#include "core/results.h"

#include <json-c/json.h>
#include <stdlib.h>

#include "error/json_util.h"
#include "util/str.h"

static char *dup_or_null(const char *s, int *failed)
{
  char *copy = s ? ar_strdup(s) : NULL;
  if(s && !copy)
    *failed = 1;
  return copy;
}

struct alien_ar_repository *ar_repository_new(const char *name,
                                              const char *uri,
                                              const char *created_at)
{
  struct alien_ar_repository *r = calloc(1, sizeof(*r));
  if(!r)
    return NULL;
  int failed = 0;
  r->struct_size = (uint32_t)sizeof(*r);
  r->name = dup_or_null(name, &failed);
  r->uri = dup_or_null(uri, &failed);
  r->created_at = dup_or_null(created_at, &failed);
  if(failed || !r->name) {
    ar_repository_free(r);
    return NULL;
  }
  return r;
}

void ar_repository_free(struct alien_ar_repository *r)
{
  if(!r)
    return;
  free((char *)(uintptr_t)r->name);
  free((char *)(uintptr_t)r->uri);
  free((char *)(uintptr_t)r->created_at);
  free(r);
}

char *ar_repository_to_json(const struct alien_ar_repository *r)
{
  json_object *o = json_object_new_object();
  if(!o || ar_json_add_string(o, "name", r->name)
     || ar_json_add_string(o, "uri", r->uri)
     || ar_json_add_string(o, "createdAt", r->created_at)) {
    json_object_put(o);
    return NULL;
  }
  return ar_json_take_string(o);
}

struct alien_ar_credentials *ar_credentials_new(int32_t auth_method,
                                                const char *username,
                                                const char *password,
                                                const char *expires_at)
{
  struct alien_ar_credentials *c = calloc(1, sizeof(*c));
  if(!c)
    return NULL;
  int failed = 0;
  c->struct_size = (uint32_t)sizeof(*c);
  c->auth_method = auth_method;
  c->username = dup_or_null(username, &failed);
  c->password = dup_or_null(password, &failed);
  c->expires_at = dup_or_null(expires_at, &failed);
  if(failed || !c->username || !c->password) {
    ar_credentials_free(c);
    return NULL;
  }
  return c;
}

void ar_credentials_free(struct alien_ar_credentials *c)
{
  if(!c)
    return;
  free((char *)(uintptr_t)c->username);
  ar_free_secret((char *)(uintptr_t)c->password);
  free((char *)(uintptr_t)c->expires_at);
  free(c);
}

char *ar_credentials_to_json(const struct alien_ar_credentials *c)
{
  const char *method = c->auth_method == ALIEN_AR_AUTH_BEARER ? "bearer"
                                                              : "basic";
  json_object *o = json_object_new_object();
  if(!o || ar_json_add_string(o, "authMethod", method)
     || ar_json_add_string(o, "username", c->username)
     || ar_json_add_string(o, "password", c->password)
     || ar_json_add_string(o, "expiresAt", c->expires_at)) {
    json_object_put(o);
    return NULL;
  }
  /* json-c keeps its own copy of the password; it is freed (not wiped)
   * with the object. Hosts that print credentials accept that. */
  return ar_json_take_string(o);
}
