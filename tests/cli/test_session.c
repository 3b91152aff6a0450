/*
 * `alien-ar session`: the JSON-lines host. Requests are written one at a
 * time and each response is awaited before the next request, so every
 * test also checks that responses are flushed line by line. The swap test
 * runs against two real registries started with `alien-ar registry`.
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli_support.h"

#define OFFLINE_CONFIG \
  "{\"service\":\"local\",\"registryUrl\":\"localhost:5000\"," \
  "\"dataDir\":null}"

static char data_dir[64];

static void setup(void) {
  cli_become_subreaper();
  cli_make_tmpdir(data_dir);
}

static void teardown(void) {
  if (!data_dir[0])
    return;
  cli_kill_registries_under(data_dir);
  cli_reap_children();
  cli_rm_rf(data_dir);
}

TestSuite(session, .init = setup, .fini = teardown, .timeout = 120);

static char *to_text(json_object *o) {
  char *s = strdup(json_object_to_json_string_ext(
      o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
  cr_assert_not_null(s);
  return s;
}

static char *open_line(int id, const char *binding, const char *config) {
  json_object *o = json_object_new_object();
  json_object_object_add(o, "id", json_object_new_int(id));
  json_object_object_add(o, "op", json_object_new_string("open"));
  json_object_object_add(o, "binding", json_object_new_string(binding));
  json_object_object_add(o, "config", json_object_new_string(config));
  char *s = to_text(o);
  json_object_put(o);
  return s;
}

static char *call_line(int id, const char *handle, const char *method,
                       const char *args) {
  return cli_strf("{\"id\":%d,\"op\":\"call\",\"handle\":\"%s\","
                  "\"method\":\"%s\",\"args\":%s}",
                  id, handle, method, args ? args : "{}");
}

/* Sends `line` (with numeric id `id`) and returns the response. */
static json_object *req(struct cli_session *s, int id, const char *line) {
  char want[16];
  snprintf(want, sizeof want, "%d", id);
  return cli_session_request(s, want, line);
}

static json_object *req_call(struct cli_session *s, int id,
                             const char *handle, const char *method,
                             const char *args) {
  char *line = call_line(id, handle, method, args);
  json_object *o = req(s, id, line);
  free(line);
  return o;
}

static json_object *req_open(struct cli_session *s, int id,
                             const char *binding, const char *config) {
  char *line = open_line(id, binding, config);
  json_object *o = req(s, id, line);
  free(line);
  return o;
}

/* An ok response's result as compact text (malloc'd); frees resp. */
static char *ok_text(json_object *resp) {
  char *s = to_text(cli_ok(resp));
  json_object_put(resp);
  return s;
}

static void expect_ok_text(json_object *resp, const char *want) {
  char *got = ok_text(resp);
  cr_assert_str_eq(got, want);
  free(got);
}

static void expect_failed(json_object *resp, const char *code) {
  cli_failed(resp, code);
  json_object_put(resp);
}

/* An INVALID_INPUT error in alien's shape, naming `field` (NULL: none). */
static void expect_invalid(json_object *resp, const char *field) {
  json_object *e = cli_failed(resp, "INVALID_INPUT");
  cr_assert_eq(cli_jint(e, "httpStatusCode"), 400);
  json_object *ctx = cli_jget(e, "context");
  if (field)
    cr_assert_str_eq(cli_jstr(ctx, "field_name"), field, "%s",
                     json_object_to_json_string(e));
  else
    cr_assert(cli_jnull(ctx, "field_name"));
  cr_assert_not_null(cli_jget(cli_jget(e, "_error_for_pattern_matching"),
                              "invalidInput"));
  json_object_put(resp);
}

static void end_ok(struct cli_session *s) {
  char *err = NULL;
  int st = cli_session_end(s, &err);
  cr_assert_eq(st, 0, "session exit %d; stderr:\n%s", st, err);
  free(err);
}

