#include "registry_spawn.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "fsutil.h"
#include "http_probe.h"
#include "output.h"
#include "registry_error.h"
#include "registry_proc.h"

extern char **environ;

/* Bytes of the log quoted in a start error. */
#define LOG_TAIL_MAX 2048

char *reg_find_binary(void)
{
  const char *path = getenv("PATH");
  const char *p, *end;

  if(!path || !*path)
    path = "/usr/local/bin:/usr/bin:/bin";
  for(p = path; ; p = end + 1) {
    char *dir, *cand;
    struct stat st;

    end = strchr(p, ':');
    if(!end)
      end = p + strlen(p);
    dir = end > p ? cli_strdupf("%.*s", (int)(end - p), p) : strdup(".");
    cand = dir ? cli_path_join(dir, "docker-registry") : NULL;
    free(dir);
    if(cand && stat(cand, &st) == 0 && S_ISREG(st.st_mode) &&
       access(cand, X_OK) == 0)
      return cand;
    free(cand);
    if(!*end)
      return NULL;
  }
}

static int random_hex(char *out, size_t nhex)
{
  static const char hex[] = "0123456789abcdef";
  unsigned char raw[64];
  size_t i, nbytes = (nhex + 1) / 2, got = 0;
  int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);

  if(fd < 0 || nbytes > sizeof(raw)) {
    if(fd >= 0)
      close(fd);
    return -1;
  }
  while(got < nbytes) {
    ssize_t n = read(fd, raw + got, nbytes - got);
    if(n < 0 && errno == EINTR)
      continue;
    if(n <= 0) {
      close(fd);
      return -1;
    }
    got += (size_t)n;
  }
  close(fd);
  for(i = 0; i < nhex; i++)
    out[i] = hex[(raw[i / 2] >> ((i % 2) ? 0 : 4)) & 0xf];
  out[nhex] = '\0';
  return 0;
}

/* A YAML double-quoted scalar (the path has no control characters). */
static char *yaml_quote(const char *s)
{
  size_t n = 0;
  const char *p;
  char *out, *q;

  for(p = s; *p; p++)
    n += (*p == '"' || *p == '\\') ? 2 : 1;
  out = malloc(n + 3);
  if(!out)
    return NULL;
  q = out;
  *q++ = '"';
  for(p = s; *p; p++) {
    if(*p == '"' || *p == '\\')
      *q++ = '\\';
    *q++ = *p;
  }
  *q++ = '"';
  *q = '\0';
  return out;
}

static int write_config(const struct reg_paths *p)
{
  char secret[65];
  char *root, *text;
  int rc;

  if(random_hex(secret, 64))
    return -1;
  root = yaml_quote(p->storage);
  if(!root)
    return -1;
  /* log.level info: the "listening on" line with the port is an info
   * line. 127.0.0.1:0: loopback only, a port the kernel picks. */
  text = cli_strdupf(
    "# Written by 'alien-ar registry start %s' on every start.\n"
    "version: 0.1\n"
    "log:\n"
    "  level: info\n"
    "  accesslog:\n"
    "    disabled: true\n"
    "storage:\n"
    "  filesystem:\n"
    "    rootdirectory: %s\n"
    "  delete:\n"
    "    enabled: true\n"
    "  maintenance:\n"
    "    uploadpurging:\n"
    "      enabled: false\n"
    "http:\n"
    "  addr: 127.0.0.1:0\n"
    "  secret: %s\n", p->id, root, secret);
  free(root);
  if(!text)
    return -1;
  rc = cli_write_file(p->config, text, strlen(text), 0600);
  memset(text, 0, strlen(text));
  free(text);
  return rc;
}

/* ---- the daemon --------------------------------------------------- */

static void close_other_fds(int keep)
{
  DIR *d = opendir("/proc/self/fd");
  long max, fd;

  if(d) {
    int self = dirfd(d);
    struct dirent *e;
    while((e = readdir(d)) != NULL) {
      char *end = NULL;
      fd = strtol(e->d_name, &end, 10);
      if(end == e->d_name || *end)
        continue;
      if(fd > 2 && fd != keep && fd != self)
        close((int)fd);
    }
    closedir(d);
    return;
  }
  max = sysconf(_SC_OPEN_MAX);
  if(max < 0 || max > 65536)
    max = 65536;
  for(fd = 3; fd < max; fd++)
    if(fd != keep)
      close((int)fd);
}

/* REGISTRY_HTTP_ADDR and friends would override the config file; the
 * server must listen where the config says, on loopback. */
static void drop_registry_env(void)
{
  size_t i = 0;

  while(environ && environ[i]) {
    if(!strncmp(environ[i], "REGISTRY_", 9)) {
      const char *eq = strchr(environ[i], '=');
      char name[256];
      size_t n = eq ? (size_t)(eq - environ[i]) : strlen(environ[i]);
      if(n < sizeof(name)) {
        memcpy(name, environ[i], n);
        name[n] = '\0';
        if(unsetenv(name) == 0)
          continue;
      }
      environ[i][0] = '_'; /* cannot unset it: neutralise it */
    }
    i++;
  }
}

