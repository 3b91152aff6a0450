/*
 * alien-ar, driven as a user would: the built binary is run with fork and
 * execve under an explicit environment, and its stdout, stderr and exit
 * status are checked. Tests that need a registry start a real one.
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "registry_fixture.h"

#define CLI ALIEN_AR_TEST_CLI_PATH
#define PLUGIN ALIEN_AR_TEST_PLUGIN_PATH
#define RUN_TIMEOUT_MS 60000

#define ARGS(...) ((const char *const[]){__VA_ARGS__, NULL})
#define ENV(...) ((const char *const[]){__VA_ARGS__, NULL})
#define NO_ENV ((const char *const[]){NULL})

struct cli_run {
  int status; /* exit status, 128+signal when killed */
  char *out;
  char *err;
};

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

/* Runs alien-ar with `args` (argv[1..]) and exactly this environment:
 * PATH, ALIEN_AR_PLUGIN (unless with_plugin is 0) and `env`. */
static void run_env(struct cli_run *r, int with_plugin,
                    const char *const *env, const char *const *args) {
  const char *envp[64];
  const char *argv[64];
  size_t ne = 0, na = 0;

  envp[ne++] = "PATH=/usr/bin:/bin";
  if (with_plugin)
    envp[ne++] = "ALIEN_AR_PLUGIN=" PLUGIN;
  for (size_t i = 0; env[i]; i++) {
    cr_assert(ne < 63);
    envp[ne++] = env[i];
  }
  envp[ne] = NULL;
  argv[na++] = CLI;
  for (size_t i = 0; args[i]; i++) {
    cr_assert(na < 63);
    argv[na++] = args[i];
  }
  argv[na] = NULL;

  int out_p[2], err_p[2];
  cr_assert_eq(pipe2(out_p, O_CLOEXEC), 0);
  cr_assert_eq(pipe2(err_p, O_CLOEXEC), 0);
  pid_t pid = fork();
  cr_assert(pid >= 0);
  if (pid == 0) {
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    int devnull = open("/dev/null", O_RDONLY);
    if (devnull >= 0)
      dup2(devnull, 0);
    dup2(out_p[1], 1);
    dup2(err_p[1], 2);
    execve(CLI, (char *const *)argv, (char *const *)envp);
    _exit(127);
  }
  close(out_p[1]);
  close(err_p[1]);
  struct buf bo = {0}, be = {0};
  buf_add(&bo, "", 0);
  buf_add(&be, "", 0);
  int fds_open = 2;
  int fd[2] = {out_p[0], err_p[0]};
  while (fds_open > 0) {
    struct pollfd p[2] = {{fd[0], POLLIN, 0}, {fd[1], POLLIN, 0}};
    int n = poll(p, 2, RUN_TIMEOUT_MS);
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
        fds_open--;
      }
    }
  }
  for (int i = 0; i < 2; i++)
    if (fd[i] >= 0)
      close(fd[i]);
  int st = 0;
  while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {
  }
  r->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
  r->out = bo.p;
  r->err = be.p;
}

static void run(struct cli_run *r, const char *const *args) {
  run_env(r, 1, NO_ENV, args);
}

static void run_free(struct cli_run *r) {
  free(r->out);
  free(r->err);
  r->out = r->err = NULL;
}

/* The last line of `text` (without its newline), malloc'd. */
static char *last_line(const char *text) {
  size_t len = strlen(text);
  while (len > 0 && text[len - 1] == '\n')
    len--;
  size_t start = len;
  while (start > 0 && text[start - 1] != '\n')
    start--;
  char *s = strndup(text + start, len - start);
  cr_assert_not_null(s);
  return s;
}

static size_t count_lines(const char *text) {
  size_t n = 0;
  for (const char *p = text; *p; p++)
    if (*p == '\n')
      n++;
  return n;
}

static const char *jstr(json_object *o, const char *key) {
  json_object *v = NULL;
  if (!json_object_object_get_ex(o, key, &v) ||
      !json_object_is_type(v, json_type_string))
    return NULL;
  return json_object_get_string(v);
}

static int jbool(json_object *o, const char *key) {
  json_object *v = NULL;
  cr_assert(json_object_object_get_ex(o, key, &v), "no key %s", key);
  cr_assert(json_object_is_type(v, json_type_boolean), "%s not bool", key);
  return json_object_get_boolean(v);
}