static const char *handle_of(json_object *resp, char out[16]) {
  json_object *r = cli_ok(resp);
  cr_assert_eq(json_object_object_length(r), 1);
  snprintf(out, 16, "%s", cli_jstr(r, "handle"));
  json_object_put(resp);
  return out;
}

/* Does the backends result list `service` served by `plugin`? */
static int serves(json_object *arr, const char *service, const char *plugin) {
  for (size_t i = 0; i < json_object_array_length(arr); i++) {
    json_object *e = json_object_array_get_idx(arr, i);
    if (!strcmp(cli_jstr(e, "service"), service) &&
        !strcmp(cli_jstr(e, "plugin"), plugin))
      return 1;
  }
  return 0;
}

/* ---- no registry needed ---------------------------------------------- */

Test(session, help_shows_the_protocol) {
  struct cli_result r;
  cli_exec(&r, NO_ENV, NULL, ARGS("session", "--help"));
  cr_assert_eq(r.status, 0);
  static const char *const needles[] = {
      "{\"id\":ANY,\"op\":OP,...}", "\"ok\":true", "\"ok\":false",
      "\n  load ", "\n  unload ", "\n  open ", "\n  call ", "\n  close ",
      "\n  backends ", "\n  handles ", "\"op\":\"call\"",
      "registryEndpoint", "upstreamRepositoryPrefix", "createRepository",
      "getRepository", "deleteRepository", "getCrossAccountAccess",
      "generateCredentials", "addCrossAccountAccess",
      "removeCrossAccountAccess", "INVALID_INPUT", "PLUGIN_IN_USE",
      "PLUGIN_CONFLICT", "Example"};
  for (size_t i = 0; i < sizeof needles / sizeof needles[0]; i++)
    cr_assert(strstr(r.out, needles[i]), "session --help lacks %s",
              needles[i]);
  cli_result_free(&r);
}

Test(session, plugin_that_cannot_load_at_start_exits_6) {
  struct cli_result r;
  cli_exec(&r, NO_ENV, "{\"id\":1,\"op\":\"backends\"}\n",
           ARGS("--plugin", "/nonexistent/plugin.so", "session"));
  json_object_put(cli_expect_error(&r, 6, "PLUGIN_LOAD_FAILED"));
  cli_result_free(&r);
  cli_exec(&r, NO_ENV, NULL,
           ARGS("--plugin", ALIEN_AR_TEST_FAKE_ABI2_PLUGIN, "session"));
  json_object_put(cli_expect_error(&r, 6, "ABI_MISMATCH"));
  cli_result_free(&r);
}

Test(session, piped_requests_answer_in_order_and_eof_exits_0) {
  char *open = open_line(2, "b", OFFLINE_CONFIG);
  /* the last line has no newline: it still counts */
  char *input = cli_strf(
      "{\"id\":1,\"op\":\"handles\"}\n"
      "%s\n"
      "\n"
      "   \n"
      "{\"id\":3,\"op\":\"call\",\"handle\":\"h1\",\"method\":"
      "\"registryEndpoint\"}\n"
      "garbage\n"
      "{\"id\":\"four\",\"op\":\"call\",\"handle\":\"h1\",\"method\":"
      "\"upstreamRepositoryPrefix\",\"args\":null}\r\n"
      "{\"id\":5,\"op\":\"handles\"}",
      open);
  struct cli_result r;
  cli_exec(&r, NO_ENV, input, ARGS("session"));
  cr_assert_eq(r.status, 0, "stderr: %s", r.err);
  cr_assert_str_empty(r.err);
  cr_assert_str_eq(
      r.out,
      "{\"id\":1,\"ok\":true,\"result\":[]}\n"
      "{\"id\":2,\"ok\":true,\"result\":{\"handle\":\"h1\"}}\n"
      "{\"id\":3,\"ok\":true,\"result\":{\"registryEndpoint\":"
      "\"http://localhost:5000\"}}\n"
      "{\"id\":null,\"ok\":false,\"error\":{\"code\":\"INVALID_INPUT\","
      "\"message\":\"session: Invalid input - request is not valid JSON: "
      "unexpected character\",\"context\":{\"operation_context\":"
      "\"session\",\"details\":\"request is not valid JSON: unexpected "
      "character\",\"field_name\":null},\"retryable\":false,\"internal\":"
      "false,\"httpStatusCode\":400,\"_error_for_pattern_matching\":{"
      "\"invalidInput\":{\"operation_context\":\"session\",\"details\":"
      "\"request is not valid JSON: unexpected character\",\"field_name\":"
      "null}}}}\n"
      "{\"id\":\"four\",\"ok\":true,\"result\":{\"upstreamRepositoryPrefix\":"
      "\"artifacts/default\"}}\n"
      "{\"id\":5,\"ok\":true,\"result\":[{\"handle\":\"h1\",\"binding\":"
      "\"b\",\"service\":\"local\",\"plugin\":\"alien-artifact-registry\"}"
      "]}\n");
  cli_result_free(&r);
  free(input);
  free(open);

  /* Empty input: nothing to say, exit 0. */
  cli_exec(&r, NO_ENV, NULL, ARGS("session"));
  cr_assert_eq(r.status, 0);
  cr_assert_str_empty(r.out);
  cli_result_free(&r);
}

