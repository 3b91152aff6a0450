/*
 * The docker-registry process behind every test registry (plain, TLS,
 * token auth): spawn it on a directory holding config.yml, learn its port
 * from its log, read its access log, stop it. Loopback only: the configs
 * written by the fixtures listen on 127.0.0.1.
 */
#ifndef ALIEN_AR_TEST_REGISTRY_PROCESS_H
#define ALIEN_AR_TEST_REGISTRY_PROCESS_H

#include <sys/types.h>

/* Writes DIR/config.yml: storage under DIR/data, info log, the access log
 * on or off, deletion on or off, listening on 127.0.0.1:PORT (0 = any),
 * then `tail` verbatim (http.tls lines, then an auth section; may be ""). */
void ar_test_registry_write_config(const char *dir, int access_log,
                                   int delete_disabled, int port,
                                   const char *tail);

/* Starts `docker-registry serve DIR/config.yml` with stdout and stderr in
 * DIR/registry.log (appended to when append_log, else truncated). The child
 * dies with the test process (PR_SET_PDEATHSIG). Asserts fork works. */
pid_t ar_test_registry_spawn(const char *dir, int append_log);

/* Waits until DIR/registry.log shows the listening port and returns it.
 * 0 with *why set when the server exited first (then *pid is 0: reaped)
 * or nothing showed up before `deadline` (ar_test_now() seconds). */
int ar_test_registry_await_port(pid_t *pid, const char *dir, double deadline,
                                const char **why);

/* SIGTERM, up to 2 s for the server to go, then SIGKILL; reaps it and sets
 * *pid to 0. No-op when *pid <= 0. */
void ar_test_registry_kill(pid_t *pid);

/* GET of PATH ("/v2/...") on the registry, returning the HTTP status (0
 * when the request failed); CTX is the caller's registry. */
typedef long (*ar_test_get_status_fn)(const void *ctx, const char *path);

/* Sends a sync probe with GET, waits until DIR/registry.log shows it and
 * returns the whole log (malloc'd): every request answered before the
 * probe is in it, since the server logs a request before answering. */
char *ar_test_registry_synced_log(const char *dir, ar_test_get_status_fn get,
                                  const void *ctx);

/* Whether the log line [line, end) is an access-log line for METHOD PATH
 * over PROTO (each NULL matches anything; PATH is exact, query included;
 * PROTO e.g. "HTTP/2.0"). The fixtures' sync probes (?alien-sync=) never
 * match. */
int ar_test_access_line_is(const char *line, const char *end,
                           const char *method, const char *path,
                           const char *proto);

/* Counts the lines of LOG for which ar_test_access_line_is holds. */
int ar_test_access_count(const char *log, const char *method,
                         const char *path, const char *proto);

#endif
