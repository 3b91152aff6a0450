#include "session_host.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "binding.h"
#include "output.h"
#include "plugin.h"

void session_init(struct session *s, const struct alien_ar_host *host)
{
  memset(s, 0, sizeof(*s));
  s->host = *host;
  s->next_handle = 1;
}

static void plugin_free(struct session_plugin *sp)
{
  size_t i;

  if(!sp)
    return;
  cli_plugin_unload(&sp->p);
  for(i = 0; i < sp->nbackends; i++)
    free(sp->backends[i]);
  free(sp->backends);
  free(sp->path);
  free(sp->name);
  free(sp->version);
  free(sp);
}

static void handle_free(struct session_handle *sh)
{
  if(!sh)
    return;
  if(sh->h)
    sh->plugin->p.table->close(sh->h);
  sh->plugin->handles--;
  free(sh->binding);
  free(sh->backend);
  free(sh);
}

void session_destroy(struct session *s)
{
  size_t i;

  for(i = 0; i < s->nhandles; i++)
    handle_free(s->handles[i]);
  for(i = 0; i < s->nplugins; i++)
    plugin_free(s->plugins[i]);
  free(s->handles);
  free(s->plugins);
  s->handles = NULL;
  s->plugins = NULL;
  s->nhandles = s->nplugins = 0;
}

static int push_plugin(struct session *s, struct session_plugin *sp)
{
  struct session_plugin **bigger =
    realloc(s->plugins, (s->nplugins + 1) * sizeof(*bigger));

  if(!bigger)
    return -1;
  bigger[s->nplugins++] = sp;
  s->plugins = bigger;
  return 0;
}

static int push_handle(struct session *s, struct session_handle *sh)
{
  struct session_handle **bigger =
    realloc(s->handles, (s->nhandles + 1) * sizeof(*bigger));

  if(!bigger)
    return -1;
  bigger[s->nhandles++] = sh;
  s->handles = bigger;
  return 0;
}

static struct session_plugin *plugin_serving(const struct session *s,
                                             const char *service)
{
  size_t i, j;

  for(i = 0; i < s->nplugins; i++)
    for(j = 0; j < s->plugins[i]->nbackends; j++)
      if(!strcmp(s->plugins[i]->backends[j], service))
        return s->plugins[i];
  return NULL;
}

static struct session_plugin *plugin_named(const struct session *s,
                                           const char *name)
{
  size_t i;

  for(i = 0; i < s->nplugins; i++)
    if(!strcmp(s->plugins[i]->name, name))
      return s->plugins[i];
  return NULL;
}

static void own_error(struct session_reply *r, const char *code, int http,
                      json_object *ctx, char *msg)
{
  r->error = cli_error_json(code, msg, ctx, http, NULL);
  free(msg);
}

/* Copies what the session keeps of a freshly loaded plugin. */
static int describe(struct session_plugin *sp)
{
  const struct alien_ar_plugin *t = sp->p.table;
  size_t i, n = t->backend_count();

  sp->name = strdup(t->plugin_name);
  sp->version = strdup(t->plugin_version);
  sp->backends = calloc(n ? n : 1, sizeof(char *));
  if(!sp->name || !sp->version || !sp->backends)
    return -1;
  for(i = 0; i < n; i++) {
    const char *b = t->backend_name(i);
    if(!b)
      continue;
    sp->backends[sp->nbackends] = strdup(b);
    if(!sp->backends[sp->nbackends])
      return -1;
    sp->nbackends++;
  }
  return 0;
}

/* Why `sp` cannot join the loaded plugins, or NULL. */
static char *conflict(const struct session *s,
                      const struct session_plugin *sp)
{
  size_t i;

  if(plugin_named(s, sp->name))
    return cli_strdupf("Plugin '%s' is already loaded", sp->name);
  for(i = 0; i < sp->nbackends; i++) {
    const struct session_plugin *other = plugin_serving(s, sp->backends[i]);
    if(other)
      return cli_strdupf("Plugin '%s' at '%s' registers backend '%s', "
                         "which plugin '%s' already serves", sp->name,
                         sp->path, sp->backends[i], other->name);
  }
  return NULL;
}

