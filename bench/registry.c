#define _GNU_SOURCE
#include "registry.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"

static char version[64] = "unknown";

const char *bench_registry_version(void) { return version; }

static int write_config(const struct bench_registry *r) {
  char path[128];
  snprintf(path, sizeof path, "%s/config.yml", r->dir);
  FILE *f = fopen(path, "w");
  if (!f)
    return -1;
  /* level info: the "listening on" line is how we learn the port (port 0
   * avoids races with anything else on the machine). The access log is off
   * so that logging costs as little as the registry allows. */
  fprintf(f,
          "version: 0.1\n"
          "log:\n"
          "  level: info\n"
          "  accesslog:\n"
          "    disabled: true\n"
          "storage:\n"
          "  filesystem:\n"
          "    rootdirectory: %s/data\n"
          "  delete:\n"
          "    enabled: true\n"
          "  maintenance:\n"
          "    uploadpurging:\n"
          "      enabled: false\n"
          "http:\n"
          "  addr: 127.0.0.1:0\n"
          "  secret: alien-ar-bench-only-secret\n",
          r->dir);
  return fclose(f);
}

static pid_t spawn(const struct bench_registry *r) {
  char cfg[128], logp[128];
  snprintf(cfg, sizeof cfg, "%s/config.yml", r->dir);
  snprintf(logp, sizeof logp, "%s/registry.log", r->dir);
  pid_t parent = getpid();
  pid_t pid = fork();
  if (pid != 0)
    return pid;
  /* Safety net: if the benchmark is killed (no chance to run its cleanup),
   * the kernel kills the registry too. Forked from the main thread, whose
   * exit is the process's. */
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (getppid() != parent)
    _exit(126);
  int logfd = open(logp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  int nullfd = open("/dev/null", O_RDONLY | O_CLOEXEC);
  if (logfd < 0 || nullfd < 0)
    _exit(126);
  dup2(nullfd, 0);
  dup2(logfd, 1);
  dup2(logfd, 2);
  execlp("docker-registry", "docker-registry", "serve", cfg, (char *)NULL);
  _exit(127);
}

/* Reads the log and fills port and version once the listen line is in. */
static int parse_log(struct bench_registry *r) {
  char logp[128], buf[8192];
  snprintf(logp, sizeof logp, "%s/registry.log", r->dir);
  FILE *f = fopen(logp, "r");
  if (!f)
    return 0;
  size_t n = fread(buf, 1, sizeof buf - 1, f);
  fclose(f);
  buf[n] = '\0';
  /* " version=" and not "go.version=", which comes first. */
  const char *v = strstr(buf, " version=");
  if (v) {
    size_t len = strcspn(v + 9, " \n");
    if (len >= sizeof version)
      len = sizeof version - 1;
    memcpy(version, v + 9, len);
    version[len] = '\0';
  }
  static const char mark[] = "listening on 127.0.0.1:";
  const char *p = strstr(buf, mark);
  if (!p)
    return 0;
  char *end = NULL;
  long port = strtol(p + sizeof mark - 1, &end, 10);
  if (end == p + sizeof mark - 1 || port <= 0 || port > 65535)
    return 0;
  r->port = (int)port;
  return 1;
}

int bench_registry_start(struct bench_registry *r) {
  memset(r, 0, sizeof *r);
  snprintf(r->dir, sizeof r->dir, "/tmp/alien-ar-bench-XXXXXX");
  if (!mkdtemp(r->dir)) {
    fprintf(stderr, "mkdtemp: %s\n", strerror(errno));
    r->dir[0] = '\0';
    return -1;
  }
  if (write_config(r) != 0) {
    fprintf(stderr, "cannot write the registry config in %s\n", r->dir);
    bench_registry_stop(r);
    return -1;
  }
  r->pid = spawn(r);
  if (r->pid < 0) {
    fprintf(stderr, "fork: %s\n", strerror(errno));
    r->pid = 0;
    bench_registry_stop(r);
    return -1;
  }
  double deadline = bench_now() + 10.0;
  while (!parse_log(r)) {
    int st;
    if (waitpid(r->pid, &st, WNOHANG) == r->pid) {
      r->pid = 0;
      fprintf(stderr, "docker-registry exited before listening (is it "
                      "installed?); log in %s/registry.log\n", r->dir);
      bench_registry_stop(r);
      return -1;
    }
    if (bench_now() > deadline) {
      fprintf(stderr, "docker-registry did not listen within 10 s\n");
      bench_registry_stop(r);
      return -1;
    }
    bench_sleep_ms(5);
  }
  snprintf(r->url, sizeof r->url, "http://127.0.0.1:%d", r->port);
  snprintf(r->hostport, sizeof r->hostport, "127.0.0.1:%d", r->port);
  return 0;
}

static int rm_entry(const char *path, const struct stat *sb, int type,
                    struct FTW *ftw) {
  (void)sb;
  (void)type;
  (void)ftw;
  remove(path);
  return 0;
}

void bench_registry_stop(struct bench_registry *r) {
  if (r->pid > 0) {
    int st;
    kill(r->pid, SIGTERM);
    double deadline = bench_now() + 2.0;
    pid_t w;
    while ((w = waitpid(r->pid, &st, WNOHANG)) == 0 && bench_now() < deadline)
      bench_sleep_ms(10);
    if (w == 0) {
      kill(r->pid, SIGKILL);
      waitpid(r->pid, &st, 0);
    }
    r->pid = 0;
  }
  if (r->dir[0])
    nftw(r->dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
  r->dir[0] = '\0';
}
