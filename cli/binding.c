#include "binding.h"

#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "output.h"

char *cli_binding_env_var(const char *binding)
{
  static const char prefix[] = "ALIEN_";
  static const char suffix[] = "_BINDING";
  size_t n = strlen(binding);
  char *s = malloc(sizeof(prefix) - 1 + n + sizeof(suffix));
  char *p;
  size_t i;

  if(!s)
    return NULL;
  memcpy(s, prefix, sizeof(prefix) - 1);
  p = s + sizeof(prefix) - 1;
  /* ASCII only, like Rust's str::to_uppercase on the names alien uses. */
  for(i = 0; i < n; i++) {
    char c = binding[i];
    if(c == '-')
      c = '_';
    else if(c >= 'a' && c <= 'z')
      c = (char)(c - 'a' + 'A');
    p[i] = c;
  }
  memcpy(p + n, suffix, sizeof(suffix));
  return s;
}

static int not_configured(const char *binding, const char *env_var)
{
  json_object *ctx = json_object_new_object();
  json_object *pattern = json_object_new_object();
  json_object *inner = json_object_new_object();
  char *msg;
  int rc;

  if(ctx) {
    json_object_object_add(ctx, "binding_name",
                           json_object_new_string(binding));
    json_object_object_add(ctx, "env_var", json_object_new_string(env_var));
  }
  if(pattern && inner) {
    json_object_object_add(inner, "binding_name",
                           json_object_new_string(binding));
    json_object_object_add(inner, "env_var",
                           json_object_new_string(env_var));
    json_object_object_add(pattern, "bindingNotConfigured", inner);
    inner = NULL;
  }
  json_object_put(inner);
  msg = cli_strdupf("No binding configured for '%s': environment variable "
                    "'%s' is not set", binding, env_var);
  rc = cli_report_error(CLI_EXIT_INVALID, "BINDING_NOT_CONFIGURED", msg,
                        ctx, 400, pattern);
  free(msg);
  return rc;
}

int cli_binding_open(struct cli_ctx *ctx)
{
  const struct alien_ar_plugin *t = ctx->plugin.table;
  const char *binding = ctx->opts->binding;
  const char *config = ctx->opts->config;
  struct alien_ar_error *err = NULL;
  alien_ar_status st;

  if(!config) {
    char *env_var = cli_binding_env_var(binding);
    if(!env_var)
      return cli_report_error(CLI_EXIT_FAILURE, "OUT_OF_MEMORY",
                              "Out of memory", NULL, 0, NULL);
    config = getenv(env_var);
    if(!config) {
      int rc = not_configured(binding, env_var);
      free(env_var);
      return rc;
    }
    cli_log(ALIEN_AR_LOG_DEBUG, "binding config from %s", env_var);
    free(env_var);
  }
  else
    cli_log(ALIEN_AR_LOG_DEBUG, "binding config from --config");
  st = t->open(binding, config, &ctx->host, &ctx->handle, &err);
  if(st != ALIEN_AR_OK) {
    ctx->handle = NULL;
    return cli_report_plugin_error(t, st, err);
  }
  return CLI_EXIT_OK;
}
