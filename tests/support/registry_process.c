#define _GNU_SOURCE
#include "registry_process.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "registry_fixture.h"
#include "test_util.h"

#define STOP_GRACE_S 2.0

void ar_test_registry_write_config(const char *dir, int access_log,
                                   int delete_disabled, int port,
                                   const char *tail) {
  char path[4200], cfg[20000];
  ar_test_join_path(path, sizeof path, dir, "config.yml");
  int n = snprintf(cfg, sizeof cfg,
                   "version: 0.1\n"
                   "log:\n"
                   "  level: info\n"
                   "  accesslog:\n"
                   "    disabled: %s\n"
                   "storage:\n"
                   "  filesystem:\n"
                   "    rootdirectory: %s/data\n"
                   "  delete:\n"
                   "    enabled: %s\n"
                   "  maintenance:\n"
                   "    uploadpurging:\n"
                   "      enabled: false\n"
                   "http:\n"
                   "  addr: 127.0.0.1:%d\n"
                   "  secret: alien-ar-test-only-secret\n"
                   "%s",
                   access_log ? "false" : "true", dir,
                   delete_disabled ? "false" : "true", port, tail);
  cr_assert(n > 0 && (size_t)n < sizeof cfg, "config too long");
  cr_assert_eq(ar_test_write_file(path, cfg, (size_t)n), 0,
               "cannot write %s", path);
}

pid_t ar_test_registry_spawn(const char *dir, int append_log) {
  char cfg[4200], logp[4200];
  ar_test_join_path(cfg, sizeof cfg, dir, "config.yml");
  ar_test_join_path(logp, sizeof logp, dir, "registry.log");
  pid_t parent = getpid();
  pid_t pid = fork();
  cr_assert_neq(pid, -1, "fork: %s", strerror(errno));
  if (pid == 0) {
    /* A crashed test process must never leave a registry behind. */
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent)
      _exit(126);
    int logfd = open(logp, O_WRONLY | O_CREAT |
                               (append_log ? O_APPEND : O_TRUNC),
                     0600);
    int nullfd = open("/dev/null", O_RDONLY);
    if (logfd < 0 || nullfd < 0)
      _exit(126);
    dup2(nullfd, 0);
    dup2(logfd, 1);
    dup2(logfd, 2);
    ar_test_close_fds_from(3);
    execlp("docker-registry", "docker-registry", "serve", cfg, (char *)NULL);
    _exit(127);
  }
  return pid;
}

static int listen_port(const char *log) {
  static const char marker[] = "listening on 127.0.0.1:";
  const char *p = strstr(log, marker);
  if (!p)
    return 0;
  char *end = NULL;
  errno = 0;
  long port = strtol(p + sizeof marker - 1, &end, 10);
  if (errno || end == p + sizeof marker - 1 || port <= 0 || port > 65535)
    return 0;
  return (int)port;
}

int ar_test_registry_await_port(pid_t *pid, const char *dir, double deadline,
                                const char **why) {
  char logp[4200];
  ar_test_join_path(logp, sizeof logp, dir, "registry.log");
  for (;;) {
    char *log = ar_test_read_file(logp, NULL);
    int port = listen_port(log);
    free(log);
    if (port)
      return port;
    int st;
    if (waitpid(*pid, &st, WNOHANG) == *pid) {
      *pid = 0;
      *why = "docker-registry exited before listening";
      return 0;
    }
    if (ar_test_now() > deadline) {
      *why = "no 'listening on' line in time";
      return 0;
    }
    ar_test_sleep_ms(5);
  }
}

void ar_test_registry_kill(pid_t *pid) {
  if (*pid <= 0)
    return;
  int st;
  kill(*pid, SIGTERM);
  double deadline = ar_test_now() + STOP_GRACE_S;
  pid_t w;
  while ((w = waitpid(*pid, &st, WNOHANG)) == 0 && ar_test_now() < deadline)
    ar_test_sleep_ms(10);
  if (w == 0) {
    kill(*pid, SIGKILL);
    waitpid(*pid, &st, 0);
  }
  *pid = 0;
}

char *ar_test_registry_synced_log(const char *dir, ar_test_get_status_fn get,
                                  const void *ctx) {
  char logp[4200], token[17], path[128], marker[64];
  ar_test_join_path(logp, sizeof logp, dir, "registry.log");
  ar_test_random_hex(token, 16);
  snprintf(path, sizeof path, "/v2/?alien-sync=%s", token);
  snprintf(marker, sizeof marker, "alien-sync=%s", token);
  long st = get(ctx, path);
  /* 401: a registry with auth still logs the probe. */
  cr_assert(st == 200 || st == 401, "sync probe failed (%ld)", st);
  double deadline = ar_test_now() + 5.0;
  char *log = ar_test_read_file(logp, NULL);
  while (!strstr(log, marker)) {
    free(log);
    cr_assert(ar_test_now() < deadline, "sync probe never logged");
    ar_test_sleep_ms(5);
    log = ar_test_read_file(logp, NULL);
  }
  /* Lines of requests on other connections may trail by a moment. */
  ar_test_sleep_ms(20);
  free(log);
  return ar_test_read_file(logp, NULL);
}

/* The field [start, end) equals want (NULL matches anything). */
static int field_is(const char *start, const char *end, const char *want) {
  return !want || ((size_t)(end - start) == strlen(want) &&
                   memcmp(start, want, (size_t)(end - start)) == 0);
}

/* Access log lines look like:
 * 127.0.0.1 - - [date] "HEAD /v2/b/x/manifests/latest HTTP/1.1" 200 ... */
int ar_test_access_line_is(const char *line, const char *end,
                           const char *method, const char *path,
                           const char *proto) {
  /* The server's own log lines (time="...") quote requests too. */
  if ((size_t)(end - line) >= 5 && strncmp(line, "time=", 5) == 0)
    return 0;
  const char *q = memchr(line, '"', (size_t)(end - line));
  if (!q)
    return 0;
  const char *m = q + 1;
  const char *sp = memchr(m, ' ', (size_t)(end - m));
  if (!sp)
    return 0;
  const char *p = sp + 1;
  const char *sp2 = memchr(p, ' ', (size_t)(end - p));
  if (!sp2 || (size_t)(end - sp2) < 6 || memcmp(sp2 + 1, "HTTP/", 5) != 0)
    return 0;
  const char *pr = sp2 + 1;
  const char *pre = memchr(pr, '"', (size_t)(end - pr));
  if (!pre || memmem(p, (size_t)(sp2 - p), "alien-sync=", 11))
    return 0;
  return field_is(m, sp, method) && field_is(p, sp2, path) &&
         field_is(pr, pre, proto);
}

int ar_test_access_count(const char *log, const char *method,
                         const char *path, const char *proto) {
  int count = 0;
  for (const char *line = log; *line;) {
    const char *end = strchr(line, '\n');
    if (!end)
      end = line + strlen(line);
    count += ar_test_access_line_is(line, end, method, path, proto);
    line = *end ? end + 1 : end;
  }
  return count;
}