static int jint(json_object *o, const char *key) {
  json_object *v = NULL;
  cr_assert(json_object_object_get_ex(o, key, &v), "no key %s", key);
  return json_object_get_int(v);
}

static int jnull(json_object *o, const char *key) {
  json_object *v = (json_object *)1;
  return json_object_object_get_ex(o, key, &v) && v == NULL;
}

/* Asserts a failed run: the exit status, nothing on stdout, and alien's
 * error JSON with `code` as the last line of stderr. Returns that JSON. */
static json_object *expect_error(const struct cli_run *r, int status,
                                 const char *code) {
  cr_assert_eq(r->status, status, "exit %d, want %d; stderr:\n%s",
               r->status, status, r->err);
  cr_assert_str_empty(r->out, "stdout: %s", r->out);
  char *line = last_line(r->err);
  json_object *o = json_tokener_parse(line);
  cr_assert_not_null(o, "last stderr line is not JSON: %s", line);
  cr_assert(json_object_is_type(o, json_type_object));
  const char *got = jstr(o, "code");
  cr_assert_not_null(got, "no code in %s", line);
  cr_assert_str_eq(got, code, "error: %s", line);
  cr_assert_not_null(jstr(o, "message"));
  jbool(o, "retryable");
  jbool(o, "internal");
  free(line);
  return o;
}

static void expect_usage(const struct cli_run *r) {
  cr_assert_eq(r->status, 2, "exit %d; stderr:\n%s", r->status, r->err);
  cr_assert_str_empty(r->out, "stdout: %s", r->out);
  cr_assert(strstr(r->err, "Usage: alien-ar"), "stderr: %s", r->err);
  cr_assert(strncmp(r->err, "alien-ar: ", 10) == 0, "stderr: %s", r->err);
}

/* Parses stdout as exactly one JSON document on one line. */
static json_object *expect_ok_json(const struct cli_run *r) {
  cr_assert_eq(r->status, 0, "exit %d; stderr:\n%s", r->status, r->err);
  cr_assert_eq(count_lines(r->out), 1, "stdout: %s", r->out);
  json_object *o = json_tokener_parse(r->out);
  cr_assert_not_null(o, "stdout is not JSON: %s", r->out);
  return o;
}

