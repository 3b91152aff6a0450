/* What a session holds: the loaded plugins and the open handles. Every
 * function fills a session_reply with the op's result or error. */
#ifndef ALIEN_AR_CLI_SESSION_HOST_H
#define ALIEN_AR_CLI_SESSION_HOST_H

#include <stddef.h>

#include "cli.h"
#include "session_reply.h"

struct session_plugin {
  struct cli_plugin p;
  char *path;
  char *name;        /* copies: the plugin's own strings die with it */
  char *version;
  char **backends;
  size_t nbackends;
  size_t handles;    /* open handles using it; unload waits for 0 */
};

struct session_handle {
  char id[32];                  /* "h1", "h2", ...; never reused */
  alien_ar_handle *h;
  struct session_plugin *plugin;
  char *binding;
  char *backend;
};

struct session {
  struct session_plugin **plugins;
  size_t nplugins;
  struct session_handle **handles;
  size_t nhandles;
  unsigned long next_handle;
  struct alien_ar_host host;    /* lent to every handle */
};

void session_init(struct session *s, const struct alien_ar_host *host);

/* Closes every handle, then unloads every plugin. */
void session_destroy(struct session *s);

/* Loads a plugin: {"plugin","version","backends"}. PLUGIN_LOAD_FAILED,
 * ABI_MISMATCH, or PLUGIN_CONFLICT when a loaded plugin has its name or
 * one of its backends. Returns the exit status a failed load at start-up
 * means (CLI_EXIT_OK on success). */
int session_load(struct session *s, const char *path,
                 struct session_reply *r);

/* PLUGIN_IN_USE while a handle uses it. */
void session_unload(struct session *s, const char *name,
                    struct session_reply *r);

/* The config's `service` picks the plugin: {"handle":"hN"}. */
void session_open(struct session *s, const char *binding,
                  const char *config, struct session_reply *r);

void session_close(struct session *s, const char *handle,
                   struct session_reply *r);

/* [{"service","plugin","version"}, ...] */
void session_backends(const struct session *s, struct session_reply *r);

/* [{"handle","binding","service","plugin"}, ...] */
void session_handles(const struct session *s, struct session_reply *r);

struct session_handle *session_find_handle(const struct session *s,
                                           const char *id);

#endif
