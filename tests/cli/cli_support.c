#define _GNU_SOURCE
#include "cli_support.h"
#include "test_util.h"

#include <criterion/criterion.h>
#include <curl/curl.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define RUN_TIMEOUT_MS 60000

static long long now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

char *cli_strf(const char *fmt, ...) {
  va_list ap;
  char *s = NULL;
  va_start(ap, fmt);
  cr_assert(vasprintf(&s, fmt, ap) >= 0);
  va_end(ap);
  return s;
}

struct buf {
  char *p;
  size_t len, cap;
};

static void buf_add(struct buf *b, const char *data, size_t n) {
  if (b->len + n + 1 > b->cap) {
    size_t cap = b->cap ? b->cap : 4096;
    while (cap < b->len + n + 1)
      cap *= 2;
    b->p = realloc(b->p, cap);
    cr_assert_not_null(b->p);
    b->cap = cap;
  }
  memcpy(b->p + b->len, data, n);
  b->len += n;
  b->p[b->len] = '\0';
}

static void build_env(const char *envp[64], const char *const *env) {
  size_t ne = 0;
  int has_path = 0;
  for (size_t i = 0; env[i]; i++)
    if (!strncmp(env[i], "PATH=", 5))
      has_path = 1;
  if (!has_path)
    envp[ne++] = "PATH=/usr/bin:/bin";
  envp[ne++] = "ALIEN_AR_PLUGIN=" PLUGIN;
  for (size_t i = 0; env[i]; i++) {
    cr_assert(ne < 63);
    envp[ne++] = env[i];
  }
  envp[ne] = NULL;
}

static void build_argv(const char *argv[64], const char *const *args) {
  size_t na = 0;
  argv[na++] = CLI;
  for (size_t i = 0; args[i]; i++) {
    cr_assert(na < 63);
    argv[na++] = args[i];
  }
  argv[na] = NULL;
}

void cli_exec(struct cli_result *r, const char *const *env,
              const char *input, const char *const *args) {
  const char *envp[64], *argv[64];
  build_env(envp, env);
  build_argv(argv, args);

  int in_p[2], out_p[2], err_p[2];
  cr_assert_eq(pipe2(in_p, O_CLOEXEC), 0);
  cr_assert_eq(pipe2(out_p, O_CLOEXEC), 0);
  cr_assert_eq(pipe2(err_p, O_CLOEXEC), 0);
  pid_t pid = fork();
  cr_assert(pid >= 0);
  if (pid == 0) {
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    dup2(in_p[0], 0);
    dup2(out_p[1], 1);
    dup2(err_p[1], 2);
    execve(CLI, (char *const *)argv, (char *const *)envp);
    _exit(127);
  }
  close(in_p[0]);
  close(out_p[1]);
  close(err_p[1]);
  struct sigaction ign, old;
  memset(&ign, 0, sizeof ign);
  ign.sa_handler = SIG_IGN;
  sigaction(SIGPIPE, &ign, &old);

  struct buf bo = {0}, be = {0};
  buf_add(&bo, "", 0);
  buf_add(&be, "", 0);
  size_t in_len = input ? strlen(input) : 0, written = 0;
  int in_fd = in_p[1];
  if (in_len == 0) {
    close(in_fd);
    in_fd = -1;
  }
  int fd[2] = {out_p[0], err_p[0]};
  long long deadline = now_ms() + RUN_TIMEOUT_MS;
  while (fd[0] >= 0 || fd[1] >= 0) {
    struct pollfd p[3] = {{fd[0], POLLIN, 0}, {fd[1], POLLIN, 0},
                          {in_fd, POLLOUT, 0}};
    long long left = deadline - now_ms();
    int n = left > 0 ? poll(p, 3, (int)left) : 0;
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0) {
      kill(pid, SIGKILL);
      break;
    }
    for (int i = 0; i < 2; i++) {
      if (fd[i] < 0 || !(p[i].revents & (POLLIN | POLLHUP | POLLERR)))
        continue;
      char chunk[8192];
      ssize_t got = read(fd[i], chunk, sizeof chunk);
      if (got > 0) {
        buf_add(i == 0 ? &bo : &be, chunk, (size_t)got);
      } else if (got == 0 || errno != EINTR) {
        close(fd[i]);
        fd[i] = -1;
      }
    }
    if (in_fd >= 0 && (p[2].revents & (POLLOUT | POLLERR | POLLHUP))) {
      ssize_t w = write(in_fd, input + written, in_len - written);
      if (w > 0)
        written += (size_t)w;
      if (w <= 0 || written == in_len) {
        close(in_fd);
        in_fd = -1;
      }
    }
  }
  for (int i = 0; i < 2; i++)
    if (fd[i] >= 0)
      close(fd[i]);
  if (in_fd >= 0)
    close(in_fd);
  sigaction(SIGPIPE, &old, NULL);
  int st = 0;
  while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {
  }
  r->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
  r->out = bo.p;
  r->err = be.p;
}