static json_object *load_result(const struct session_plugin *sp)
{
  json_object *o = json_object_new_object();
  json_object *arr = json_object_new_array();
  size_t i;

  if(!o || !arr) {
    json_object_put(o);
    json_object_put(arr);
    return NULL;
  }
  for(i = 0; i < sp->nbackends; i++)
    json_object_array_add(arr, json_object_new_string(sp->backends[i]));
  json_object_object_add(o, "plugin", json_object_new_string(sp->name));
  json_object_object_add(o, "version", json_object_new_string(sp->version));
  json_object_object_add(o, "backends", arr);
  return o;
}

static void reply_json(struct session_reply *r, json_object *o)
{
  if(o)
    session_reply_result(r, json_object_to_json_string_ext(o,
                                                           CLI_JSON_FLAGS));
  json_object_put(o);
}

int session_load(struct session *s, const char *path,
                 struct session_reply *r)
{
  struct session_plugin *sp = calloc(1, sizeof(*sp));
  enum cli_load lr;
  char *why = NULL, *clash;
  int rc = CLI_EXIT_FAILURE;

  if(!sp || !(sp->path = strdup(path))) {
    free(sp);
    return rc;
  }
  lr = cli_plugin_load(&sp->p, sp->path, &why);
  if(lr != CLI_LOAD_OK) {
    r->error = cli_plugin_error_json(lr, path, why, &rc);
    free(why);
    plugin_free(sp);
    return rc;
  }
  if(describe(sp)) {
    plugin_free(sp);
    return rc;
  }
  clash = conflict(s, sp);
  if(clash) {
    json_object *ctx = json_object_new_object();
    if(ctx) {
      json_object_object_add(ctx, "path", json_object_new_string(path));
      json_object_object_add(ctx, "plugin",
                             json_object_new_string(sp->name));
    }
    own_error(r, "PLUGIN_CONFLICT", 409, ctx, clash);
    /* The same file loaded twice shares one dlopen reference count, so
     * this dlclose leaves the loaded copy alone. */
    plugin_free(sp);
    return CLI_EXIT_PLUGIN;
  }
  if(push_plugin(s, sp)) {
    plugin_free(sp);
    return rc;
  }
  reply_json(r, load_result(sp));
  return CLI_EXIT_OK;
}

void session_unload(struct session *s, const char *name,
                    struct session_reply *r)
{
  size_t i;

  for(i = 0; i < s->nplugins; i++) {
    struct session_plugin *sp = s->plugins[i];
    if(strcmp(sp->name, name))
      continue;
    if(sp->handles) {
      json_object *ctx = json_object_new_object();
      if(ctx) {
        json_object_object_add(ctx, "plugin", json_object_new_string(name));
        json_object_object_add(ctx, "open_handles",
                               json_object_new_int64((int64_t)sp->handles));
      }
      own_error(r, "PLUGIN_IN_USE", 409, ctx,
                cli_strdupf("Plugin '%s' still has %zu open handle%s; close "
                            "them first", name, sp->handles,
                            sp->handles == 1 ? "" : "s"));
      return;
    }
    memmove(s->plugins + i, s->plugins + i + 1,
            (s->nplugins - i - 1) * sizeof(*s->plugins));
    s->nplugins--;
    plugin_free(sp);
    session_reply_result(r, "{}");
    return;
  }
  session_reply_invalid(r, "session.unload", "plugin",
                        "no plugin named '%.200s' is loaded", name);
}

/* The config's `service` tag, or NULL when the config is not a JSON
 * object with a string `service` (malloc()ed). */
static char *service_of(const char *config)
{
  json_object *o = json_tokener_parse(config);
  json_object *v = NULL;
  char *service = NULL;

  if(o && json_object_is_type(o, json_type_object) &&
     json_object_object_get_ex(o, "service", &v) &&
     json_object_is_type(v, json_type_string))
    service = strdup(json_object_get_string(v));
  json_object_put(o);
  return service;
}

/* alien's UnsupportedBindingProvider, as the plugin itself reports it. */
static void unsupported(struct session_reply *r, const char *binding,
                        const char *service)
{
  char *env_var = cli_binding_env_var(binding);
  json_object *ctx = json_object_new_object();
  json_object *pattern = json_object_new_object();
  json_object *inner = NULL;
  char *msg;

  if(!env_var) {
    json_object_put(ctx);
    json_object_put(pattern);
    return;
  }
  if(ctx) {
    json_object_object_add(ctx, "binding_name",
                           json_object_new_string(binding));
    json_object_object_add(ctx, "env_var", json_object_new_string(env_var));
    json_object_object_add(ctx, "provider", json_object_new_string(service));
    if(pattern && json_object_deep_copy(ctx, &inner, NULL) == 0)
      json_object_object_add(pattern, "unsupportedBindingProvider", inner);
  }
  msg = cli_strdupf("Binding '%s' (env var '%s') uses unsupported provider "
                    "'%s'", binding, env_var, service);
  r->error = cli_error_json("UNSUPPORTED_BINDING_PROVIDER", msg, ctx, 501,
                            pattern);
  free(msg);
  free(env_var);
}