Test(session, malformed_lines_get_errors_and_the_session_goes_on) {
  struct cli_session s;
  cli_session_start(&s, NO_ENV, ARGS("session"));
  static const char *const unreadable[] = {
      "not json",
      "{",
      "[]",
      "42",
      "\"id\"",
      "{\"op\":\"backends\"}",
      "{\"id\":2,\"op\":\"backends\"} trailing",
      "{\"id\":3,\"op\":\"backends\"}{\"id\":4}",
      "{\"id\":NaN,\"op\":\"backends\"}",
      "{\"id\":1e999,\"op\":\"backends\"}",
      "{\"id\":1,\"op\":\"backends\",\"x\":[{\"y\":-Infinity}]}",
      "{'id':5,'op':'backends'}",
      "{\"id\":6,\"op\":\"\xff\xfe\"}",
      "{\"id\":7,\"op\":\"backends\",}",
      "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]"
      "]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
  };
  for (size_t i = 0; i < sizeof unreadable / sizeof unreadable[0]; i++)
    expect_invalid(cli_session_request(&s, "null", unreadable[i]),
                   strcmp(unreadable[i], "{\"op\":\"backends\"}") ? NULL
                                                                : "id");

  /* Ids of any JSON type come back as sent. */
  json_object_put(cli_session_request(
      &s, "{\"a\":[1,null,\"x/y\"]}",
      "{\"id\":{\"a\":[1,null,\"x/y\"]},\"op\":\"backends\"}"));
  json_object_put(
      cli_session_request(&s, "null", "{\"id\":null,\"op\":\"handles\"}"));
  json_object_put(
      cli_session_request(&s, "\"s\"", "{\"op\":\"handles\",\"id\":\"s\"}"));

  expect_invalid(req(&s, 1, "{\"id\":1}"), "op");
  expect_invalid(req(&s, 1, "{\"id\":1,\"op\":7}"), "op");
  expect_invalid(req(&s, 1, "{\"id\":1,\"op\":\"nope\"}"), "op");
  expect_invalid(req(&s, 1, "{\"id\":1,\"op\":\"open\"}"), "binding");
  expect_invalid(req(&s, 1, "{\"id\":1,\"op\":\"open\",\"binding\":\"b\"}"),
                 "config");
  expect_invalid(req(&s, 1, "{\"id\":1,\"op\":\"open\",\"binding\":\"b\","
                            "\"config\":{\"service\":\"local\"}}"),
                 "config");
  expect_invalid(req(&s, 1, "{\"id\":1,\"op\":\"open\",\"binding\":\"\","
                            "\"config\":\"{}\"}"),
                 "binding");
  expect_invalid(req(&s, 1, "{\"id\":1,\"op\":\"load\"}"), "path");
  expect_invalid(req(&s, 1, "{\"id\":1,\"op\":\"load\",\"path\":\"a\\u0000"
                            "b\"}"),
                 "path");
  expect_invalid(req(&s, 1, "{\"id\":1,\"op\":\"unload\",\"plugin\":\"x\"}"),
                 "plugin");
  expect_invalid(req(&s, 1, "{\"id\":1,\"op\":\"close\"}"), "handle");
  expect_invalid(req(&s, 1, "{\"id\":1,\"op\":\"close\",\"handle\":\"h1\"}"),
                 "handle");
  expect_invalid(req_call(&s, 1, "h1", "registryEndpoint", NULL), "handle");

  char h[16];
  handle_of(req_open(&s, 9, "b", OFFLINE_CONFIG), h);
  cr_assert_str_eq(h, "h1");
  expect_invalid(req_call(&s, 10, h, "frob", NULL), "method");
  expect_invalid(req(&s, 11, "{\"id\":11,\"op\":\"call\",\"handle\":\"h1\","
                             "\"method\":\"getRepository\",\"args\":[]}"),
                 "args");
  expect_invalid(req(&s, 11, "{\"id\":11,\"op\":\"call\",\"handle\":\"h1\"}"),
                 "method");
  expect_invalid(req_call(&s, 12, h, "createRepository", "{}"), "repoName");
  expect_invalid(req_call(&s, 13, h, "createRepository", "{\"repoName\":5}"),
                 "repoName");
  expect_invalid(
      req_call(&s, 14, h, "createRepository", "{\"repoName\":\"a\\u0000b\"}"),
      "repoName");
  expect_invalid(req_call(&s, 15, h, "generateCredentials",
                          "{\"repoId\":\"b/x\",\"permissions\":\"admin\"}"),
                 "permissions");
  static const char *const bad_ttls[] = {"1.5", "-1", "4294967296",
                                         "\"60\"", "true",
                                         "99999999999999999999"};
  for (size_t i = 0; i < sizeof bad_ttls / sizeof bad_ttls[0]; i++) {
    char *args = cli_strf("{\"repoId\":\"b/x\",\"ttlSeconds\":%s}",
                          bad_ttls[i]);
    expect_invalid(req_call(&s, 16, h, "generateCredentials", args),
                   "ttlSeconds");
    free(args);
  }
  expect_ok_text(req_call(&s, 17, h, "generateCredentials",
                          "{\"repoId\":\"b/x\",\"permissions\":\"push-pull\","
                          "\"ttlSeconds\":4294967295}"),
                 "{\"authMethod\":\"basic\",\"username\":\"\",\"password\":"
                 "\"\",\"expiresAt\":null}");
  expect_ok_text(req_call(&s, 17, h, "generateCredentials",
                          "{\"repoId\":\"b/x\",\"ttlSeconds\":null}"),
                 "{\"authMethod\":\"basic\",\"username\":\"\",\"password\":"
                 "\"\",\"expiresAt\":null}");
  expect_invalid(req_call(&s, 18, h, "addCrossAccountAccess",
                          "{\"repoId\":\"b/x\",\"access\":[1]}"),
                 "access");
  /* The plugin's own INVALID_INPUT for a bad name: no request is made. */
  json_object *resp = req_call(&s, 19, h, "createRepository",
                               "{\"repoName\":\"Not_Valid!\"}");
  json_object *e = cli_failed(resp, "INVALID_INPUT");
  cr_assert_str_eq(cli_jstr(cli_jget(e, "context"), "operation_context"),
                   "create_repository");
  json_object_put(resp);
  /* The plugin's JSON for an access that is not JSON, passed as text. */
  expect_failed(req_call(&s, 20, h, "addCrossAccountAccess",
                         "{\"repoId\":\"b/x\",\"access\":\"{not json\"}"),
                "INVALID_INPUT");

  /* A line over 1 MiB is refused whole; the next line is served. */
  size_t pad = 1024 * 1024 + 100;
  char *huge = malloc(pad + 64);
  cr_assert_not_null(huge);
  int n = snprintf(huge, 64, "{\"id\":21,\"op\":\"handles\",\"pad\":\"");
  memset(huge + n, 'a', pad);
  memcpy(huge + (size_t)n + pad, "\"}", 3);
  json_object *big = cli_session_request(&s, "null", huge);
  json_object *be = cli_failed(big, "INVALID_INPUT");
  cr_assert(strstr(cli_jstr(be, "message"), "longer than 1048576"), "%s",
            cli_jstr(be, "message"));
  json_object_put(big);
  /* ...while one just under the limit is fine. */
  memset(huge + n, 'a', 1000 * 1000);
  memcpy(huge + (size_t)n + 1000 * 1000, "\"}", 3);
  json_object *fits = cli_session_request(&s, "21", huge);
  cli_ok(fits);
  json_object_put(fits);
  free(huge);

  /* Blank lines get no answer: the next answer is for the next request. */
  json_object *hs = cli_session_request(&s, "22", "\n  \n{\"id\":22,\"op\":"
                                                  "\"handles\"}");
  cr_assert_eq(json_object_array_length(cli_ok(hs)), 1);
  json_object_put(hs);
  end_ok(&s);
}

