#include "registry_error.h"

#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "output.h"

static json_object *id_context(const char *id)
{
  json_object *ctx = json_object_new_object();

  if(ctx && id)
    json_object_object_add(ctx, "registry_id", json_object_new_string(id));
  return ctx;
}

static int fail(int exit_code, const char *code, int http, char *msg,
                json_object *ctx)
{
  int rc = cli_report_error(exit_code, code, msg, ctx, http, NULL);

  free(msg);
  return rc;
}

int reg_fail_invalid_id(const char *id)
{
  return fail(CLI_EXIT_INVALID, "INVALID_REGISTRY_ID", 400,
              cli_strdupf("Invalid registry id '%.80s': use 1 to 64 of "
                          "a-z, 0-9, '.', '_' and '-', starting with a "
                          "letter or digit", id),
              id_context(id));
}

int reg_fail_not_running(const char *id, const char *dir)
{
  json_object *ctx = id_context(id);

  if(ctx && dir)
    json_object_object_add(ctx, "data_dir", json_object_new_string(dir));
  return fail(CLI_EXIT_NOT_FOUND, "REGISTRY_NOT_RUNNING", 404,
              cli_strdupf("Artifact registry '%s' is not running; start "
                          "it with 'alien-ar registry start %s'", id, id),
              ctx);
}

int reg_fail_not_answering(const char *id, pid_t pid, int port)
{
  json_object *ctx = id_context(id);

  if(ctx) {
    json_object_object_add(ctx, "pid", json_object_new_int64(pid));
    if(port)
      json_object_object_add(ctx, "port", json_object_new_int(port));
  }
  return fail(CLI_EXIT_FAILURE, "REGISTRY_NOT_ANSWERING", 503,
              cli_strdupf("Artifact registry '%s' (pid %ld) is running but "
                          "does not answer GET /v2/; restart it with "
                          "'alien-ar registry stop %s' and 'alien-ar "
                          "registry start %s'", id, (long)pid, id, id),
              ctx);
}

int reg_fail_binary_missing(void)
{
  json_object *ctx = json_object_new_object();
  const char *path = getenv("PATH");

  if(ctx) {
    json_object_object_add(ctx, "binary",
                           json_object_new_string("docker-registry"));
    json_object_object_add(ctx, "package",
                           json_object_new_string("docker-registry"));
    json_object_object_add(ctx, "path",
                           path ? json_object_new_string(path) : NULL);
  }
  return fail(CLI_EXIT_FAILURE, "REGISTRY_BINARY_MISSING", 500,
              cli_strdupf("The registry server 'docker-registry' was not "
                          "found in PATH; install it with 'apt-get install "
                          "docker-registry' (Debian's package of "
                          "distribution 2.8)"),
              ctx);
}

int reg_fail_start(const char *id, const char *reason, const char *log,
                   const char *log_tail)
{
  json_object *ctx = id_context(id);

  if(ctx) {
    if(log)
      json_object_object_add(ctx, "log", json_object_new_string(log));
    if(log_tail)
      json_object_object_add(ctx, "log_tail",
                             json_object_new_string(log_tail));
  }
  return fail(CLI_EXIT_FAILURE, "REGISTRY_START_FAILED", 500,
              cli_strdupf("Artifact registry '%s' failed to start: %s%s%s",
                          id, reason, log ? "; see " : "", log ? log : ""),
              ctx);
}

int reg_fail_stop(const char *id, pid_t pid, int err)
{
  json_object *ctx = id_context(id);

  if(ctx)
    json_object_object_add(ctx, "pid", json_object_new_int64(pid));
  return fail(CLI_EXIT_FAILURE, "REGISTRY_STOP_FAILED", 500,
              cli_strdupf("Artifact registry '%s' (pid %ld) could not be "
                          "stopped%s%s", id, (long)pid, err ? ": " : "",
                          err ? strerror(err) : ""),
              ctx);
}

int reg_fail_state(const char *id, const char *path, const char *what,
                   int err)
{
  json_object *ctx = id_context(id);

  if(ctx && path)
    json_object_object_add(ctx, "path", json_object_new_string(path));
  if(ctx && !json_object_object_length(ctx)) {
    json_object_put(ctx);
    ctx = NULL;
  }
  return fail(CLI_EXIT_FAILURE, "REGISTRY_STATE_ERROR", 500,
              cli_strdupf("%s%s%s%s%s%s", what, path ? " '" : "",
                          path ? path : "", path ? "'" : "",
                          err ? ": " : "", err ? strerror(err) : ""),
              ctx);
}