static json_object *handle_json(const struct session_handle *sh)
{
  json_object *o = json_object_new_object();

  if(!o)
    return NULL;
  json_object_object_add(o, "handle", json_object_new_string(sh->id));
  json_object_object_add(o, "binding", json_object_new_string(sh->binding));
  json_object_object_add(o, "service", json_object_new_string(sh->backend));
  json_object_object_add(o, "plugin",
                         json_object_new_string(sh->plugin->name));
  return o;
}

void session_open(struct session *s, const char *binding,
                  const char *config, struct session_reply *r)
{
  char *service = service_of(config);
  struct session_plugin *sp = service ? plugin_serving(s, service) : NULL;
  struct session_handle *sh;
  struct alien_ar_error *err = NULL;
  const char *backend;
  alien_ar_status st;

  if(!sp && service) {
    unsupported(r, binding, service);
    free(service);
    return;
  }
  free(service);
  /* Not JSON, or no service tag: the first plugin rejects it with
   * alien's own BINDING_CONFIG_INVALID. */
  if(!sp && s->nplugins)
    sp = s->plugins[0];
  if(!sp) {
    session_reply_invalid(r, "session.open", "config", "no plugin is "
                          "loaded, and the config names no service");
    return;
  }
  sh = calloc(1, sizeof(*sh));
  if(!sh)
    return;
  st = sp->p.table->open(binding, config, &s->host, &sh->h, &err);
  if(st != ALIEN_AR_OK || !sh->h) {
    r->error = cli_plugin_error_text(sp->p.table, st, err);
    free(sh);
    return;
  }
  sh->plugin = sp;
  sp->handles++;
  backend = sp->p.table->handle_backend(sh->h);
  sh->binding = strdup(binding);
  sh->backend = strdup(backend ? backend : "");
  snprintf(sh->id, sizeof(sh->id), "h%lu", s->next_handle++);
  if(!sh->binding || !sh->backend || push_handle(s, sh)) {
    handle_free(sh);
    return;
  }
  {
    json_object *o = json_object_new_object();
    if(o)
      json_object_object_add(o, "handle", json_object_new_string(sh->id));
    reply_json(r, o);
  }
}

struct session_handle *session_find_handle(const struct session *s,
                                           const char *id)
{
  size_t i;

  for(i = 0; i < s->nhandles; i++)
    if(!strcmp(s->handles[i]->id, id))
      return s->handles[i];
  return NULL;
}

void session_close(struct session *s, const char *handle,
                   struct session_reply *r)
{
  size_t i;

  for(i = 0; i < s->nhandles; i++) {
    struct session_handle *sh = s->handles[i];
    if(strcmp(sh->id, handle))
      continue;
    memmove(s->handles + i, s->handles + i + 1,
            (s->nhandles - i - 1) * sizeof(*s->handles));
    s->nhandles--;
    handle_free(sh);
    session_reply_result(r, "{}");
    return;
  }
  session_reply_invalid(r, "session.close", "handle",
                        "no open handle '%.200s'", handle);
}

void session_backends(const struct session *s, struct session_reply *r)
{
  json_object *arr = json_object_new_array();
  size_t i, j;

  for(i = 0; arr && i < s->nplugins; i++) {
    const struct session_plugin *sp = s->plugins[i];
    for(j = 0; j < sp->nbackends; j++) {
      json_object *o = json_object_new_object();
      if(!o)
        continue;
      json_object_object_add(o, "service",
                             json_object_new_string(sp->backends[j]));
      json_object_object_add(o, "plugin", json_object_new_string(sp->name));
      json_object_object_add(o, "version",
                             json_object_new_string(sp->version));
      json_object_array_add(arr, o);
    }
  }
  reply_json(r, arr);
}

void session_handles(const struct session *s, struct session_reply *r)
{
  json_object *arr = json_object_new_array();
  size_t i;

  for(i = 0; arr && i < s->nhandles; i++)
    json_object_array_add(arr, handle_json(s->handles[i]));
  reply_json(r, arr);
}
