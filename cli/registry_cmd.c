#include "registry_cmd.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fsutil.h"
#include "output.h"
#include "registry_error.h"
#include "registry_lock.h"
#include "registry_paths.h"
#include "registry_proc.h"
#include "registry_spawn.h"
#include "registry_state.h"

const char cli_registry_help[] =
  "Usage: alien-ar registry start ID [--data-dir DIR]\n"
  "       alien-ar registry stop|status|binding|purge ID [--data-dir DIR]\n"
  "       alien-ar registry list [--data-dir DIR]\n"
  "\n"
  "Runs local OCI registries for the 'local' binding: docker-registry\n"
  "(distribution 2.8, Debian package docker-registry) listening on\n"
  "127.0.0.1 only, on a port the kernel picks, with deletion enabled. The\n"
  "server outlives alien-ar; everything about registry ID lives in\n"
  "DIR/artifact_registry/ID/: pid, port, config.yml, registry.log, lock,\n"
  "metadata.json and the storage (data/).\n"
  "\n"
  "  start ID    start the server unless it is running, wait until GET /v2/\n"
  "              answers, print the binding alien emits for it:\n"
  "              {\"service\":\"local\",\"registryUrl\":\"localhost:PORT\",\n"
  "               \"dataDir\":\"DIR/artifact_registry/ID\"}\n"
  "              Idempotent: a running registry prints the same binding. A\n"
  "              stale pid file (server died, reboot, pid reused) is "
  "ignored.\n"
  "  stop ID     SIGTERM, then SIGKILL after 5 s; keeps the storage and\n"
  "              metadata.json. Stopping a registry that is not running is\n"
  "              not an error.\n"
  "  status ID   {\"registryId\",\"state\",\"pid\",\"registryUrl\","
  "\"dataDir\"}; state is\n"
  "              running, not_answering, stopped or absent\n"
  "  binding ID  the binding of a running registry\n"
  "  list        every registry under DIR with its state, as a JSON array\n"
  "  purge ID    stop, then delete DIR/artifact_registry/ID entirely\n"
  "\n"
  "ID: 1 to 64 of a-z, 0-9, '.', '_', '-', starting with a letter or "
  "digit.\n"
  "DIR: --data-dir, else $XDG_STATE_HOME/alien-ar, else\n"
  "~/.local/state/alien-ar.\n"
  "\n"
  "Exit status:\n"
  "  0  success; status: running and answering\n"
  "  1  failure (REGISTRY_START_FAILED, REGISTRY_BINARY_MISSING, ...);\n"
  "     status: the process lives but GET /v2/ does not answer\n"
  "     (binding: REGISTRY_NOT_ANSWERING)\n"
  "  2  usage error\n"
  "  3  status, binding: not running (binding: REGISTRY_NOT_RUNNING)\n"
  "  5  INVALID_REGISTRY_ID\n"
  "Errors are alien's error JSON on the last line of stderr.\n"
  "\n"
  "Example:\n"
  "  $ alien-ar registry start demo --data-dir /tmp/ar\n"
  "  {\"service\":\"local\",\"registryUrl\":\"localhost:41235\","
  "\"dataDir\":\"/tmp/ar/artifact_registry/demo\"}\n"
  "  $ alien-ar registry stop demo --data-dir /tmp/ar\n";

static int print_status(const struct reg_paths *p,
                        const struct reg_status *st)
{
  return cli_print_json(reg_status_json(p, st));
}

/* metadata.json as alien writes it (serde_json::to_string_pretty). */
static int write_metadata(const struct reg_paths *p)
{
  char *text = cli_strdupf("{\n  \"registry_id\": \"%s\"\n}", p->id);
  int rc;

  if(!text)
    return -1;
  rc = cli_write_file(p->metadata, text, strlen(text), 0644);
  free(text);
  return rc;
}

