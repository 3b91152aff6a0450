#include "plugin.h"

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "output.h"

/* Where the ABI 1.0 block of the table ends. A table shorter than that
 * cannot be used whatever minor it claims. */
#define TABLE_V1_0_END                                              \
  (offsetof(struct alien_ar_plugin, handle_backend) +               \
   sizeof(((const struct alien_ar_plugin *)0)->handle_backend))

const char *cli_plugin_path(const char *option)
{
  const char *env;

  if(option)
    return option;
  env = getenv("ALIEN_AR_PLUGIN");
  if(env && *env)
    return env;
  return ALIEN_AR_DEFAULT_PLUGIN;
}

static const char *table_problem(const struct alien_ar_plugin *t)
{
  if(!t)
    return "the plugin returned no function table";
  if(t->abi_major != ALIEN_AR_ABI_MAJOR)
    return "the plugin's table is for another ABI major";
  if(t->struct_size < TABLE_V1_0_END)
    return "the plugin's function table is shorter than ABI 1.0 requires";
  if(!t->plugin_name || !t->plugin_version || !t->backend_count ||
     !t->backend_name || !t->open || !t->close || !t->registry_endpoint ||
     !t->upstream_repository_prefix || !t->create_repository ||
     !t->get_repository || !t->delete_repository ||
     !t->generate_credentials || !t->add_cross_account_access ||
     !t->remove_cross_account_access || !t->get_cross_account_access ||
     !t->string_free || !t->repository_free || !t->credentials_free ||
     !t->error_free || !t->error_to_json || !t->repository_to_json ||
     !t->credentials_to_json || !t->status_string || !t->handle_backend)
    return "the plugin's function table has empty ABI 1.0 slots";
  return NULL;
}

enum cli_load cli_plugin_load(struct cli_plugin *p, const char *path,
                              char **why)
{
  alien_ar_negotiate_fn negotiate;
  const struct alien_ar_plugin *table = NULL;
  const char *problem;
  uint32_t agreed = 0;
  alien_ar_status st;
  void *sym;

  memset(p, 0, sizeof(*p));
  *why = NULL;
  p->path = path;
  cli_log(ALIEN_AR_LOG_DEBUG, "loading plugin %s", path);
  p->dl = dlopen(path, RTLD_NOW | RTLD_LOCAL);
  if(!p->dl) {
    const char *e = dlerror();
    *why = cli_strdupf("%s", e ? e : "dlopen failed");
    return CLI_LOAD_FAILED;
  }
  dlerror();
  sym = dlsym(p->dl, ALIEN_AR_ENTRY_SYMBOL);
  if(!sym) {
    const char *e = dlerror();
    *why = cli_strdupf("%s", e ? e : "symbol " ALIEN_AR_ENTRY_SYMBOL
                       " not found");
    cli_plugin_unload(p);
    return CLI_LOAD_FAILED;
  }
  memcpy(&negotiate, &sym, sizeof(negotiate));
  st = negotiate(ALIEN_AR_ABI_MAJOR, ALIEN_AR_ABI_MINOR, &agreed, &table);
  if(st != ALIEN_AR_OK) {
    *why = cli_strdupf("the plugin refused to negotiate ABI %d.%d (status "
                       "%d%s)", ALIEN_AR_ABI_MAJOR, ALIEN_AR_ABI_MINOR,
                       (int)st, st == ALIEN_AR_ERR_ABI_MISMATCH ?
                       ", ABI_MISMATCH" : "");
    cli_plugin_unload(p);
    return CLI_LOAD_ABI;
  }
  problem = table_problem(table);
  if(problem) {
    *why = cli_strdupf("%s", problem);
    cli_plugin_unload(p);
    return CLI_LOAD_ABI;
  }
  p->table = table;
  p->agreed_minor = agreed;
  cli_log(ALIEN_AR_LOG_DEBUG, "plugin %s %s, ABI %u.%u (agreed minor %u)",
          table->plugin_name, table->plugin_version,
          (unsigned)table->abi_major, (unsigned)table->abi_minor,
          (unsigned)agreed);
  return CLI_LOAD_OK;
}

char *cli_plugin_error_json(enum cli_load result, const char *path,
                            const char *why, int *exit_code)
{
  json_object *ctx = json_object_new_object();
  char *msg, *text;

  if(!why)
    why = "out of memory";
  if(ctx) {
    json_object_object_add(ctx, "path", json_object_new_string(path));
    json_object_object_add(ctx, "reason", json_object_new_string(why));
  }
  *exit_code = CLI_EXIT_PLUGIN;
  if(result == CLI_LOAD_ABI) {
    if(ctx) {
      json_object_object_add(ctx, "host_abi_major",
                             json_object_new_int(ALIEN_AR_ABI_MAJOR));
      json_object_object_add(ctx, "host_abi_minor",
                             json_object_new_int(ALIEN_AR_ABI_MINOR));
    }
    msg = cli_strdupf("Plugin '%s' does not speak the ABI alien-ar speaks "
                      "(major %d, minors up to %d): %s", path,
                      ALIEN_AR_ABI_MAJOR, ALIEN_AR_ABI_MINOR, why);
    text = cli_error_json("ABI_MISMATCH", msg, ctx, 0, NULL);
  }
  else {
    msg = cli_strdupf("Failed to load plugin '%s': %s. Point alien-ar at "
                      "the plugin with --plugin PATH or the "
                      "ALIEN_AR_PLUGIN environment variable", path, why);
    text = cli_error_json("PLUGIN_LOAD_FAILED", msg, ctx, 0, NULL);
  }
  free(msg);
  return text;
}

int cli_plugin_report(enum cli_load result, const char *path,
                      const char *why)
{
  int rc;
  char *text = cli_plugin_error_json(result, path, why, &rc);

  fprintf(stderr, "%s\n", text ? text : CLI_OOM_ERROR_JSON);
  fflush(stderr);
  free(text);
  return rc;
}

void cli_plugin_unload(struct cli_plugin *p)
{
  if(p->dl)
    dlclose(p->dl);
  p->dl = NULL;
  p->table = NULL;
}
