#include "dispatch.h"

#include <stdlib.h>
#include <string.h>

#include "binding.h"
#include "commands.h"
#include "log.h"
#include "plugin.h"
#include "registry_cmd.h"
#include "session.h"

const struct cli_command cli_commands[] = {
  { "backends", NULL, "", "list the plugin's backends (no --binding)",
    0, 0, CLI_NEEDS_PLUGIN, cmd_backends, NULL },
  { "endpoint", NULL, "", "print the registry endpoint URL",
    0, 0, CLI_NEEDS_BINDING, cmd_endpoint, NULL },
  { "prefix", NULL, "", "print the upstream repository prefix",
    0, 0, CLI_NEEDS_BINDING, cmd_prefix, NULL },
  { "create", NULL, "LOGICAL", "create a repository and print it",
    1, 1, CLI_NEEDS_BINDING, cmd_create, NULL },
  { "get", NULL, "REPO_ID", "print a repository",
    1, 1, CLI_NEEDS_BINDING, cmd_get, NULL },
  { "delete", NULL, "REPO_ID", "delete a repository's images",
    1, 1, CLI_NEEDS_BINDING, cmd_delete, NULL },
  { "credentials", NULL,
    "REPO_ID [--permissions pull|push-pull] [--ttl SECONDS]",
    "generate registry credentials",
    1, 1, CLI_NEEDS_BINDING | CLI_CREDENTIAL_OPTIONS, cmd_credentials,
    NULL },
  { "cross-account", "get", "REPO_ID", "print cross-account access",
    1, 1, CLI_NEEDS_BINDING, cmd_cross_account_get, NULL },
  { "cross-account", "add", "REPO_ID ACCESS_JSON",
    "grant cross-account access",
    2, 2, CLI_NEEDS_BINDING, cmd_cross_account_add, NULL },
  { "cross-account", "remove", "REPO_ID ACCESS_JSON",
    "revoke cross-account access",
    2, 2, CLI_NEEDS_BINDING, cmd_cross_account_remove, NULL },
  { "registry", "start", "ID [--data-dir DIR]",
    "start a local registry; print its binding",
    1, 1, CLI_DATA_DIR_OPTION, cmd_registry_start, cli_registry_help },
  { "registry", "stop", "ID [--data-dir DIR]",
    "stop a local registry, keeping its storage",
    1, 1, CLI_DATA_DIR_OPTION, cmd_registry_stop, cli_registry_help },
  { "registry", "status", "ID [--data-dir DIR]",
    "print a local registry's state",
    1, 1, CLI_DATA_DIR_OPTION, cmd_registry_status, cli_registry_help },
  { "registry", "binding", "ID [--data-dir DIR]",
    "print a running local registry's binding JSON",
    1, 1, CLI_DATA_DIR_OPTION, cmd_registry_binding, cli_registry_help },
  { "registry", "list", "[--data-dir DIR]",
    "print every local registry and its state",
    0, 0, CLI_DATA_DIR_OPTION, cmd_registry_list, cli_registry_help },
  { "registry", "purge", "ID [--data-dir DIR]",
    "stop a local registry and delete its storage",
    1, 1, CLI_DATA_DIR_OPTION, cmd_registry_purge, cli_registry_help },
  { "session", NULL, "",
    "serve requests as JSON lines on stdin and stdout",
    0, 0, 0, cmd_session, cli_session_help },
};

const size_t cli_command_count = sizeof(cli_commands) /
                                 sizeof(cli_commands[0]);

const struct cli_command *cli_command_find(char **words, int nwords,
                                           int *used)
{
  size_t i;

  *used = 0;
  if(nwords < 1)
    return NULL;
  for(i = 0; i < cli_command_count; i++) {
    const struct cli_command *c = &cli_commands[i];
    if(strcmp(c->name, words[0]))
      continue;
    if(!c->sub) {
      *used = 1;
      return c;
    }
    if(nwords >= 2 && !strcmp(c->sub, words[1])) {
      *used = 2;
      return c;
    }
  }
  return NULL;
}

int cli_dispatch(const struct cli_options *opts)
{
  const struct cli_command *cmd = opts->command;
  struct cli_ctx ctx;
  int rc;

  memset(&ctx, 0, sizeof(ctx));
  ctx.opts = opts;
  ctx.host.struct_size = (uint32_t)sizeof(ctx.host);
  ctx.host.log_level = cli_log_level();
  ctx.host.log = cli_log_sink;
  ctx.host.user_data = NULL;

  if(cmd->flags & (CLI_NEEDS_PLUGIN | CLI_NEEDS_BINDING)) {
    const char *path = cli_plugin_path(opts->plugin_path);
    char *why = NULL;
    enum cli_load r = cli_plugin_load(&ctx.plugin, path, &why);
    if(r != CLI_LOAD_OK) {
      rc = cli_plugin_report(r, path, why);
      free(why);
      return rc;
    }
  }
  if(cmd->flags & CLI_NEEDS_BINDING) {
    rc = cli_binding_open(&ctx);
    if(rc != CLI_EXIT_OK)
      goto out;
  }
  rc = cmd->run(&ctx);
out:
  if(ctx.handle)
    ctx.plugin.table->close(ctx.handle);
  cli_plugin_unload(&ctx.plugin);
  return rc;
}
