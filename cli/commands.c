#include "commands.h"

#include <stdlib.h>
#include <string.h>

#include "output.h"

#define TABLE(ctx) ((ctx)->plugin.table)

/* A plugin that says OK but hands back nothing broke the ABI contract. */
static int no_result(const char *call)
{
  char *msg = cli_strdupf("Plugin call '%s' succeeded but returned no "
                          "result", call);
  int rc = cli_report_error(CLI_EXIT_FAILURE, "GENERIC_ERROR", msg, NULL,
                            500, NULL);
  free(msg);
  return rc;
}

static int print_string_field(struct cli_ctx *ctx, const char *key,
                              const char *call, alien_ar_status st,
                              char *value, struct alien_ar_error *err)
{
  const struct alien_ar_plugin *t = TABLE(ctx);
  json_object *o;

  if(st != ALIEN_AR_OK) {
    t->string_free(value);
    return cli_report_plugin_error(t, st, err);
  }
  if(!value)
    return no_result(call);
  o = json_object_new_object();
  if(o)
    json_object_object_add(o, key, json_object_new_string(value));
  t->string_free(value);
  return cli_print_json(o);
}

static int print_repository(struct cli_ctx *ctx, const char *call,
                            alien_ar_status st,
                            struct alien_ar_repository *repo,
                            struct alien_ar_error *err)
{
  const struct alien_ar_plugin *t = TABLE(ctx);
  char *json = NULL;
  int rc;

  if(st != ALIEN_AR_OK) {
    t->repository_free(repo);
    return cli_report_plugin_error(t, st, err);
  }
  if(!repo)
    return no_result(call);
  st = t->repository_to_json(repo, &json);
  t->repository_free(repo);
  if(st != ALIEN_AR_OK || !json) {
    t->string_free(json);
    return cli_report_plugin_error(t, st, NULL);
  }
  rc = cli_print_raw(json);
  t->string_free(json);
  return rc;
}

static int print_empty_object(struct cli_ctx *ctx, alien_ar_status st,
                              struct alien_ar_error *err)
{
  if(st != ALIEN_AR_OK)
    return cli_report_plugin_error(TABLE(ctx), st, err);
  return cli_print_json(json_object_new_object());
}

int cmd_backends(struct cli_ctx *ctx)
{
  const struct alien_ar_plugin *t = TABLE(ctx);
  json_object *arr = json_object_new_array();
  size_t n = t->backend_count();
  size_t i;

  for(i = 0; arr && i < n; i++) {
    const char *name = t->backend_name(i);
    if(name)
      json_object_array_add(arr, json_object_new_string(name));
  }
  return cli_print_json(arr);
}

int cmd_endpoint(struct cli_ctx *ctx)
{
  struct alien_ar_error *err = NULL;
  char *value = NULL;
  alien_ar_status st;

  st = TABLE(ctx)->registry_endpoint(ctx->handle, &value, &err);
  return print_string_field(ctx, "registryEndpoint", "registry_endpoint",
                            st, value, err);
}

int cmd_prefix(struct cli_ctx *ctx)
{
  struct alien_ar_error *err = NULL;
  char *value = NULL;
  alien_ar_status st;

  st = TABLE(ctx)->upstream_repository_prefix(ctx->handle, &value, &err);
  return print_string_field(ctx, "upstreamRepositoryPrefix",
                            "upstream_repository_prefix", st, value, err);
}

int cmd_create(struct cli_ctx *ctx)
{
  struct alien_ar_repository *repo = NULL;
  struct alien_ar_error *err = NULL;
  alien_ar_status st;

  st = TABLE(ctx)->create_repository(ctx->handle, ctx->opts->args[0],
                                     &repo, &err);
  return print_repository(ctx, "create_repository", st, repo, err);
}

int cmd_get(struct cli_ctx *ctx)
{
  struct alien_ar_repository *repo = NULL;
  struct alien_ar_error *err = NULL;
  alien_ar_status st;

  st = TABLE(ctx)->get_repository(ctx->handle, ctx->opts->args[0], &repo,
                                  &err);
  return print_repository(ctx, "get_repository", st, repo, err);
}

int cmd_delete(struct cli_ctx *ctx)
{
  struct alien_ar_error *err = NULL;
  alien_ar_status st;

  st = TABLE(ctx)->delete_repository(ctx->handle, ctx->opts->args[0],
                                     &err);
  return print_empty_object(ctx, st, err);
}

static void wipe(char *s)
{
  volatile char *p = s;

  while(p && *p)
    *p++ = '\0';
}

int cmd_credentials(struct cli_ctx *ctx)
{
  const struct alien_ar_plugin *t = TABLE(ctx);
  const struct cli_options *o = ctx->opts;
  struct alien_ar_credentials *creds = NULL;
  struct alien_ar_error *err = NULL;
  int32_t perms = o->permissions ? o->permissions :
                  ALIEN_AR_PERMISSIONS_PULL;
  char *json = NULL;
  alien_ar_status st;
  int rc;

  /* Nothing here logs the result: it holds the password. */
  st = t->generate_credentials(ctx->handle, o->args[0], perms,
                               o->ttl_seconds, &creds, &err);
  if(st != ALIEN_AR_OK) {
    t->credentials_free(creds);
    return cli_report_plugin_error(t, st, err);
  }
  if(!creds)
    return no_result("generate_credentials");
  st = t->credentials_to_json(creds, &json);
  t->credentials_free(creds);
  if(st != ALIEN_AR_OK || !json) {
    t->string_free(json);
    return cli_report_plugin_error(t, st, NULL);
  }
  rc = cli_print_raw(json);
  wipe(json);
  t->string_free(json);
  return rc;
}

int cmd_cross_account_get(struct cli_ctx *ctx)
{
  const struct alien_ar_plugin *t = TABLE(ctx);
  struct alien_ar_error *err = NULL;
  char *json = NULL;
  alien_ar_status st;
  int rc;

  st = t->get_cross_account_access(ctx->handle, ctx->opts->args[0], &json,
                                   &err);
  if(st != ALIEN_AR_OK) {
    t->string_free(json);
    return cli_report_plugin_error(t, st, err);
  }
  if(!json)
    return no_result("get_cross_account_access");
  rc = cli_print_raw(json);
  t->string_free(json);
  return rc;
}

int cmd_cross_account_add(struct cli_ctx *ctx)
{
  struct alien_ar_error *err = NULL;
  alien_ar_status st;

  st = TABLE(ctx)->add_cross_account_access(ctx->handle, ctx->opts->args[0],
                                            ctx->opts->args[1], &err);
  return print_empty_object(ctx, st, err);
}

int cmd_cross_account_remove(struct cli_ctx *ctx)
{
  struct alien_ar_error *err = NULL;
  alien_ar_status st;

  st = TABLE(ctx)->remove_cross_account_access(ctx->handle,
                                               ctx->opts->args[0],
                                               ctx->opts->args[1], &err);
  return print_empty_object(ctx, st, err);
}