void cli_result_free(struct cli_result *r) {
  free(r->out);
  free(r->err);
  r->out = r->err = NULL;
}

json_object *cli_parse(const char *text) {
  json_tokener *tok = json_tokener_new();
  cr_assert_not_null(tok);
  json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
  json_object *o = json_tokener_parse_ex(tok, text, (int)strlen(text));
  size_t end = o ? json_tokener_get_parse_end(tok) : 0;
  json_tokener_free(tok);
  cr_assert_not_null(o, "not JSON: %s", text);
  while (text[end] == '\n' || text[end] == ' ')
    end++;
  cr_assert_eq(text[end], '\0', "trailing data after JSON: %s", text);
  return o;
}

static size_t count_lines(const char *text) {
  size_t n = 0;
  for (const char *p = text; *p; p++)
    n += *p == '\n';
  return n;
}

json_object *cli_expect_json(const struct cli_result *r) {
  cr_assert_eq(r->status, 0, "exit %d; stdout: %s\nstderr:\n%s", r->status,
               r->out, r->err);
  cr_assert_str_empty(r->err, "stderr: %s", r->err);
  cr_assert_eq(count_lines(r->out), 1, "stdout: %s", r->out);
  return cli_parse(r->out);
}

json_object *cli_expect_error(const struct cli_result *r, int status,
                              const char *code) {
  cr_assert_eq(r->status, status, "exit %d, want %d; stdout: %s\nstderr:\n%s",
               r->status, status, r->out, r->err);
  cr_assert_str_empty(r->out, "stdout: %s", r->out);
  size_t len = strlen(r->err);
  while (len > 0 && r->err[len - 1] == '\n')
    len--;
  size_t start = len;
  while (start > 0 && r->err[start - 1] != '\n')
    start--;
  char *line = strndup(r->err + start, len - start);
  json_object *o = cli_parse(line);
  cr_assert_str_eq(cli_jstr(o, "code"), code, "error: %s", line);
  cr_assert_not_null(cli_jstr(o, "message"));
  json_object *v = NULL;
  cr_assert(json_object_object_get_ex(o, "retryable", &v) &&
            json_object_is_type(v, json_type_boolean));
  cr_assert(json_object_object_get_ex(o, "internal", &v) &&
            json_object_is_type(v, json_type_boolean));
  free(line);
  return o;
}

const char *cli_jstr(json_object *o, const char *key) {
  json_object *v = NULL;
  if (!json_object_object_get_ex(o, key, &v) ||
      !json_object_is_type(v, json_type_string))
    return NULL;
  return json_object_get_string(v);
}

int cli_jnull(json_object *o, const char *key) {
  json_object *v = (json_object *)1;
  return json_object_object_get_ex(o, key, &v) && v == NULL;
}

json_object *cli_jget(json_object *o, const char *key) {
  json_object *v = NULL;
  cr_assert(json_object_object_get_ex(o, key, &v), "no key '%s' in %s", key,
            json_object_to_json_string(o));
  return v;
}

long long cli_jint(json_object *o, const char *key) {
  json_object *v = cli_jget(o, key);
  cr_assert(json_object_is_type(v, json_type_int), "'%s' is not an int",
            key);
  return json_object_get_int64(v);
}

/* ---- files -------------------------------------------------------------- */

void cli_make_tmpdir(char *out) {
  static const char tmpl[] = "/tmp/alien-ar-cli-XXXXXX";
  memcpy(out, tmpl, sizeof tmpl);
  cr_assert_not_null(mkdtemp(out), "mkdtemp: %s", strerror(errno));
}

void cli_rm_rf(const char *dir) {
  if (dir && dir[0] == '/' && strncmp(dir, "/tmp/", 5) == 0)
    ar_test_rm_rf(dir);
}

int cli_path_exists(const char *path) {
  struct stat st;
  return lstat(path, &st) == 0;
}

char *cli_read_text(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f)
    return NULL;
  struct buf b = {0};
  buf_add(&b, "", 0);
  char chunk[4096];
  size_t n;
  while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
    buf_add(&b, chunk, n);
  fclose(f);
  return b.p;
}

/* ---- processes ---------------------------------------------------------- */