static char *local_config(const char *registry_url) {
  json_object *o = json_object_new_object();
  json_object_object_add(o, "service", json_object_new_string("local"));
  json_object_object_add(o, "registryUrl",
                         json_object_new_string(registry_url));
  json_object_object_add(o, "dataDir", NULL);
  char *s = strdup(json_object_to_json_string_ext(
      o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
  json_object_put(o);
  cr_assert_not_null(s);
  return s;
}

static char *strf(const char *fmt, ...) {
  va_list ap;
  char *s = NULL;
  va_start(ap, fmt);
  cr_assert(vasprintf(&s, fmt, ap) >= 0);
  va_end(ap);
  return s;
}

/* A binding name nobody else uses, e.g. "cli-1a2b3c4d". */
static void unique_name(char out[16], const char *prefix) {
  char hex[9];
  ar_test_random_hex(hex, 8);
  snprintf(out, 16, "%.6s-%s", prefix, hex);
}

/* Needs no registry: open does no I/O. */
#define OFFLINE_CONFIG \
  "{\"service\":\"local\",\"registryUrl\":\"localhost:5000\"," \
  "\"dataDir\":null}"

/* ---- help, version, usage errors ------------------------------------ */

TestSuite(cli, .timeout = 60);

Test(cli, help_lists_commands_options_env_and_statuses) {
  static const char *const needles[] = {
      "backends", "endpoint", "prefix", "create LOGICAL", "get REPO_ID",
      "delete REPO_ID", "credentials REPO_ID", "--permissions", "--ttl",
      "cross-account get", "cross-account add", "cross-account remove",
      "--plugin", "--binding", "--config", "--help", "--version",
      "ALIEN_<NAME>_BINDING", "ALIEN_AR_PLUGIN", "ALIEN_AR_LOG",
      "RESOURCE_NOT_FOUND", "OPERATION_NOT_SUPPORTED",
      "BINDING_NOT_CONFIGURED", "Exit status", "Example"};
  struct cli_run r;
  run(&r, ARGS("--help"));
  cr_assert_eq(r.status, 0);
  cr_assert_str_empty(r.err);
  for (size_t i = 0; i < sizeof needles / sizeof needles[0]; i++)
    cr_assert(strstr(r.out, needles[i]), "--help lacks '%s'", needles[i]);
  for (int s = 0; s <= 6; s++) {
    char line[8];
    snprintf(line, sizeof line, "\n  %d  ", s);
    cr_assert(strstr(r.out, line), "--help lacks exit status %d", s);
  }
  run_free(&r);
}

Test(cli, help_wins_over_other_problems) {
  struct cli_run r;
  run(&r, ARGS("-h"));
  cr_assert_eq(r.status, 0);
  cr_assert(strstr(r.out, "Usage: alien-ar"));
  run_free(&r);
  run(&r, ARGS("--bogus", "nonsense", "--ttl", "x", "--help"));
  cr_assert_eq(r.status, 0, "stderr: %s", r.err);
  cr_assert(strstr(r.out, "Usage: alien-ar"));
  run_free(&r);
}

Test(cli, version_reports_cli_and_plugin) {
  struct cli_run r;
  run(&r, ARGS("--version"));
  cr_assert_eq(r.status, 0, "stderr: %s", r.err);
  cr_assert(strncmp(r.out, "alien-ar ", 9) == 0, "stdout: %s", r.out);
  cr_assert(strstr(r.out, "alien-artifact-registry"), "stdout: %s", r.out);
  cr_assert(strstr(r.out, "ABI 1."), "stdout: %s", r.out);
  run_free(&r);
}

Test(cli, version_without_plugin_still_succeeds) {
  struct cli_run r;
  run_env(&r, 0, NO_ENV,
          ARGS("--plugin", "/nonexistent/alien.so", "--version"));
  cr_assert_eq(r.status, 0, "stderr: %s", r.err);
  cr_assert(strncmp(r.out, "alien-ar ", 9) == 0, "stdout: %s", r.out);
  cr_assert(strstr(r.out, "not loaded"), "stdout: %s", r.out);
  run_free(&r);
}

Test(cli, usage_errors_exit_2) {
  const char *const *cases[] = {
      ARGS("--binding", "b"),
      ARGS("--binding", "b", "frobnicate"),
      ARGS("--binding", "b", "--frob", "get", "x"),
      ARGS("-x", "backends"),
      ARGS("get", "x"),
      ARGS("--binding", "b", "get"),
      ARGS("--binding", "b", "get", "x", "y"),
      ARGS("--binding", "b", "create"),
      ARGS("--binding", "b", "endpoint", "extra"),
      ARGS("--binding", "b", "credentials", "x", "--ttl", "abc"),
      ARGS("--binding", "b", "credentials", "x", "--ttl", "-1"),
      ARGS("--binding", "b", "credentials", "x", "--ttl", "+5"),
      ARGS("--binding", "b", "credentials", "x", "--ttl", " 5"),
      ARGS("--binding", "b", "credentials", "x", "--ttl", "1e3"),
      ARGS("--binding", "b", "credentials", "x", "--ttl", ""),
      ARGS("--binding", "b", "credentials", "x", "--ttl", "4294967296"),
      ARGS("--binding", "b", "credentials", "x", "--ttl",
           "99999999999999999999999999"),
      ARGS("--binding", "b", "credentials", "x", "--ttl"),
      ARGS("--binding", "b", "credentials", "x", "--permissions", "admin"),
      ARGS("--binding", "b", "get", "x", "--ttl", "5"),
      ARGS("--binding", "b", "get", "x", "--permissions", "pull"),
      ARGS("--binding", "b", "cross-account"),
      ARGS("--binding", "b", "cross-account", "list", "x"),
      ARGS("--binding", "b", "cross-account", "add", "x"),
      ARGS("--binding", "", "get", "x"),
      ARGS("--binding"),
      ARGS("--version=1"),
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    struct cli_run r;
    run(&r, cases[i]);
    cr_assert_eq(r.status, 2, "case %zu: exit %d; stderr:\n%s", i,
                 r.status, r.err);
    expect_usage(&r);
    run_free(&r);
  }
}

Test(cli, huge_arguments_do_not_crash) {
  size_t n = 100000;
  char *big = malloc(n + 1);
  cr_assert_not_null(big);
  memset(big, 'a', n);
  big[n] = '\0';
  struct cli_run r;

  run(&r, ARGS(big));
  expect_usage(&r);
  cr_assert_lt(strlen(r.err), 20000, "the usage error echoes too much");
  run_free(&r);

  /* No config for a huge binding name: its env var is just as huge. */
  run(&r, ARGS("--binding", big, "get", "x"));
  json_object_put(expect_error(&r, 5, "BINDING_NOT_CONFIGURED"));
  run_free(&r);

  run(&r, ARGS("--binding", "b", "--config", OFFLINE_CONFIG, "get", big));
  json_object_put(expect_error(&r, 5, "INVALID_INPUT"));
  run_free(&r);

  run(&r, ARGS("--binding", "b", "--config", big, "get", "x"));
  json_object_put(expect_error(&r, 5, "BINDING_CONFIG_INVALID"));
  run_free(&r);

  run(&r, ARGS("--binding", "b", "--config", OFFLINE_CONFIG, "credentials",
               "x", "--ttl", big));
  expect_usage(&r);
  run_free(&r);
  free(big);
}

/* ---- binding resolution and plugin loading -------------------------- */

Test(cli, missing_env_binding_is_binding_not_configured) {
  struct cli_run r;
  run(&r, ARGS("--binding", "my-test-reg", "get", "x"));
  json_object *e = expect_error(&r, 5, "BINDING_NOT_CONFIGURED");
  cr_assert_str_eq(jstr(e, "message"),
                   "No binding configured for 'my-test-reg': environment "
                   "variable 'ALIEN_MY_TEST_REG_BINDING' is not set");
  cr_assert_eq(jbool(e, "retryable"), 0);
  cr_assert_eq(jbool(e, "internal"), 0);
  cr_assert_eq(jint(e, "httpStatusCode"), 400);
  json_object_put(e);
  cr_assert_eq(count_lines(r.err), 1, "stderr: %s", r.err);
  run_free(&r);
}

Test(cli, missing_plugin_is_plugin_load_failed) {
  static const char path[] = "/nonexistent/dir/alien-artifact-registry.so";
  struct cli_run r;
  run(&r, ARGS("--plugin", path, "backends"));
  json_object *e = expect_error(&r, 6, "PLUGIN_LOAD_FAILED");
  const char *msg = jstr(e, "message");
  cr_assert(strstr(msg, path), "message: %s", msg);
  cr_assert(strstr(msg, "No such file"), "no dlerror text: %s", msg);
  cr_assert(strstr(msg, "--plugin"), "message: %s", msg);
  cr_assert(strstr(msg, "ALIEN_AR_PLUGIN"), "message: %s", msg);
  json_object_put(e);
  run_free(&r);

  /* The same through the environment, with a command needing a binding. */
  run_env(&r, 0, ENV("ALIEN_AR_PLUGIN=/nonexistent/x.so"),
          ARGS("--binding", "b", "--config", OFFLINE_CONFIG, "endpoint"));
  e = expect_error(&r, 6, "PLUGIN_LOAD_FAILED");
  cr_assert(strstr(jstr(e, "message"), "/nonexistent/x.so"));
  json_object_put(e);
  run_free(&r);
}

Test(cli, non_plugin_file_is_plugin_load_failed) {
  struct cli_run r;
  run(&r, ARGS("--plugin", ALIEN_AR_TEST_SOURCE_DIR "/CMakeLists.txt",
               "backends"));
  json_object_put(expect_error(&r, 6, "PLUGIN_LOAD_FAILED"));
  run_free(&r);
}

Test(cli, other_abi_major_is_abi_mismatch) {
  struct cli_run r;
  run(&r, ARGS("--plugin", ALIEN_AR_TEST_FAKE_ABI2_PLUGIN, "--binding", "b",
               "--config", OFFLINE_CONFIG, "get", "b/x"));
  json_object *e = expect_error(&r, 6, "ABI_MISMATCH");
  cr_assert(strstr(jstr(e, "message"), "major 1"), "%s", jstr(e, "message"));
  json_object_put(e);
  run_free(&r);
  /* --version still succeeds and says why the plugin is unusable. */
  run(&r, ARGS("--plugin", ALIEN_AR_TEST_FAKE_ABI2_PLUGIN, "--version"));
  cr_assert_eq(r.status, 0, "stderr: %s", r.err);
  cr_assert(strstr(r.out, "not loaded"), "stdout: %s", r.out);
  run_free(&r);
}

Test(cli, bad_config_exits_5) {
  const char *const configs[] = {
      "not json",
      "",
      "[]",
      "{\"service\":\"local\",\"registryUrl\":\"localhost:5000\"}",
      "{\"service\":\"local\",\"registryUrl\":\"\",\"dataDir\":null}",
      "{\"service\":\"local\",\"registryUrl\":{\"secretRef\":{\"name\":\"r\","
      "\"key\":\"url\"}},\"dataDir\":null}",
      "{\"service\":\"local\",\"registryUrl\":\"local host\","
      "\"dataDir\":null}",
  };
  for (size_t i = 0; i < sizeof configs / sizeof configs[0]; i++) {
    struct cli_run r;
    run(&r, ARGS("--binding", "b", "--config", configs[i], "endpoint"));
    json_object *e = expect_error(&r, 5, "BINDING_CONFIG_INVALID");
    cr_assert(strstr(jstr(e, "message"), "ALIEN_B_BINDING"), "case %zu",
              i);
    json_object_put(e);
    run_free(&r);
  }
}

Test(cli, unknown_service_exits_5) {
  const char *const services[] = {"ecr", "nope"};
  for (size_t i = 0; i < 2; i++) {
    char *cfg = strf("{\"service\":\"%s\",\"registryUrl\":\"localhost:1\","
                     "\"dataDir\":null}",
                     services[i]);
    struct cli_run r;
    run(&r, ARGS("--binding", "b", "--config", cfg, "prefix"));
    json_object *e = expect_error(&r, 5, "UNSUPPORTED_BINDING_PROVIDER");
    cr_assert(strstr(jstr(e, "message"), services[i]));
    json_object_put(e);
    run_free(&r);
    free(cfg);
  }
}

Test(cli, config_from_env_var_and_option_precedence) {
  struct cli_run r;
  /* From ALIEN_<NAME>_BINDING, NAME upper-cased with '-' as '_'. */
  run(&r, ARGS("--binding", "a-b-c", "endpoint"));
  json_object_put(expect_error(&r, 5, "BINDING_NOT_CONFIGURED"));
  run_free(&r);
  run_env(&r, 1, ENV("ALIEN_A_B_C_BINDING=" OFFLINE_CONFIG),
          ARGS("--binding", "a-b-c", "endpoint"));
  cr_assert_eq(r.status, 0, "stderr: %s", r.err);
  cr_assert_str_eq(r.out,
                   "{\"registryEndpoint\":\"http://localhost:5000\"}\n");
  run_free(&r);
  /* --config wins over the environment. */
  run_env(&r, 1, ENV("ALIEN_A_B_C_BINDING=garbage"),
          ARGS("--binding", "a-b-c", "--config", OFFLINE_CONFIG, "endpoint"));
  cr_assert_eq(r.status, 0, "stderr: %s", r.err);
  run_free(&r);
  /* An env var that is set but invalid is used, and rejected. */
  run_env(&r, 1, ENV("ALIEN_A_B_C_BINDING=garbage"),
          ARGS("--binding", "a-b-c", "endpoint"));
  json_object *e = expect_error(&r, 5, "BINDING_CONFIG_INVALID");
  cr_assert(strstr(jstr(e, "message"), "ALIEN_A_B_C_BINDING"));
  json_object_put(e);
  run_free(&r);
}

/* ---- commands that need no registry --------------------------------- */

Test(cli, backends_lists_local_without_binding) {
  struct cli_run r;
  run(&r, ARGS("backends"));
  json_object *o = expect_ok_json(&r);
  cr_assert(json_object_is_type(o, json_type_array), "stdout: %s", r.out);
  cr_assert_geq(json_object_array_length(o), 1);
  cr_assert_str_eq(json_object_get_string(json_object_array_get_idx(o, 0)),
                   "local");
  json_object_put(o);
  run_free(&r);
}

Test(cli, endpoint_and_prefix) {
  struct cli_run r;
  run(&r, ARGS("--binding", "b", "--config", OFFLINE_CONFIG, "endpoint"));
  cr_assert_eq(r.status, 0, "stderr: %s", r.err);
  cr_assert_str_eq(r.out,
                   "{\"registryEndpoint\":\"http://localhost:5000\"}\n");
  cr_assert_str_empty(r.err);
  run_free(&r);

  run(&r, ARGS("prefix", "--config=" "{\"service\":\"local\",\"registryUrl\":"
               "\"https://reg.local:443/\",\"dataDir\":null}",
               "--binding=b"));
  cr_assert_eq(r.status, 0, "stderr: %s", r.err);
  cr_assert_str_eq(r.out,
                   "{\"upstreamRepositoryPrefix\":\"artifacts/default\"}\n");
  run_free(&r);
}

Test(cli, credentials_shape_and_options) {
  const char want[] = "{\"authMethod\":\"basic\",\"username\":\"\","
                      "\"password\":\"\",\"expiresAt\":null}\n";
  struct cli_run r;
  run(&r, ARGS("--binding", "b", "--config", OFFLINE_CONFIG, "credentials",
               "b/app"));
  cr_assert_eq(r.status, 0, "stderr: %s", r.err);
  cr_assert_str_eq(r.out, want);
  run_free(&r);
  run(&r, ARGS("--binding", "b", "--config", OFFLINE_CONFIG, "credentials",
               "b/app", "--permissions", "push-pull", "--ttl", "4294967295"));
  cr_assert_eq(r.status, 0, "stderr: %s", r.err);
  cr_assert_str_eq(r.out, want);
  run_free(&r);
  run(&r, ARGS("--binding", "b", "--config", OFFLINE_CONFIG, "credentials",
               "--ttl=0", "--permissions=pull", "b/app"));
  cr_assert_eq(r.status, 0, "stderr: %s", r.err);
  cr_assert_str_eq(r.out, want);
  run_free(&r);
}

Test(cli, unreachable_registry_is_retryable_failure) {
  char *hp = strf("localhost:%d", ar_test_free_port());
  char *cfg = local_config(hp);
  struct cli_run r;
  run(&r, ARGS("--binding", "b", "--config", cfg, "get", "b/app"));
  json_object *e = expect_error(&r, 1, "BINDINGS_ERROR");
  cr_assert_eq(jbool(e, "retryable"), 1);
  json_object_put(e);
  run_free(&r);
  free(cfg);
  free(hp);
}

Test(cli, log_level_env_does_not_touch_stdout) {
  struct cli_run r;
  run_env(&r, 1, ENV("ALIEN_AR_LOG=trace"),
          ARGS("--binding", "b", "--config", OFFLINE_CONFIG, "endpoint"));
  cr_assert_eq(r.status, 0, "stderr: %s", r.err);
  cr_assert_str_eq(r.out,
                   "{\"registryEndpoint\":\"http://localhost:5000\"}\n");
  cr_assert(strstr(r.err, "alien-ar: [debug] "), "stderr: %s", r.err);
  run_free(&r);
  /* An unknown level is reported and otherwise ignored. */
  run_env(&r, 1, ENV("ALIEN_AR_LOG=loud"), ARGS("backends"));
  cr_assert_eq(r.status, 0, "stderr: %s", r.err);
  cr_assert(strstr(r.err, "ALIEN_AR_LOG"), "stderr: %s", r.err);
  run_free(&r);
}

/* ---- against a real registry ---------------------------------------- */

static struct ar_test_registry reg;

static void reg_start(void) {
  ar_test_registry_start(&reg, NULL);
}

static void reg_stop(void) {
  ar_test_registry_stop(&reg);
}

TestSuite(cli_registry, .init = reg_start, .fini = reg_stop, .timeout = 120);

/* Runs `--binding B --config <local config for reg> ARGS...`. */
static void run_reg(struct cli_run *r, const char *const *env,
                    const char *binding, const char *const *args) {
  char *cfg = local_config(reg.hostport);
  const char *all[32] = {"--binding", binding, "--config", cfg};
  size_t n = 4;
  for (size_t i = 0; args[i]; i++) {
    cr_assert(n < 31);
    all[n++] = args[i];
  }
  all[n] = NULL;
  run_env(r, 1, env, all);
  free(cfg);
}

static void expect_repository(const struct cli_run *r, const char *binding,
                              const char *logical) {
  json_object *o = expect_ok_json(r);
  char *name = strf("%s/%s", binding, logical);
  char *uri = strf("%s/%s/%s", reg.hostport, binding, logical);
  cr_assert_str_eq(jstr(o, "name"), name, "stdout: %s", r->out);
  cr_assert_str_eq(jstr(o, "uri"), uri, "stdout: %s", r->out);
  cr_assert(jnull(o, "createdAt"), "stdout: %s", r->out);
  cr_assert_eq(json_object_object_length(o), 3, "stdout: %s", r->out);
  /* Printed as is: no "\/" escaping. */
  cr_assert_null(strstr(r->out, "\\/"), "stdout: %s", r->out);
  json_object_put(o);
  free(name);
  free(uri);
}

Test(cli_registry, create_get_delete_round_trip) {
  char b[16], app[16];
  unique_name(b, "cli");
  unique_name(app, "app");
  char *id = strf("%s/%s", b, app);
  struct cli_run r;

  run_reg(&r, NO_ENV, b, ARGS("create", app));
  expect_repository(&r, b, app);
  run_free(&r);

  run_reg(&r, NO_ENV, b, ARGS("create", app)); /* idempotent */
  expect_repository(&r, b, app);
  run_free(&r);

  run_reg(&r, NO_ENV, b, ARGS("get", id));
  expect_repository(&r, b, app);
  run_free(&r);

  run_reg(&r, NO_ENV, b, ARGS("get", app)); /* a logical name works too */
  expect_repository(&r, b, app);
  run_free(&r);

  run_reg(&r, NO_ENV, b, ARGS("delete", id));
  cr_assert_eq(r.status, 0, "stderr: %s", r.err);
  cr_assert_str_eq(r.out, "{}\n");
  run_free(&r);

  run_reg(&r, NO_ENV, b, ARGS("get", id));
  json_object_put(expect_error(&r, 3, "RESOURCE_NOT_FOUND"));
  run_free(&r);

  run_reg(&r, NO_ENV, b, ARGS("delete", id)); /* missing is fine */
  cr_assert_eq(r.status, 0, "stderr: %s", r.err);
  cr_assert_str_eq(r.out, "{}\n");
  run_free(&r);
  free(id);
}

Test(cli_registry, multi_segment_logical_name) {
  char b[16], app[16];
  unique_name(b, "cli");
  unique_name(app, "team");
  char *logical = strf("%s/web", app);
  struct cli_run r;
  run_reg(&r, NO_ENV, b, ARGS("create", logical));
  expect_repository(&r, b, logical);
  run_free(&r);
  free(logical);
}

Test(cli_registry, get_missing_is_resource_not_found) {
  char b[16], app[16];
  unique_name(b, "cli");
  unique_name(app, "gone");
  char *id = strf("%s/%s", b, app);
  struct cli_run r;
  run_reg(&r, NO_ENV, b, ARGS("get", id));
  json_object *e = expect_error(&r, 3, "RESOURCE_NOT_FOUND");
  char *msg = strf("Resource '%s' not found", id);
  cr_assert_str_eq(jstr(e, "message"), msg);
  cr_assert_eq(jbool(e, "retryable"), 0);
  cr_assert_eq(jint(e, "httpStatusCode"), 404);
  json_object *ctx = NULL;
  cr_assert(json_object_object_get_ex(e, "context", &ctx));
  cr_assert_str_eq(jstr(ctx, "resource_id"), id);
  cr_assert_eq(count_lines(r.err), 1, "stderr: %s", r.err);
  json_object_put(e);
  free(msg);
  run_free(&r);
  free(id);
}

Test(cli_registry, invalid_repository_name_is_invalid_input) {
  char b[16];
  unique_name(b, "cli");
  struct cli_run r;
  run_reg(&r, NO_ENV, b, ARGS("create", "Not_Valid!"));
  json_object_put(expect_error(&r, 5, "INVALID_INPUT"));
  run_free(&r);
}

Test(cli_registry, credentials) {
  char b[16];
  unique_name(b, "cli");
  char *id = strf("%s/app", b);
  struct cli_run r;
  run_reg(&r, NO_ENV, b,
          ARGS("credentials", id, "--permissions", "push-pull", "--ttl",
               "60"));
  json_object *o = expect_ok_json(&r);
  cr_assert_str_eq(jstr(o, "authMethod"), "basic");
  cr_assert_str_eq(jstr(o, "username"), "");
  cr_assert_str_eq(jstr(o, "password"), "");
  cr_assert(jnull(o, "expiresAt"));
  json_object_put(o);
  run_free(&r);
  free(id);
}

Test(cli_registry, cross_account_is_not_supported) {
  static const char access[] =
      "{\"platform\":\"aws\",\"accountIds\":[\"123456789012\"],"
      "\"regions\":[],\"allowedServiceTypes\":[\"worker\"],"
      "\"roleArns\":[]}";
  static const char *const ops[] = {"get", "add", "remove"};
  char b[16];
  unique_name(b, "cli");
  char *id = strf("%s/app", b);
  for (size_t i = 0; i < 3; i++) {
    struct cli_run r;
    if (i == 0)
      run_reg(&r, NO_ENV, b, ARGS("cross-account", "get", id));
    else
      run_reg(&r, NO_ENV, b, ARGS("cross-account", ops[i], id, access));
    json_object *e = expect_error(&r, 4, "OPERATION_NOT_SUPPORTED");
    char *want = strf("Operation '%s_cross_account_access' not supported: "
                      "Local artifact registry does not support "
                      "cross-account access",
                      ops[i]);
    cr_assert_str_eq(jstr(e, "message"), want);
    free(want);
    json_object_put(e);
    run_free(&r);
  }
  struct cli_run r;
  run_reg(&r, NO_ENV, b, ARGS("cross-account", "add", id, "{not json"));
  json_object_put(expect_error(&r, 5, "INVALID_INPUT"));
  run_free(&r);
  free(id);
}

Test(cli_registry, debug_log_lines_come_before_the_error_json) {
  char b[16], app[16];
  unique_name(b, "cli");
  unique_name(app, "gone");
  char *id = strf("%s/%s", b, app);
  struct cli_run r;
  run_reg(&r, ENV("ALIEN_AR_LOG=debug"), b, ARGS("get", id));
  json_object_put(expect_error(&r, 3, "RESOURCE_NOT_FOUND"));
  cr_assert_geq(count_lines(r.err), 2, "stderr: %s", r.err);
  /* Every line but the last is a log line. */
  char *copy = strdup(r.err);
  char *last = last_line(r.err);
  size_t nlines = count_lines(copy);
  char *save = NULL;
  size_t i = 0;
  for (char *line = strtok_r(copy, "\n", &save); line;
       line = strtok_r(NULL, "\n", &save), i++) {
    if (i + 1 == nlines)
      cr_assert_str_eq(line, last);
    else
      cr_assert(strncmp(line, "alien-ar: [", 11) == 0, "line: %s", line);
  }
  free(last);
  free(copy);
  run_free(&r);

  /* Success: logs on stderr, stdout still one JSON document. */
  run_reg(&r, ENV("ALIEN_AR_LOG=debug"), b, ARGS("create", app));
  expect_repository(&r, b, app);
  cr_assert(strstr(r.err, "alien-ar: [debug] "), "stderr: %s", r.err);
  run_free(&r);

  /* Without ALIEN_AR_LOG nothing is logged. */
  run_reg(&r, NO_ENV, b, ARGS("get", id));
  cr_assert_eq(r.status, 0, "stderr: %s", r.err);
  cr_assert_str_empty(r.err);
  run_free(&r);
  free(id);
}

Test(cli_registry, config_from_env_var) {
  char b[16], app[16];
  unique_name(b, "cli");
  unique_name(app, "env");
  char *cfg = local_config(reg.hostport);
  char env_name[64];
  snprintf(env_name, sizeof env_name, "ALIEN_%s_BINDING", b);
  for (char *p = env_name; *p; p++) {
    if (*p == '-')
      *p = '_';
    else if (*p >= 'a' && *p <= 'z')
      *p = (char)(*p - 'a' + 'A');
  }
  char *env = strf("%s=%s", env_name, cfg);
  struct cli_run r;
  run_env(&r, 1, ENV(env), ARGS("--binding", b, "create", app));
  expect_repository(&r, b, app);
  run_free(&r);
  free(env);
  free(cfg);
}
