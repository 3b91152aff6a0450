/* Starting the registry server as a daemon: docker-registry serve CONFIG,
 * in its own session, stdin from /dev/null, stdout and stderr appended to
 * registry.log, no other descriptors, no REGISTRY_* environment overrides,
 * listening on 127.0.0.1 and a port the kernel picks. */
#ifndef ALIEN_AR_CLI_REGISTRY_SPAWN_H
#define ALIEN_AR_CLI_REGISTRY_SPAWN_H

#include <sys/types.h>

#include "registry_paths.h"

/* How long a start waits for the server to answer GET /v2/. */
#define REG_START_TIMEOUT_MS 15000
/* How long a stop waits after SIGTERM, and again after SIGKILL. */
#define REG_STOP_GRACE_MS 5000

/* The docker-registry executable found in PATH (malloc()ed), or NULL. */
char *reg_find_binary(void);

/* Writes the config, starts the server, writes the pid file and waits
 * until it answers; then writes the port file. On failure the server is
 * killed, the error printed, and the exit status returned. */
int reg_spawn(const struct reg_paths *p, const char *binary, pid_t *pid,
              int *port);

/* The port in the server's "listening on 127.0.0.1:PORT" log line, or 0. */
int reg_log_port(const char *log_path);

/* SIGTERM (and SIGCONT, for a stopped process), SIGKILL after the grace
 * time. 0 once the process is gone or a zombie; -1 with errno otherwise. */
int reg_terminate(pid_t pid, const char *config_path);

#endif