void cli_become_subreaper(void) {
  cr_assert_eq(prctl(PR_SET_CHILD_SUBREAPER, 1L, 0L, 0L, 0L), 0,
               "PR_SET_CHILD_SUBREAPER: %s", strerror(errno));
}

void cli_reap_children(void) {
  int st;
  while (waitpid(-1, &st, WNOHANG) > 0) {
  }
}

char cli_proc_state(pid_t pid) {
  char path[64];
  snprintf(path, sizeof path, "/proc/%ld/stat", (long)pid);
  char *text = cli_read_text(path);
  if (!text)
    return 0;
  char *p = strrchr(text, ')');
  char state = (p && p[1] == ' ') ? p[2] : 0;
  free(text);
  return state;
}

int cli_registries_under(const char *dir, pid_t *pids, int max) {
  DIR *d = opendir("/proc");
  cr_assert_not_null(d);
  size_t dlen = strlen(dir);
  int n = 0;
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    char *end = NULL;
    long pid = strtol(e->d_name, &end, 10);
    if (end == e->d_name || *end)
      continue;
    char path[64];
    snprintf(path, sizeof path, "/proc/%ld/cmdline", pid);
    FILE *f = fopen(path, "rb");
    if (!f)
      continue;
    char cmd[8192];
    size_t len = fread(cmd, 1, sizeof cmd - 1, f);
    fclose(f);
    cmd[len] = '\0';
    /* argv[0] '\0' "serve" '\0' CONFIG */
    const char *base = strrchr(cmd, '/');
    base = base ? base + 1 : cmd;
    if (strcmp(base, "docker-registry") != 0)
      continue;
    size_t off = strlen(cmd) + 1;
    if (off >= len || strcmp(cmd + off, "serve") != 0)
      continue;
    off += strlen(cmd + off) + 1;
    if (off >= len || strncmp(cmd + off, dir, dlen) != 0 ||
        cmd[off + dlen] != '/')
      continue;
    char state = cli_proc_state((pid_t)pid);
    if (!state || state == 'Z')
      continue;
    if (pids && n < max)
      pids[n] = (pid_t)pid;
    n++;
  }
  closedir(d);
  return n;
}

void cli_kill_registries_under(const char *dir) {
  long long deadline = now_ms() + 10000;
  for (;;) {
    pid_t pids[64];
    int n = cli_registries_under(dir, pids, 64);
    cli_reap_children();
    if (n == 0)
      return;
    for (int i = 0; i < n && i < 64; i++) {
      kill(pids[i], SIGCONT);
      kill(pids[i], SIGKILL);
    }
    if (now_ms() > deadline)
      return;
    ar_test_sleep_ms(10);
  }
}

/* ---- HTTP --------------------------------------------------------------- */

static size_t discard(char *p, size_t size, size_t n, void *ud) {
  (void)p;
  (void)ud;
  return size * n;
}

long cli_http_get(int port, const char *path) {
  char url[256];
  snprintf(url, sizeof url, "http://127.0.0.1:%d%s", port, path);
  CURL *c = curl_easy_init();
  long code = 0;
  if (!c)
    return 0;
  curl_easy_setopt(c, CURLOPT_URL, url);
  curl_easy_setopt(c, CURLOPT_PROXY, "");
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, 5000L);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
  if (curl_easy_perform(c) == CURLE_OK)
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
  curl_easy_cleanup(c);
  return code;
}

int cli_port_of(const char *registry_url) {
  cr_assert_not_null(registry_url);
  cr_assert(strncmp(registry_url, "localhost:", 10) == 0,
            "registryUrl %s does not start with localhost:", registry_url);
  char *end = NULL;
  long port = strtol(registry_url + 10, &end, 10);
  cr_assert(*end == '\0' && port > 0 && port < 65536, "bad port in %s",
            registry_url);
  return (int)port;
}

/* ---- sessions ----------------------------------------------------------- */