static void reset_signals(void)
{
  static const int sigs[] = {
    SIGHUP, SIGINT, SIGQUIT, SIGPIPE, SIGTERM, SIGUSR1, SIGUSR2, SIGCHLD,
    SIGALRM, SIGTSTP, SIGTTIN, SIGTTOU
  };
  struct sigaction dfl;
  sigset_t none;
  size_t i;

  memset(&dfl, 0, sizeof(dfl));
  dfl.sa_handler = SIG_DFL;
  sigemptyset(&dfl.sa_mask);
  for(i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
    sigaction(sigs[i], &dfl, NULL);
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, NULL);
}

/* The grandchild: becomes the server, or reports errno on `report`. */
static void exec_server(const struct reg_paths *p, const char *binary,
                        int logfd, int report)
{
  char *const argv[] = {
    (char *)"docker-registry", (char *)"serve", p->config, NULL
  };
  int nullfd, err;

  reset_signals();
  nullfd = open("/dev/null", O_RDONLY);
  if(nullfd < 0 || chdir("/") || dup2(nullfd, 0) < 0 || dup2(logfd, 1) < 0 ||
     dup2(logfd, 2) < 0)
    goto fail;
  close_other_fds(report);
  umask(077);
  drop_registry_env();
  execv(binary, argv);
fail:
  err = errno;
  if(write(report, &err, sizeof(err)) < 0)
    _exit(126);
  _exit(127);
}

static int make_pipe(int fds[2])
{
  if(pipe(fds))
    return -1;
  if(fcntl(fds[0], F_SETFD, FD_CLOEXEC) || fcntl(fds[1], F_SETFD,
                                                 FD_CLOEXEC)) {
    close(fds[0]);
    close(fds[1]);
    return -1;
  }
  return 0;
}

static ssize_t read_full(int fd, void *buf, size_t len)
{
  size_t got = 0;

  while(got < len) {
    ssize_t n = read(fd, (char *)buf + got, len - got);
    if(n < 0 && errno == EINTR)
      continue;
    if(n <= 0)
      return n < 0 ? -1 : (ssize_t)got;
    got += (size_t)n;
  }
  return (ssize_t)got;
}

/* Double fork: the server is nobody's child here, lives in its own
 * session and outlives alien-ar. Returns its pid, or -1 with *why set. */
static pid_t daemonize(const struct reg_paths *p, const char *binary,
                       int logfd, const char **why, int *err)
{
  int pid_pipe[2], exec_pipe[2];
  pid_t child, server = -1;
  int st, exec_err;
  ssize_t n;

  *why = "cannot create a pipe";
  if(make_pipe(pid_pipe))
    goto fail_errno;
  if(make_pipe(exec_pipe)) {
    close(pid_pipe[0]);
    close(pid_pipe[1]);
    goto fail_errno;
  }
  fflush(NULL);
  child = fork();
  if(child == 0) {
    pid_t grandchild;
    close(pid_pipe[0]);
    close(exec_pipe[0]);
    setsid();
    grandchild = fork();
    if(grandchild == 0) {
      close(pid_pipe[1]);
      exec_server(p, binary, logfd, exec_pipe[1]);
    }
    if(write(pid_pipe[1], &grandchild, sizeof(grandchild)) < 0)
      _exit(1);
    _exit(grandchild > 0 ? 0 : 1);
  }
  close(pid_pipe[1]);
  close(exec_pipe[1]);
  if(child < 0) {
    *why = "fork failed";
    *err = errno;
    close(pid_pipe[0]);
    close(exec_pipe[0]);
    return -1;
  }
  while(waitpid(child, &st, 0) < 0 && errno == EINTR)
    ;
  n = read_full(pid_pipe[0], &server, sizeof(server));
  close(pid_pipe[0]);
  if(n != (ssize_t)sizeof(server) || server <= 0) {
    close(exec_pipe[0]);
    *why = "fork failed";
    *err = 0;
    return -1;
  }
  /* EOF: execv succeeded (the pipe is close-on-exec). */
  n = read_full(exec_pipe[0], &exec_err, sizeof(exec_err));
  close(exec_pipe[0]);
  if(n == (ssize_t)sizeof(exec_err)) {
    *why = "cannot execute docker-registry";
    *err = exec_err;
    return -1;
  }
  return server;
fail_errno:
  *err = errno;
  return -1;
}

/* ---- waiting for it ----------------------------------------------- */

/* The port from distribution's `msg="listening on 127.0.0.1:PORT"`. */
static int parse_port(const char *log)
{
  static const char marker[] = "listening on 127.0.0.1:";
  const char *m = strstr(log, marker);
  char *end = NULL;
  long port;

  if(!m)
    return 0;
  m += sizeof(marker) - 1;
  if(*m < '0' || *m > '9')
    return 0;
  errno = 0;
  port = strtol(m, &end, 10);
  if(errno || port <= 0 || port > 65535)
    return 0;
  return (int)port;
}