static int start_locked(struct reg_paths *p, const char *binary)
{
  struct reg_status st;
  pid_t pid;
  int port, rc;

  reg_status_read(p, REG_PROBE_TIMEOUT_MS, &st);
  if(st.state == REG_RUNNING)
    return cli_print_json(reg_binding_json(p, st.port));
  if(st.state == REG_NOT_ANSWERING)
    return reg_fail_not_answering(p->id, st.pid, st.port);
  /* Not running: whatever a pid file says is stale. */
  if(cli_remove_file(p->pid) || cli_remove_file(p->port))
    return reg_fail_state(p->id, p->pid, "Cannot remove the stale pid "
                          "file", errno);
  if(write_metadata(p))
    return reg_fail_state(p->id, p->metadata, "Cannot write", errno);
  rc = reg_spawn(p, binary, &pid, &port);
  if(rc != CLI_EXIT_OK)
    return rc;
  return cli_print_json(reg_binding_json(p, port));
}

int cmd_registry_start(struct cli_ctx *ctx)
{
  struct reg_paths p;
  struct reg_status st;
  char *binary;
  int rc, lock;

  rc = reg_paths_init(&p, ctx->opts->data_dir, ctx->opts->args[0]);
  if(rc != CLI_EXIT_OK)
    return rc;
  /* Already up: no lock, no binary needed. */
  reg_status_read(&p, REG_PROBE_TIMEOUT_MS, &st);
  if(st.state == REG_RUNNING) {
    rc = cli_print_json(reg_binding_json(&p, st.port));
    goto out;
  }
  binary = reg_find_binary();
  if(!binary) {
    rc = reg_fail_binary_missing();
    goto out;
  }
  lock = reg_lock(&p, 1);
  if(lock < 0) {
    rc = reg_fail_state(p.id, p.lock, "Cannot lock", errno);
    free(binary);
    goto out;
  }
  /* The directory exists now: name it the canonical way. */
  if(reg_paths_canonicalize(&p))
    rc = reg_fail_state(p.id, p.root, "Cannot resolve", errno);
  else
    rc = start_locked(&p, binary);
  reg_unlock(lock);
  free(binary);
out:
  reg_paths_free(&p);
  return rc;
}

/* Stops the server if ours is running and clears pid and port. Prints
 * nothing on success. Call with the lock held. */
static int stop_locked(const struct reg_paths *p)
{
  struct reg_status st;

  reg_status_read(p, 0, &st);
  if(st.pid && reg_terminate(st.pid, p->config))
    return reg_fail_stop(p->id, st.pid, errno);
  if(cli_remove_file(p->pid) || cli_remove_file(p->port))
    return reg_fail_state(p->id, p->pid, "Cannot remove", errno);
  return CLI_EXIT_OK;
}

int cmd_registry_stop(struct cli_ctx *ctx)
{
  struct reg_paths p;
  struct reg_status st;
  int rc, lock;

  rc = reg_paths_init(&p, ctx->opts->data_dir, ctx->opts->args[0]);
  if(rc != CLI_EXIT_OK)
    return rc;
  lock = reg_lock(&p, 0);
  if(lock < 0 && errno != ENOENT) {
    rc = reg_fail_state(p.id, p.lock, "Cannot lock", errno);
    goto out;
  }
  if(lock >= 0)
    rc = stop_locked(&p);
  if(rc == CLI_EXIT_OK) {
    reg_status_read(&p, 0, &st);
    rc = print_status(&p, &st);
  }
  reg_unlock(lock);
out:
  reg_paths_free(&p);
  return rc;
}

int cmd_registry_status(struct cli_ctx *ctx)
{
  struct reg_paths p;
  struct reg_status st;
  int rc;

  rc = reg_paths_init(&p, ctx->opts->data_dir, ctx->opts->args[0]);
  if(rc != CLI_EXIT_OK)
    return rc;
  reg_status_read(&p, REG_PROBE_TIMEOUT_MS, &st);
  rc = print_status(&p, &st);
  if(rc == CLI_EXIT_OK)
    rc = reg_state_exit(st.state);
  reg_paths_free(&p);
  return rc;
}