Test(session, several_plugins_route_by_service_and_unload_waits) {
  struct cli_session s;
  cli_session_start(&s, NO_ENV, ARGS("session"));
  const char *fake = ALIEN_AR_TEST_FAKE_BACKEND_PLUGIN;
  char *load = cli_strf("{\"id\":1,\"op\":\"load\",\"path\":\"%s\"}", fake);
  expect_ok_text(req(&s, 1, load), "{\"plugin\":\"cli-fake-backend\","
                                   "\"version\":\"0.0.1\",\"backends\":"
                                   "[\"fake\"]}");
  /* the same file, or the first plugin again: conflicts */
  expect_failed(req(&s, 1, load), "PLUGIN_CONFLICT");
  char *load_real = cli_strf("{\"id\":2,\"op\":\"load\",\"path\":\"%s\"}",
                             PLUGIN);
  json_object *resp = req(&s, 2, load_real);
  json_object *e = cli_failed(resp, "PLUGIN_CONFLICT");
  cr_assert(strstr(cli_jstr(e, "message"), "alien-artifact-registry"));
  json_object_put(resp);
  char *load_abi2 = cli_strf("{\"id\":3,\"op\":\"load\",\"path\":\"%s\"}",
                             ALIEN_AR_TEST_FAKE_ABI2_PLUGIN);
  expect_failed(req(&s, 3, load_abi2), "ABI_MISMATCH");
  expect_failed(req(&s, 4, "{\"id\":4,\"op\":\"load\",\"path\":"
                           "\"/nonexistent/p.so\"}"),
                "PLUGIN_LOAD_FAILED");
  expect_failed(req(&s, 4, "{\"id\":4,\"op\":\"load\",\"path\":\""
                           ALIEN_AR_TEST_SOURCE_DIR "/README.md\"}"),
                "PLUGIN_LOAD_FAILED");

  resp = req(&s, 5, "{\"id\":5,\"op\":\"backends\"}");
  json_object *arr = cli_ok(resp);
  cr_assert(serves(arr, "local", "alien-artifact-registry"));
  cr_assert(serves(arr, "fake", "cli-fake-backend"));
  json_object_put(resp);

  char hl[16], hf[16];
  handle_of(req_open(&s, 6, "real", OFFLINE_CONFIG), hl);
  handle_of(req_open(&s, 7, "pretend", "{\"service\":\"fake\"}"), hf);
  cr_assert_str_eq(hl, "h1");
  cr_assert_str_eq(hf, "h2");
  expect_ok_text(req(&s, 8, "{\"id\":8,\"op\":\"handles\"}"),
                 "[{\"handle\":\"h1\",\"binding\":\"real\",\"service\":"
                 "\"local\",\"plugin\":\"alien-artifact-registry\"},"
                 "{\"handle\":\"h2\",\"binding\":\"pretend\",\"service\":"
                 "\"fake\",\"plugin\":\"cli-fake-backend\"}]");
  expect_ok_text(req_call(&s, 9, hf, "registryEndpoint", NULL),
                 "{\"registryEndpoint\":\"fake://pretend\"}");
  expect_ok_text(req_call(&s, 10, hl, "registryEndpoint", NULL),
                 "{\"registryEndpoint\":\"http://localhost:5000\"}");
  expect_ok_text(req_call(&s, 11, hf, "createRepository",
                          "{\"repoName\":\"app\"}"),
                 "{\"name\":\"pretend/app\",\"uri\":\"fake.invalid/pretend\","
                 "\"createdAt\":null}");
  /* a method error is the plugin's error JSON, passed through */
  resp = req_call(&s, 12, hf, "getRepository", "{\"repoId\":\"pretend/app\"}");
  e = cli_failed(resp, "RESOURCE_NOT_FOUND");
  cr_assert_str_eq(cli_jstr(e, "message"),
                   "fake plugin: nothing is ever found");
  json_object_put(resp);
  expect_ok_text(req_call(&s, 13, hf, "generateCredentials",
                          "{\"repoId\":\"pretend/app\"}"),
                 "{\"authMethod\":\"bearer\",\"username\":\"\",\"password\":"
                 "\"fake-token\",\"expiresAt\":null}");

  /* unload waits for the plugin's handles */
  resp = req(&s, 14, "{\"id\":14,\"op\":\"unload\",\"plugin\":"
                     "\"cli-fake-backend\"}");
  e = cli_failed(resp, "PLUGIN_IN_USE");
  cr_assert_eq(cli_jint(cli_jget(e, "context"), "open_handles"), 1);
  json_object_put(resp);
  expect_ok_text(req(&s, 15, "{\"id\":15,\"op\":\"close\",\"handle\":\"h2\"}"),
                 "{}");
  expect_ok_text(req(&s, 16, "{\"id\":16,\"op\":\"unload\",\"plugin\":"
                             "\"cli-fake-backend\"}"),
                 "{}");
  /* now nothing serves "fake": alien's UnsupportedBindingProvider */
  resp = req_open(&s, 17, "pretend", "{\"service\":\"fake\"}");
  e = cli_failed(resp, "UNSUPPORTED_BINDING_PROVIDER");
  cr_assert_str_eq(cli_jstr(e, "message"),
                   "Binding 'pretend' (env var 'ALIEN_PRETEND_BINDING') uses "
                   "unsupported provider 'fake'");
  cr_assert_eq(cli_jint(e, "httpStatusCode"), 501);
  json_object *ctx = cli_jget(e, "context");
  cr_assert_str_eq(cli_jstr(ctx, "provider"), "fake");
  cr_assert_str_eq(cli_jstr(ctx, "env_var"), "ALIEN_PRETEND_BINDING");
  cr_assert_not_null(cli_jget(cli_jget(e, "_error_for_pattern_matching"),
                              "unsupportedBindingProvider"));
  json_object_put(resp);
  /* the other plugin's handle never noticed */
  expect_ok_text(req_call(&s, 18, hl, "upstreamRepositoryPrefix", NULL),
                 "{\"upstreamRepositoryPrefix\":\"artifacts/default\"}");
  /* loaded again, it serves again; handle ids are never reused */
  expect_ok_text(req(&s, 1, load), "{\"plugin\":\"cli-fake-backend\","
                                   "\"version\":\"0.0.1\",\"backends\":"
                                   "[\"fake\"]}");
  handle_of(req_open(&s, 19, "pretend", "{\"service\":\"fake\"}"), hf);
  cr_assert_str_eq(hf, "h3");
  /* end of input closes both handles */
  end_ok(&s);
  free(load);
  free(load_real);
  free(load_abi2);
}

