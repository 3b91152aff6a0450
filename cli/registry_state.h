/* The state of one local registry, worked out from its files and /proc,
 * and the JSON that reports it. */
#ifndef ALIEN_AR_CLI_REGISTRY_STATE_H
#define ALIEN_AR_CLI_REGISTRY_STATE_H

#include <json-c/json.h>
#include <sys/types.h>

#include "registry_paths.h"

/* How long `status` waits for GET /v2/ before saying "not answering". */
#define REG_PROBE_TIMEOUT_MS 2000

enum reg_state {
  REG_ABSENT,         /* no directory for this id */
  REG_STOPPED,        /* no server process (a stale pid file is ignored) */
  REG_NOT_ANSWERING,  /* our server process lives, GET /v2/ fails */
  REG_RUNNING         /* our server process lives and answers */
};

struct reg_status {
  enum reg_state state;
  pid_t pid;         /* the live server, 0 when there is none */
  int port;          /* its port, 0 when unknown */
  pid_t stale_pid;   /* a pid file naming no live server of ours, or 0 */
};

/* Reads the pid and port files, checks /proc and, when the process is
 * ours, probes GET /v2/ for up to `probe_ms` (0: no probe, and a live
 * server counts as running). */
void reg_status_read(const struct reg_paths *p, int probe_ms,
                     struct reg_status *st);

const char *reg_state_name(enum reg_state state);

/* {"registryId","state","pid","registryUrl","dataDir"[,"stalePid"]} */
json_object *reg_status_json(const struct reg_paths *p,
                             const struct reg_status *st);

/* The binding alien emits for a local registry:
 * {"service":"local","registryUrl":"localhost:PORT","dataDir":DIR} */
json_object *reg_binding_json(const struct reg_paths *p, int port);

/* The exit status `status` uses: 0 running, 1 not answering, 3 not
 * running. */
int reg_state_exit(enum reg_state state);

#endif