int reg_log_port(const char *log_path)
{
  char *log = cli_read_file(log_path, 1 << 20, NULL);
  int port = log ? parse_port(log) : 0;

  free(log);
  return port;
}

static char *log_tail(const char *log_path)
{
  size_t len = 0;
  char *text = cli_read_file(log_path, 1 << 20, &len);
  char *tail;

  if(!text)
    return NULL;
  if(len <= LOG_TAIL_MAX)
    return text;
  tail = strdup(text + len - LOG_TAIL_MAX);
  free(text);
  return tail;
}

/* The last non-empty line of the log, for the error message. */
static char *last_line(const char *text)
{
  size_t end = text ? strlen(text) : 0, start;

  while(end > 0 && (text[end - 1] == '\n' || text[end - 1] == '\r'))
    end--;
  if(!end)
    return NULL;
  start = end;
  while(start > 0 && text[start - 1] != '\n')
    start--;
  return cli_strdupf("%.*s", (int)(end - start > 300 ? 300 : end - start),
                     text + start);
}

static int start_failed(const struct reg_paths *p, pid_t pid,
                        const char *reason)
{
  char *tail, *line, *msg;
  int rc;

  if(pid > 0)
    reg_terminate(pid, p->config);
  cli_remove_file(p->pid);
  cli_remove_file(p->port);
  tail = log_tail(p->log);
  line = last_line(tail);
  msg = line ? cli_strdupf("%s (last log line: %s)", reason, line) : NULL;
  rc = reg_fail_start(p->id, msg ? msg : reason, p->log, tail);
  free(msg);
  free(line);
  free(tail);
  return rc;
}

static int wait_ready(const struct reg_paths *p, pid_t pid, int *port)
{
  long long deadline = cli_now_ms() + REG_START_TIMEOUT_MS;

  *port = 0;
  for(;;) {
    enum reg_proc alive = reg_proc_check(pid, p->config);
    if(alive != REG_PROC_OURS)
      return start_failed(p, pid, "docker-registry exited during "
                          "start-up");
    if(!*port)
      *port = reg_log_port(p->log);
    if(*port && cli_probe_v2(*port, 500))
      return CLI_EXIT_OK;
    if(cli_now_ms() > deadline)
      return start_failed(p, pid, *port ? "GET /v2/ did not answer in "
                          "time" : "no 'listening on' line in the log "
                          "in time");
    cli_sleep_ms(5);
  }
}

int reg_spawn(const struct reg_paths *p, const char *binary, pid_t *pid,
              int *port)
{
  const char *why = NULL;
  int err = 0, logfd, rc;

  *pid = 0;
  *port = 0;
  if(write_config(p))
    return reg_fail_state(p->id, p->config, "Cannot write the registry "
                          "config", errno);
  logfd = open(p->log, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC |
               O_NOFOLLOW, 0600);
  if(logfd < 0)
    return reg_fail_state(p->id, p->log, "Cannot open the registry log",
                          errno);
  *pid = daemonize(p, binary, logfd, &why, &err);
  close(logfd);
  if(*pid < 0) {
    char *reason = cli_strdupf("%s%s%s", why, err ? ": " : "",
                               err ? strerror(err) : "");
    *pid = 0;
    rc = start_failed(p, 0, reason ? reason : why);
    free(reason);
    return rc;
  }
  /* Recorded at once: if we die while waiting, stop still finds it. */
  if(reg_write_number(p->pid, (long)*pid)) {
    int saved = errno;
    reg_terminate(*pid, p->config);
    return reg_fail_state(p->id, p->pid, "Cannot write the pid file",
                          saved);
  }
  rc = wait_ready(p, *pid, port);
  if(rc != CLI_EXIT_OK)
    return rc;
  if(reg_write_number(p->port, *port)) {
    int saved = errno;
    reg_terminate(*pid, p->config);
    cli_remove_file(p->pid);
    return reg_fail_state(p->id, p->port, "Cannot write the port file",
                          saved);
  }
  return CLI_EXIT_OK;
}

static int wait_gone(pid_t pid, const char *config_path, long long ms)
{
  long long deadline = cli_now_ms() + ms;

  for(;;) {
    if(reg_proc_check(pid, config_path) != REG_PROC_OURS)
      return 1;
    if(cli_now_ms() > deadline)
      return 0;
    cli_sleep_ms(10);
  }
}

int reg_terminate(pid_t pid, const char *config_path)
{
  if(reg_proc_check(pid, config_path) != REG_PROC_OURS)
    return 0;
  if(kill(pid, SIGTERM) && errno != ESRCH)
    return -1;
  kill(pid, SIGCONT);
  if(wait_gone(pid, config_path, REG_STOP_GRACE_MS))
    return 0;
  if(kill(pid, SIGKILL) && errno != ESRCH)
    return -1;
  if(wait_gone(pid, config_path, REG_STOP_GRACE_MS))
    return 0;
  errno = ETIMEDOUT;
  return -1;
}
