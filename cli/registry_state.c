#include "registry_state.h"

#include <stdio.h>
#include <sys/stat.h>

#include "cli.h"
#include "http_probe.h"
#include "registry_proc.h"
#include "registry_spawn.h"

void reg_status_read(const struct reg_paths *p, int probe_ms,
                     struct reg_status *st)
{
  struct stat sb;
  long pid, port;

  st->state = REG_STOPPED;
  st->pid = 0;
  st->port = 0;
  st->stale_pid = 0;
  if(stat(p->dir, &sb) || !S_ISDIR(sb.st_mode)) {
    st->state = REG_ABSENT;
    return;
  }
  if(reg_read_number(p->pid, 0x7fffffffL, &pid))
    return;
  if(reg_proc_check((pid_t)pid, p->config) != REG_PROC_OURS) {
    st->stale_pid = (pid_t)pid;
    return;
  }
  st->pid = (pid_t)pid;
  if(!reg_read_number(p->port, 65535, &port))
    st->port = (int)port;
  else /* a start that was interrupted before it wrote the port file */
    st->port = reg_log_port(p->log);
  if(!st->port)
    st->state = REG_NOT_ANSWERING;
  else if(probe_ms <= 0 || cli_probe_v2(st->port, probe_ms))
    st->state = REG_RUNNING;
  else
    st->state = REG_NOT_ANSWERING;
}

const char *reg_state_name(enum reg_state state)
{
  switch(state) {
  case REG_ABSENT:
    return "absent";
  case REG_STOPPED:
    return "stopped";
  case REG_NOT_ANSWERING:
    return "not_answering";
  case REG_RUNNING:
    return "running";
  }
  return "unknown";
}

static json_object *url_or_null(int port)
{
  char url[32];

  if(!port)
    return NULL;
  snprintf(url, sizeof(url), "localhost:%d", port);
  return json_object_new_string(url);
}

json_object *reg_status_json(const struct reg_paths *p,
                             const struct reg_status *st)
{
  json_object *o = json_object_new_object();

  if(!o)
    return NULL;
  json_object_object_add(o, "registryId", json_object_new_string(p->id));
  json_object_object_add(o, "state",
                         json_object_new_string(reg_state_name(st->state)));
  json_object_object_add(o, "pid",
                         st->pid ? json_object_new_int64(st->pid) : NULL);
  json_object_object_add(o, "registryUrl",
                         st->pid ? url_or_null(st->port) : NULL);
  json_object_object_add(o, "dataDir", json_object_new_string(p->dir));
  if(st->stale_pid)
    json_object_object_add(o, "stalePid",
                           json_object_new_int64(st->stale_pid));
  return o;
}

json_object *reg_binding_json(const struct reg_paths *p, int port)
{
  json_object *o = json_object_new_object();

  if(!o)
    return NULL;
  json_object_object_add(o, "service", json_object_new_string("local"));
  json_object_object_add(o, "registryUrl", url_or_null(port));
  json_object_object_add(o, "dataDir", json_object_new_string(p->dir));
  return o;
}

int reg_state_exit(enum reg_state state)
{
  switch(state) {
  case REG_RUNNING:
    return CLI_EXIT_OK;
  case REG_NOT_ANSWERING:
    return CLI_EXIT_FAILURE;
  default:
    return CLI_EXIT_NOT_FOUND;
  }
}