Test(session, a_host_that_goes_away_ends_the_session_cleanly) {
  struct cli_session s;
  cli_session_start(&s, NO_ENV, ARGS("session"));
  close(s.out);
  static const char line[] = "{\"id\":1,\"op\":\"backends\"}\n";
  ssize_t w = write(s.in, line, sizeof line - 1);
  cr_assert_eq(w, (ssize_t)(sizeof line - 1));
  close(s.in);
  int st = 0;
  cr_assert_eq(waitpid(s.pid, &st, 0), s.pid);
  cr_assert(WIFEXITED(st), "the session died of signal %d",
            WIFSIGNALED(st) ? WTERMSIG(st) : 0);
  cr_assert_eq(WEXITSTATUS(st), 1);
  char *err = cli_session_stderr(&s);
  cr_assert(strstr(err, "\"code\":\"GENERIC_ERROR\""), "stderr: %s", err);
  free(err);
  close(s.err);
}

/* ---- against real registries ----------------------------------------- */

/* `alien-ar registry start ID` in this test's data dir: the binding. */
static char *registry_start(const char *id) {
  struct cli_result r;
  cli_exec(&r, NO_ENV, NULL,
           ARGS("registry", "start", id, "--data-dir", data_dir));
  json_object_put(cli_expect_json(&r));
  char *binding = strndup(r.out, strcspn(r.out, "\n"));
  cli_result_free(&r);
  return binding;
}