int cmd_registry_binding(struct cli_ctx *ctx)
{
  struct reg_paths p;
  struct reg_status st;
  int rc;

  rc = reg_paths_init(&p, ctx->opts->data_dir, ctx->opts->args[0]);
  if(rc != CLI_EXIT_OK)
    return rc;
  reg_status_read(&p, REG_PROBE_TIMEOUT_MS, &st);
  if(st.state == REG_RUNNING)
    rc = cli_print_json(reg_binding_json(&p, st.port));
  else if(st.state == REG_NOT_ANSWERING)
    rc = reg_fail_not_answering(p.id, st.pid, st.port);
  else
    rc = reg_fail_not_running(p.id, p.dir);
  reg_paths_free(&p);
  return rc;
}

static int compare_names(const void *a, const void *b)
{
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The ids under base: directories whose names are valid ids, sorted. */
static int list_ids(const char *base, char ***ids, size_t *n)
{
  DIR *d = opendir(base);
  struct dirent *e;
  size_t cap = 0;

  *ids = NULL;
  *n = 0;
  if(!d)
    return errno == ENOENT ? 0 : -1;
  while((e = readdir(d)) != NULL) {
    struct stat st;
    char *path;
    int is_dir;

    if(!reg_id_valid(e->d_name))
      continue;
    path = cli_path_join(base, e->d_name);
    is_dir = path && lstat(path, &st) == 0 && S_ISDIR(st.st_mode);
    free(path);
    if(!is_dir)
      continue;
    if(*n == cap) {
      char **bigger = realloc(*ids, (cap ? cap * 2 : 8) * sizeof(char *));
      if(!bigger)
        break;
      *ids = bigger;
      cap = cap ? cap * 2 : 8;
    }
    (*ids)[*n] = strdup(e->d_name);
    if((*ids)[*n])
      (*n)++;
  }
  closedir(d);
  if(*n)
    qsort(*ids, *n, sizeof(char *), compare_names);
  return 0;
}

int cmd_registry_list(struct cli_ctx *ctx)
{
  struct reg_paths root;
  json_object *arr;
  char **ids;
  size_t n, i;
  int rc;

  rc = reg_paths_init(&root, ctx->opts->data_dir, NULL);
  if(rc != CLI_EXIT_OK)
    return rc;
  if(list_ids(root.base, &ids, &n)) {
    rc = reg_fail_state(NULL, root.base, "Cannot list", errno);
    reg_paths_free(&root);
    return rc;
  }
  arr = json_object_new_array();
  for(i = 0; i < n; i++) {
    struct reg_paths p;
    struct reg_status st;
    /* Quietly: a valid id never fails here short of running out of
     * memory, and then the entry is left out. */
    if(arr && reg_paths_init(&p, root.root, ids[i]) == CLI_EXIT_OK) {
      reg_status_read(&p, REG_PROBE_TIMEOUT_MS, &st);
      json_object_array_add(arr, reg_status_json(&p, &st));
      reg_paths_free(&p);
    }
    free(ids[i]);
  }
  free(ids);
  reg_paths_free(&root);
  return cli_print_json(arr);
}

int cmd_registry_purge(struct cli_ctx *ctx)
{
  struct reg_paths p;
  struct reg_status st;
  int rc, lock;

  rc = reg_paths_init(&p, ctx->opts->data_dir, ctx->opts->args[0]);
  if(rc != CLI_EXIT_OK)
    return rc;
  lock = reg_lock(&p, 0);
  if(lock < 0 && errno != ENOENT) {
    rc = reg_fail_state(p.id, p.lock, "Cannot lock", errno);
    goto out;
  }
  if(lock >= 0) {
    rc = stop_locked(&p);
    /* Deleted with the lock held: a start waiting for it sees the lock
     * file gone and starts afresh. */
    if(rc == CLI_EXIT_OK && cli_rm_rf(p.dir))
      rc = reg_fail_state(p.id, p.dir, "Cannot delete", errno);
    reg_unlock(lock);
  }
  if(rc == CLI_EXIT_OK) {
    reg_status_read(&p, 0, &st);
    rc = print_status(&p, &st);
  }
out:
  reg_paths_free(&p);
  return rc;
}