void cli_session_start(struct cli_session *s, const char *const *env,
                       const char *const *args) {
  const char *envp[64], *argv[64];
  build_env(envp, env);
  build_argv(argv, args);
  memset(s, 0, sizeof *s);
  char *err_path = cli_strf("/tmp/alien-ar-cli-session-%ld.err",
                            (long)getpid());
  int errfd = open(err_path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  cr_assert(errfd >= 0);
  unlink(err_path);
  free(err_path);
  int in_p[2], out_p[2];
  cr_assert_eq(pipe2(in_p, O_CLOEXEC), 0);
  cr_assert_eq(pipe2(out_p, O_CLOEXEC), 0);
  s->pid = fork();
  cr_assert(s->pid >= 0);
  if (s->pid == 0) {
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    dup2(in_p[0], 0);
    dup2(out_p[1], 1);
    dup2(errfd, 2);
    execve(CLI, (char *const *)argv, (char *const *)envp);
    _exit(127);
  }
  s->err = errfd;
  close(in_p[0]);
  close(out_p[1]);
  s->in = in_p[1];
  s->out = out_p[0];
  struct sigaction ign;
  memset(&ign, 0, sizeof ign);
  ign.sa_handler = SIG_IGN;
  sigaction(SIGPIPE, &ign, NULL);
}

/* One line from the session's stdout (malloc'd, without '\n'); NULL at
 * EOF or after the timeout. */
static char *session_line(struct cli_session *s, int timeout_ms) {
  long long deadline = now_ms() + timeout_ms;
  for (;;) {
    char *nl = memchr(s->buf, '\n', s->len);
    if (nl) {
      size_t n = (size_t)(nl - s->buf);
      char *line = strndup(s->buf, n);
      memmove(s->buf, nl + 1, s->len - n - 1);
      s->len -= n + 1;
      return line;
    }
    cr_assert(s->len < sizeof s->buf, "response line too long");
    struct pollfd p = {s->out, POLLIN, 0};
    long long left = deadline - now_ms();
    if (left <= 0)
      return NULL;
    int r = poll(&p, 1, (int)left);
    if (r < 0 && errno == EINTR)
      continue;
    if (r <= 0)
      return NULL;
    ssize_t got = read(s->out, s->buf + s->len, sizeof s->buf - s->len);
    if (got < 0 && errno == EINTR)
      continue;
    if (got <= 0)
      return NULL;
    s->len += (size_t)got;
  }
}

json_object *cli_session_request(struct cli_session *s, const char *id,
                                 const char *line) {
  size_t len = strlen(line), done = 0;
  while (done < len) {
    ssize_t w = write(s->in, line + done, len - done);
    cr_assert(w > 0 || errno == EINTR, "write to session: %s",
              strerror(errno));
    if (w > 0)
      done += (size_t)w;
  }
  cr_assert_eq(write(s->in, "\n", 1), 1);
  char *resp = session_line(s, RUN_TIMEOUT_MS);
  cr_assert_not_null(resp, "no response to: %.300s", line);
  json_object *o = cli_parse(resp);
  cr_assert(json_object_is_type(o, json_type_object), "%s", resp);
  json_object *got_id = cli_jget(o, "id");
  const char *got =
      got_id ? json_object_to_json_string_ext(
                   got_id,
                   JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE)
             : "null";
  cr_assert_str_eq(got, id, "response %s to request %.300s", resp, line);
  free(resp);
  return o;
}

int cli_session_end(struct cli_session *s, char **err) {
  close(s->in);
  s->in = -1;
  char *extra = session_line(s, RUN_TIMEOUT_MS);
  cr_assert_null(extra, "unexpected output: %s", extra);
  cr_assert_eq(s->len, 0, "unterminated output");
  close(s->out);
  int st = 0;
  while (waitpid(s->pid, &st, 0) < 0 && errno == EINTR) {
  }
  if (err)
    *err = cli_session_stderr(s);
  close(s->err);
  s->err = -1;
  return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

char *cli_session_stderr(struct cli_session *s) {
  struct buf b = {0};
  buf_add(&b, "", 0);
  char chunk[4096];
  ssize_t n;
  off_t off = 0;
  while ((n = pread(s->err, chunk, sizeof chunk, off)) > 0) {
    buf_add(&b, chunk, (size_t)n);
    off += n;
  }
  return b.p;
}

json_object *cli_ok(json_object *resp) {
  json_object *ok = cli_jget(resp, "ok");
  cr_assert(json_object_get_boolean(ok), "not ok: %s",
            json_object_to_json_string(resp));
  cr_assert(!json_object_object_get_ex(resp, "error", NULL));
  cr_assert_eq(json_object_object_length(resp), 3, "%s",
               json_object_to_json_string(resp));
  return cli_jget(resp, "result");
}

json_object *cli_failed(json_object *resp, const char *code) {
  json_object *ok = cli_jget(resp, "ok");
  cr_assert(json_object_is_type(ok, json_type_boolean) &&
                !json_object_get_boolean(ok),
            "not a failure: %s", json_object_to_json_string(resp));
  cr_assert(!json_object_object_get_ex(resp, "result", NULL));
  cr_assert_eq(json_object_object_length(resp), 3);
  json_object *e = cli_jget(resp, "error");
  cr_assert_str_eq(cli_jstr(e, "code"), code, "%s",
                   json_object_to_json_string(resp));
  cr_assert_not_null(cli_jstr(e, "message"));
  return e;
}