static void registry_purge(const char *id) {
  struct cli_result r;
  cli_exec(&r, NO_ENV, NULL,
           ARGS("registry", "purge", id, "--data-dir", data_dir));
  json_object_put(cli_expect_json(&r));
  cli_result_free(&r);
}

static int port_of_binding(const char *binding) {
  json_object *b = cli_parse(binding);
  int port = cli_port_of(cli_jstr(b, "registryUrl"));
  json_object_put(b);
  return port;
}

/* The one-shot command's stdout, without its newline. */
static char *one_shot(const char *config, const char *cmd, const char *arg) {
  struct cli_result r;
  cli_exec(&r, NO_ENV, NULL,
           ARGS("--binding", "swap", "--config", config, cmd, arg));
  cr_assert_eq(r.status, 0, "stderr: %s", r.err);
  char *out = strndup(r.out, strcspn(r.out, "\n"));
  cli_result_free(&r);
  return out;
}

Test(session, swap_traffic_between_two_registries_mid_stream) {
  char *a = registry_start("reg-a");
  char *b = registry_start("reg-b");
  int pa = port_of_binding(a), pb = port_of_binding(b);
  cr_assert_neq(pa, pb);

  struct cli_session s;
  cli_session_start(&s, NO_ENV, ARGS("session"));
  char ha[16], hb[16];
  handle_of(req_open(&s, 1, "swap", a), ha);

  /* traffic on A */
  char *created = ok_text(req_call(&s, 2, ha, "createRepository",
                                   "{\"repoName\":\"app\"}"));
  char *want = cli_strf("{\"name\":\"swap/app\",\"uri\":\"localhost:%d/swap/"
                        "app\",\"createdAt\":null}", pa);
  cr_assert_str_eq(created, want);
  char *got_a = ok_text(req_call(&s, 3, ha, "getRepository",
                                 "{\"repoId\":\"swap/app\"}"));
  cr_assert_str_eq(got_a, want);

  /* open B while A is in use; a malformed line in between */
  handle_of(req_open(&s, 4, "swap", b), hb);
  cr_assert_str_neq(ha, hb);
  expect_invalid(cli_session_request(&s, "null", "{\"id\":"), NULL);
  json_object *resp = req(&s, 5, "{\"id\":5,\"op\":\"handles\"}");
  cr_assert_eq(json_object_array_length(cli_ok(resp)), 2);
  json_object_put(resp);

  /* move traffic to B: it is another registry */
  char *want_b = cli_strf("{\"name\":\"swap/other\",\"uri\":\"localhost:%d/"
                          "swap/other\",\"createdAt\":null}", pb);
  expect_ok_text(req_call(&s, 6, hb, "createRepository",
                          "{\"repoName\":\"other\"}"),
                 want_b);
  resp = req_call(&s, 7, hb, "getRepository", "{\"repoId\":\"swap/app\"}");
  json_object *e = cli_failed(resp, "RESOURCE_NOT_FOUND");
  cr_assert_str_eq(cli_jstr(e, "message"), "Resource 'swap/app' not found");
  json_object_put(resp);
  /* A is undisturbed by B, then closed */
  expect_ok_text(req_call(&s, 8, ha, "getRepository",
                          "{\"repoId\":\"swap/app\"}"),
                 want);
  expect_ok_text(req(&s, 9, "{\"id\":9,\"op\":\"close\",\"handle\":\"h1\"}"),
                 "{}");
  expect_invalid(req_call(&s, 10, ha, "getRepository",
                          "{\"repoId\":\"swap/app\"}"),
                 "handle");
  /* B goes on */
  expect_ok_text(req_call(&s, 11, hb, "getRepository",
                          "{\"repoId\":\"swap/other\"}"),
                 want_b);
  expect_ok_text(req_call(&s, 12, hb, "generateCredentials",
                          "{\"repoId\":\"swap/other\",\"permissions\":"
                          "\"push-pull\",\"ttlSeconds\":3600}"),
                 "{\"authMethod\":\"basic\",\"username\":\"\",\"password\":"
                 "\"\",\"expiresAt\":null}");
  char *endpoint = cli_strf("{\"registryEndpoint\":\"http://localhost:%d\"}",
                            pb);
  expect_ok_text(req_call(&s, 13, hb, "registryEndpoint", NULL), endpoint);
  expect_failed(req_call(&s, 14, hb, "getCrossAccountAccess",
                         "{\"repoId\":\"swap/other\"}"),
                "OPERATION_NOT_SUPPORTED");
  expect_failed(req(&s, 15, "{\"id\":15,\"op\":\"unload\",\"plugin\":"
                            "\"alien-artifact-registry\"}"),
                "PLUGIN_IN_USE");
  expect_ok_text(req_call(&s, 16, hb, "deleteRepository",
                          "{\"repoId\":\"swap/other\"}"),
                 "{}");
  expect_failed(req_call(&s, 17, hb, "getRepository",
                         "{\"repoId\":\"swap/other\"}"),
                "RESOURCE_NOT_FOUND");

  /* The registries themselves agree, and so does the one-shot CLI. */
  cr_assert_eq(cli_http_get(pa, "/v2/swap/app/tags/list"), 200);
  cr_assert_eq(cli_http_get(pb, "/v2/swap/app/tags/list"), 404);
  char *shot = one_shot(a, "get", "swap/app");
  cr_assert_str_eq(shot, got_a, "one-shot and session results differ");
  free(shot);

  /* With no handle left the plugin unloads, and loads again. */
  expect_ok_text(req(&s, 18, "{\"id\":18,\"op\":\"close\",\"handle\":\"h2\"}"),
                 "{}");
  expect_ok_text(req(&s, 19, "{\"id\":19,\"op\":\"unload\",\"plugin\":"
                             "\"alien-artifact-registry\"}"),
                 "{}");
  expect_ok_text(req(&s, 20, "{\"id\":20,\"op\":\"backends\"}"), "[]");
  expect_failed(req_open(&s, 21, "swap", a), "UNSUPPORTED_BINDING_PROVIDER");
  char *load = cli_strf("{\"id\":22,\"op\":\"load\",\"path\":\"%s\"}", PLUGIN);
  json_object *loaded = req(&s, 22, load);
  cli_ok(loaded);
  json_object_put(loaded);
  handle_of(req_open(&s, 23, "swap", a), ha);
  cr_assert_str_eq(ha, "h3");
  expect_ok_text(req_call(&s, 24, ha, "getRepository",
                          "{\"repoId\":\"swap/app\"}"),
                 want);
  end_ok(&s);

  registry_purge("reg-a");
  registry_purge("reg-b");
  cli_reap_children();
  cr_assert_eq(cli_registries_under(data_dir, NULL, 0), 0);
  free(load);
  free(endpoint);
  free(want_b);
  free(got_a);
  free(want);
  free(created);
  free(a);
  free(b);
}
