/*
 * `alien-ar registry`: local registries that alien-ar starts itself and
 * that outlive it. Includes a port of alien's LocalArtifactRegistryManager
 * tests (alien-local/tests/artifact_registry_integration.rs, contract
 * section 5.3) as tests of the command, then what the manager never had:
 * stale pid files, zombies, a hung server, a missing binary, bad ids,
 * concurrent starts.
 *
 * Every test has its own data directory. This process is made the reaper
 * of the servers alien-ar starts, and .fini kills every docker-registry
 * whose config lies under that directory, even after a failed assertion.
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli_support.h"

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

TestSuite(registry, .init = setup, .fini = teardown, .timeout = 120);

/* alien-ar registry SUB [ID] --data-dir <this test's dir> */
static void reg(struct cli_result *r, const char *sub, const char *id) {
  if (id)
    cli_exec(r, NO_ENV, NULL,
             ARGS("registry", sub, id, "--data-dir", data_dir));
  else
    cli_exec(r, NO_ENV, NULL, ARGS("registry", sub, "--data-dir", data_dir));
}

static char *id_dir(const char *id) {
  return cli_strf("%s/artifact_registry/%s", data_dir, id);
}

static char *id_file(const char *id, const char *name) {
  return cli_strf("%s/artifact_registry/%s/%s", data_dir, id, name);
}

/* Starts `id`, checks the binding and returns it (caller frees). */
static char *start(const char *id) {
  struct cli_result r;
  reg(&r, "start", id);
  json_object *b = cli_expect_json(&r);
  cr_assert_str_eq(cli_jstr(b, "service"), "local", "%s", r.out);
  cli_port_of(cli_jstr(b, "registryUrl"));
  char *dir = id_dir(id);
  cr_assert_str_eq(cli_jstr(b, "dataDir"), dir, "%s", r.out);
  cr_assert_eq(json_object_object_length(b), 3, "%s", r.out);
  free(dir);
  json_object_put(b);
  char *out = strdup(r.out);
  cli_result_free(&r);
  return out;
}

static int binding_port(const char *binding_text) {
  json_object *b = cli_parse(binding_text);
  int port = cli_port_of(cli_jstr(b, "registryUrl"));
  json_object_put(b);
  return port;
}

static pid_t pid_of(const char *id) {
  char *path = id_file(id, "pid");
  char *text = cli_read_text(path);
  cr_assert_not_null(text, "no pid file %s", path);
  char *end = NULL;
  long pid = strtol(text, &end, 10);
  cr_assert(pid > 0 && *end == '\n', "pid file: '%s'", text);
  free(text);
  free(path);
  return (pid_t)pid;
}

/* status: returns the exit code and checks the JSON on stdout. */
static int status(const char *id, const char *want_state) {
  struct cli_result r;
  reg(&r, "status", id);
  cr_assert_str_empty(r.err, "stderr: %s", r.err);
  json_object *o = cli_parse(r.out);
  cr_assert_str_eq(cli_jstr(o, "registryId"), id);
  cr_assert_str_eq(cli_jstr(o, "state"), want_state, "%s", r.out);
  char *dir = id_dir(id);
  cr_assert_str_eq(cli_jstr(o, "dataDir"), dir);
  free(dir);
  if (!strcmp(want_state, "running") || !strcmp(want_state, "not_answering"))
    cr_assert_gt(cli_jint(o, "pid"), 0);
  else
    cr_assert(cli_jnull(o, "pid") && cli_jnull(o, "registryUrl"), "%s",
              r.out);
  json_object_put(o);
  int rc = r.status;
  cli_result_free(&r);
  return rc;
}

static void stop_ok(const char *id) {
  struct cli_result r;
  reg(&r, "stop", id);
  json_object *o = cli_expect_json(&r);
  const char *state = cli_jstr(o, "state");
  cr_assert(!strcmp(state, "stopped") || !strcmp(state, "absent"), "%s",
            r.out);
  json_object_put(o);
  cli_result_free(&r);
}

static void purge_ok(const char *id) {
  struct cli_result r;
  reg(&r, "purge", id);
  json_object *o = cli_expect_json(&r);
  cr_assert_str_eq(cli_jstr(o, "state"), "absent", "%s", r.out);
  json_object_put(o);
  cli_result_free(&r);
}

/* No docker-registry of this test may be alive. */
static void expect_no_server(void) {
  cli_reap_children();
  cr_assert_eq(cli_registries_under(data_dir, NULL, 0), 0,
               "a docker-registry under %s is still running", data_dir);
}

/* Sockets listening on `port` in /proc/net/tcp or tcp6: how many, and
 * whether all of them are bound to 127.0.0.1. */
static int listeners(const char *table, int port, int *loopback_only) {
  char *text = cli_read_text(table);
  int n = 0;
  if (!text)
    return 0;
  for (char *line = strchr(text, '\n'); line && line[1];
       line = strchr(line + 1, '\n')) {
    char local[64];
    unsigned lport, state;
    if (sscanf(line + 1, " %*d: %63[0-9A-Fa-f]:%x %*[0-9A-Fa-f]:%*x %x",
               local, &lport, &state) != 3)
      continue;
    if ((int)lport != port || state != 0x0A)
      continue;
    n++;
    if (strcmp(local, "0100007F") != 0)
      *loopback_only = 0;
  }
  free(text);
  return n;
}

/* The server listens on 127.0.0.1:PORT and nowhere else. */
static void expect_loopback_only(int port) {
  int v4_loopback = 1, v6_loopback = 1;
  cr_assert_eq(listeners("/proc/net/tcp", port, &v4_loopback), 1,
               "not exactly one IPv4 listener on port %d", port);
  cr_assert(v4_loopback, "port %d listens beyond 127.0.0.1", port);
  cr_assert_eq(listeners("/proc/net/tcp6", port, &v6_loopback), 0,
               "port %d listens on IPv6", port);
}

/* ---- alien's manager tests -------------------------------------------- */

/* test_registry_starts_and_is_accessible */
Test(registry, starts_and_is_accessible) {
  char *binding = start("test-registry");
  int port = binding_port(binding);
  cr_assert_eq(cli_http_get(port, "/v2/"), 200);
  cr_assert_eq(status("test-registry", "running"), 0);
  expect_loopback_only(port);

  /* Its state lives in DIR/artifact_registry/ID/. */
  static const char *const files[] = {"pid", "port", "config.yml",
                                      "registry.log", "metadata.json"};
  for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
    char *f = id_file("test-registry", files[i]);
    cr_assert(cli_path_exists(f), "missing %s", f);
    free(f);
  }
  char *meta_path = id_file("test-registry", "metadata.json");
  char *meta = cli_read_text(meta_path);
  cr_assert_str_eq(meta, "{\n  \"registry_id\": \"test-registry\"\n}");
  free(meta);
  char *port_path = id_file("test-registry", "port");
  char *port_text = cli_read_text(port_path);
  cr_assert_eq(strtol(port_text, NULL, 10), port);
  free(port_text);
  free(port_path);
  char *cfg_path = id_file("test-registry", "config.yml");
  char *cfg = cli_read_text(cfg_path);
  cr_assert(strstr(cfg, "addr: 127.0.0.1:0\n"), "%s", cfg);
  cr_assert(strstr(cfg, "  delete:\n    enabled: true\n"), "%s", cfg);
  char *dir = id_dir("test-registry");
  char *storage = cli_strf("rootdirectory: \"%s/data\"", dir);
  cr_assert(strstr(cfg, storage), "%s", cfg);
  free(storage);
  free(dir);
  free(cfg);
  free(cfg_path);

  /* A daemon: its own session, stdin /dev/null, no inherited pipes. */
  pid_t pid = pid_of("test-registry");
  char fd0[256] = "", link[64];
  snprintf(link, sizeof link, "/proc/%ld/fd/0", (long)pid);
  cr_assert_gt(readlink(link, fd0, sizeof fd0 - 1), 0);
  cr_assert_str_eq(fd0, "/dev/null");
  cr_assert_neq(getsid(pid), getsid(0), "the server is in our session");

  stop_ok("test-registry");
  cr_assert_eq(status("test-registry", "stopped"), 3);
  expect_no_server();
  /* stop keeps the storage and metadata.json */
  cr_assert(cli_path_exists(meta_path));
  char *pidf = id_file("test-registry", "pid");
  cr_assert(!cli_path_exists(pidf), "stop left the pid file");
  free(pidf);
  free(meta_path);
  free(binding);
}

/* test_registry_health_check */
Test(registry, health_check) {
  cr_assert_eq(status("nonexistent", "absent"), 3);
  char *b = start("health");
  cr_assert_eq(status("health", "running"), 0);
  purge_ok("health");
  expect_no_server();
  free(b);
}

/* test_registry_start_idempotent */
Test(registry, start_idempotent) {
  char *b1 = start("idem-registry");
  pid_t pid = pid_of("idem-registry");
  char *b2 = start("idem-registry");
  cr_assert_str_eq(b1, b2);
  cr_assert_eq(pid_of("idem-registry"), pid, "a second server was started");
  cr_assert_eq(cli_registries_under(data_dir, NULL, 0), 1);
  /* A start interrupted before it wrote the port file: the port is read
   * back from the server's log, and the binding stays the same. */
  char *portf = id_file("idem-registry", "port");
  cr_assert_eq(unlink(portf), 0);
  cr_assert_eq(status("idem-registry", "running"), 0);
  char *b3 = start("idem-registry");
  cr_assert_str_eq(b3, b1);
  cr_assert_eq(pid_of("idem-registry"), pid);
  free(b3);
  free(portf);
  purge_ok("idem-registry");
  expect_no_server();
  free(b1);
  free(b2);
}

/* test_get_registry_url */
Test(registry, binding_fails_when_not_running_and_equals_start_output) {
  struct cli_result r;
  reg(&r, "binding", "url-registry");
  json_object *e = cli_expect_error(&r, 3, "REGISTRY_NOT_RUNNING");
  cr_assert(strstr(cli_jstr(e, "message"), "url-registry"));
  json_object_put(e);
  cli_result_free(&r);

  char *b = start("url-registry");
  reg(&r, "binding", "url-registry");
  cr_assert_eq(r.status, 0, "stderr: %s", r.err);
  cr_assert_str_eq(r.out, b);
  cli_result_free(&r);

  stop_ok("url-registry");
  reg(&r, "binding", "url-registry");
  json_object_put(cli_expect_error(&r, 3, "REGISTRY_NOT_RUNNING"));
  cli_result_free(&r);
  purge_ok("url-registry");
  free(b);
}

/* test_multiple_registries_coexist */
Test(registry, multiple_registries_coexist) {
  char *a = start("registry-a");
  char *b = start("registry-b");
  int pa = binding_port(a), pb = binding_port(b);
  cr_assert_neq(pa, pb);
  cr_assert_eq(status("registry-a", "running"), 0);
  cr_assert_eq(status("registry-b", "running"), 0);
  cr_assert_eq(cli_http_get(pa, "/v2/"), 200);
  cr_assert_eq(cli_http_get(pb, "/v2/"), 200);
  cr_assert_eq(cli_registries_under(data_dir, NULL, 0), 2);

  struct cli_result r;
  reg(&r, "list", NULL);
  json_object *arr = cli_expect_json(&r);
  cr_assert(json_object_is_type(arr, json_type_array));
  cr_assert_eq(json_object_array_length(arr), 2, "%s", r.out);
  json_object *ea = json_object_array_get_idx(arr, 0);
  json_object *eb = json_object_array_get_idx(arr, 1);
  cr_assert_str_eq(cli_jstr(ea, "registryId"), "registry-a");
  cr_assert_str_eq(cli_jstr(eb, "registryId"), "registry-b");
  cr_assert_str_eq(cli_jstr(ea, "state"), "running");
  cr_assert_str_eq(cli_jstr(eb, "state"), "running");
  json_object_put(arr);
  cli_result_free(&r);

  /* Stopping one leaves the other alone; list shows it stopped. */
  stop_ok("registry-a");
  cr_assert_eq(cli_http_get(pb, "/v2/"), 200);
  reg(&r, "list", NULL);
  arr = cli_expect_json(&r);
  cr_assert_str_eq(cli_jstr(json_object_array_get_idx(arr, 0), "state"),
                   "stopped");
  cr_assert_str_eq(cli_jstr(json_object_array_get_idx(arr, 1), "state"),
                   "running");
  json_object_put(arr);
  cli_result_free(&r);
  purge_ok("registry-a");
  purge_ok("registry-b");
  expect_no_server();
  free(a);
  free(b);
}

/* test_remove_nonexistent_is_idempotent */
Test(registry, stop_of_nonexistent_is_ok) {
  stop_ok("nonexistent");
  stop_ok("nonexistent");
  purge_ok("nonexistent");
  char *dir = id_dir("nonexistent");
  cr_assert(!cli_path_exists(dir), "stop created %s", dir);
  free(dir);
  /* and twice for one that existed */
  free(start("twice"));
  stop_ok("twice");
  stop_ok("twice");
  purge_ok("twice");
  expect_no_server();
}

/* test_delete_registry_storage */
Test(registry, purge_removes_the_directory) {
  char *b = start("delete-test");
  cr_assert_eq(cli_http_get(binding_port(b), "/v2/"), 200);
  char *dir = id_dir("delete-test");
  stop_ok("delete-test");
  cr_assert(cli_path_exists(dir));
  free(start("delete-test"));
  purge_ok("delete-test");
  cr_assert(!cli_path_exists(dir), "%s still exists", dir);
  cr_assert_eq(status("delete-test", "absent"), 3);
  purge_ok("delete-test"); /* idempotent */
  expect_no_server();
  free(dir);
  free(b);
}

/* test_get_binding_returns_local_variant, and local_services.rs
 * test_artifact_registry_through_provider: the binding loads in the plugin
 * and drives the registry. */
Test(registry, binding_is_the_local_variant_and_works) {
  char *b = start("provider-registry");
  json_object *o = cli_parse(b);
  cr_assert_str_eq(cli_jstr(o, "service"), "local");
  cr_assert(strncmp(cli_jstr(o, "registryUrl"), "localhost:", 10) == 0);
  json_object_put(o);
  struct cli_result r;
  cli_exec(&r, NO_ENV, NULL,
           ARGS("--binding", "provider-registry", "--config", b, "create",
                "test-repo"));
  json_object *repo = cli_expect_json(&r);
  cr_assert_str_eq(cli_jstr(repo, "name"), "provider-registry/test-repo");
  json_object_put(repo);
  cli_result_free(&r);
  cli_exec(&r, NO_ENV, NULL,
           ARGS("--binding", "provider-registry", "--config", b, "get",
                "provider-registry/test-repo"));
  json_object_put(cli_expect_json(&r));
  cli_result_free(&r);
  /* The storage is under dataDir/data. */
  char *dir = id_dir("provider-registry");
  char *repo_dir = cli_strf("%s/data/docker/registry/v2/repositories/"
                            "provider-registry/test-repo", dir);
  free(dir);
  cr_assert(cli_path_exists(repo_dir), "no %s", repo_dir);
  free(repo_dir);
  purge_ok("provider-registry");
  expect_no_server();
  free(b);
}

/* ---- beyond the manager ------------------------------------------------ */

Test(registry, stale_pid_after_kill_9_is_recovered) {
  char *b1 = start("stale");
  pid_t pid = pid_of("stale");
  cr_assert_eq(kill(pid, SIGKILL), 0);
  /* reaped at once: the pid may even be reused */
  cr_assert_eq(waitpid(pid, NULL, 0), pid);
  cr_assert_eq(status("stale", "stopped"), 3);
  struct cli_result r;
  reg(&r, "status", "stale");
  json_object *o = cli_parse(r.out);
  cr_assert_eq(cli_jint(o, "stalePid"), pid);
  json_object_put(o);
  cli_result_free(&r);
  reg(&r, "binding", "stale");
  json_object_put(cli_expect_error(&r, 3, "REGISTRY_NOT_RUNNING"));
  cli_result_free(&r);

  char *b2 = start("stale");
  cr_assert_neq(pid_of("stale"), pid);
  cr_assert_eq(status("stale", "running"), 0);
  cr_assert_eq(cli_http_get(binding_port(b2), "/v2/"), 200);
  purge_ok("stale");
  expect_no_server();
  free(b1);
  free(b2);
}

Test(registry, zombie_server_is_not_running) {
  char *b1 = start("zombie");
  pid_t pid = pid_of("zombie");
  /* We are the reaper: after SIGKILL it stays a zombie until we reap. */
  cr_assert_eq(kill(pid, SIGKILL), 0);
  for (int i = 0; i < 500 && cli_proc_state(pid) != 'Z'; i++)
    usleep(10000);
  cr_assert_eq(cli_proc_state(pid), 'Z', "pid %ld is not a zombie",
               (long)pid);
  cr_assert_eq(kill(pid, 0), 0, "kill(pid, 0) succeeds on a zombie");
  cr_assert_eq(status("zombie", "stopped"), 3);
  char *b2 = start("zombie");
  cr_assert_neq(pid_of("zombie"), pid);
  cr_assert_eq(status("zombie", "running"), 0);
  /* Still ours to reap. Not WNOHANG: a killed Go server's main thread
   * shows 'Z' while its other threads are still exiting, and until they
   * have, waitpid reports nothing (seen under load in CI). */
  cr_assert_eq(waitpid(pid, NULL, 0), pid);
  purge_ok("zombie");
  expect_no_server();
  free(b1);
  free(b2);
}

Test(registry, pid_file_naming_another_process_is_not_running) {
  free(start("reused"));
  stop_ok("reused");
  char *pidf = id_file("reused", "pid");
  /* An unrelated live process: this test. */
  char *mine = cli_strf("%ld\n", (long)getpid());
  FILE *f = fopen(pidf, "w");
  cr_assert_not_null(f);
  fputs(mine, f);
  fclose(f);
  cr_assert_eq(status("reused", "stopped"), 3);
  /* stop must not signal it, start must recover */
  stop_ok("reused");
  f = fopen(pidf, "w");
  fputs(mine, f);
  fclose(f);
  char *b = start("reused");
  cr_assert_neq(pid_of("reused"), getpid());

  /* Another registry's server (a docker-registry, but with another
   * config) is not ours either. */
  free(start("neighbour"));
  pid_t theirs = pid_of("neighbour");
  stop_ok("reused");
  char *text = cli_strf("%ld\n", (long)theirs);
  f = fopen(pidf, "w");
  fputs(text, f);
  fclose(f);
  cr_assert_eq(status("reused", "stopped"), 3);
  stop_ok("reused");
  cr_assert_eq(status("neighbour", "running"), 0, "stop killed the "
               "neighbour");
  /* garbage in the pid file */
  f = fopen(pidf, "w");
  fputs("not a pid\n", f);
  fclose(f);
  cr_assert_eq(status("reused", "stopped"), 3);
  purge_ok("reused");
  purge_ok("neighbour");
  expect_no_server();
  free(text);
  free(b);
  free(mine);
  free(pidf);
}

Test(registry, hung_server_is_not_answering) {
  char *b = start("hung");
  pid_t pid = pid_of("hung");
  cr_assert_eq(kill(pid, SIGSTOP), 0);
  for (int i = 0; i < 500 && cli_proc_state(pid) != 'T'; i++)
    usleep(10000);
  cr_assert_eq(cli_proc_state(pid), 'T');
  cr_assert_eq(status("hung", "not_answering"), 1);
  struct cli_result r;
  reg(&r, "binding", "hung");
  json_object_put(cli_expect_error(&r, 1, "REGISTRY_NOT_ANSWERING"));
  cli_result_free(&r);
  /* start does not pile a second server onto the same storage */
  reg(&r, "start", "hung");
  json_object_put(cli_expect_error(&r, 1, "REGISTRY_NOT_ANSWERING"));
  cli_result_free(&r);
  cr_assert_eq(cli_registries_under(data_dir, NULL, 0), 1);
  /* stop gets rid of it (SIGTERM, SIGCONT) */
  stop_ok("hung");
  expect_no_server();
  free(start("hung"));
  purge_ok("hung");
  expect_no_server();
  free(b);
}

Test(registry, missing_binary_says_which_package) {
  struct cli_result r;
  cli_exec(&r, ENV("PATH=/nonexistent"), NULL,
           ARGS("registry", "start", "nobin", "--data-dir", data_dir));
  json_object *e = cli_expect_error(&r, 1, "REGISTRY_BINARY_MISSING");
  cr_assert(strstr(cli_jstr(e, "message"), "apt-get install docker-registry"),
            "%s", cli_jstr(e, "message"));
  json_object_put(e);
  cli_result_free(&r);
  char *dir = id_dir("nobin");
  cr_assert(!cli_path_exists(dir));
  free(dir);
  expect_no_server();
}

Test(registry, server_that_fails_to_start_is_reported) {
  /* A docker-registry that dies at once, like one with a bad config. */
  char *bin = cli_strf("%s/fakebin", data_dir);
  cr_assert_eq(mkdir(bin, 0700), 0);
  char *fake = cli_strf("%s/docker-registry", bin);
  FILE *f = fopen(fake, "w");
  cr_assert_not_null(f);
  fputs("#!/bin/sh\necho 'configuration error: simulated' >&2\nexit 1\n", f);
  fclose(f);
  cr_assert_eq(chmod(fake, 0700), 0);
  char *path = cli_strf("PATH=%s:/usr/bin:/bin", bin);
  struct cli_result r;
  cli_exec(&r, ENV(path), NULL,
           ARGS("registry", "start", "broken", "--data-dir", data_dir));
  json_object *e = cli_expect_error(&r, 1, "REGISTRY_START_FAILED");
  const char *msg = cli_jstr(e, "message");
  cr_assert(strstr(msg, "configuration error: simulated"), "%s", msg);
  cr_assert(strstr(cli_jstr(cli_jget(e, "context"), "log_tail"),
                   "simulated"));
  json_object_put(e);
  cli_result_free(&r);
  char *pidf = id_file("broken", "pid");
  cr_assert(!cli_path_exists(pidf), "a failed start left its pid file");
  cr_assert_eq(status("broken", "stopped"), 3);
  /* the real one then starts fine */
  free(start("broken"));
  purge_ok("broken");
  expect_no_server();
  free(pidf);
  free(path);
  free(fake);
  free(bin);
}

Test(registry, invalid_ids_never_escape_the_data_dir) {
  static const char *const bad[] = {
      "..", ".", "../x", "a/b", "/etc", "A", "-x", ".x", "_x", "x y", "x\n",
      "",
      "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"};
  static const char *const subs[] = {"start", "stop", "status", "binding",
                                     "purge"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    for (size_t j = 0; j < sizeof subs / sizeof subs[0]; j++) {
      struct cli_result r;
      cli_exec(&r, NO_ENV, NULL,
               ARGS("registry", subs[j], "--data-dir", data_dir, "--",
                    bad[i]));
      json_object_put(cli_expect_error(&r, 5, "INVALID_REGISTRY_ID"));
      cli_result_free(&r);
    }
  }
  char *base = cli_strf("%s/artifact_registry", data_dir);
  cr_assert(!cli_path_exists(base), "an invalid id created %s", base);
  free(base);
  /* 64 characters is the limit, and fine */
  static const char max_id[] =
      "a234567890123456789012345678901234567890123456789012345678901234";
  char *b = start(max_id);
  purge_ok(max_id);
  free(b);
  expect_no_server();
}

Test(registry, default_data_dir_is_xdg_state_home_then_home) {
  char *xdg = cli_strf("XDG_STATE_HOME=%s/state", data_dir);
  char *home = cli_strf("HOME=%s/home", data_dir);
  struct cli_result r;
  cli_exec(&r, ENV(xdg, home), NULL, ARGS("registry", "start", "dflt"));
  json_object *b = cli_expect_json(&r);
  char *want = cli_strf("%s/state/alien-ar/artifact_registry/dflt", data_dir);
  cr_assert_str_eq(cli_jstr(b, "dataDir"), want);
  json_object_put(b);
  cli_result_free(&r);
  cli_exec(&r, ENV(xdg, home), NULL, ARGS("registry", "purge", "dflt"));
  json_object_put(cli_expect_json(&r));
  cli_result_free(&r);
  free(want);

  /* Without XDG_STATE_HOME (or with a relative one): ~/.local/state. */
  cli_exec(&r, ENV(home, "XDG_STATE_HOME=relative"), NULL,
           ARGS("registry", "status", "dflt"));
  cr_assert_eq(r.status, 3, "stderr: %s", r.err);
  json_object *o = cli_parse(r.out);
  want = cli_strf("%s/home/.local/state/alien-ar/artifact_registry/dflt",
                  data_dir);
  cr_assert_str_eq(cli_jstr(o, "dataDir"), want);
  json_object_put(o);
  cli_result_free(&r);
  free(want);
  free(xdg);
  free(home);
  expect_no_server();
}

Test(registry, relative_data_dir_is_made_absolute) {
  /* alien-ar runs with its working directory where the test is; pass a
   * path relative to it. */
  char cwd[4096];
  cr_assert_not_null(getcwd(cwd, sizeof cwd));
  cr_assert_eq(chdir(data_dir), 0);
  struct cli_result r;
  cli_exec(&r, NO_ENV, NULL,
           ARGS("registry", "start", "rel", "--data-dir", "./sub/../here"));
  json_object *b = cli_expect_json(&r);
  char *want = cli_strf("%s/here/artifact_registry/rel", data_dir);
  cr_assert_str_eq(cli_jstr(b, "dataDir"), want);
  json_object_put(b);
  cli_result_free(&r);
  cli_exec(&r, NO_ENV, NULL,
           ARGS("registry", "purge", "rel", "--data-dir", "here"));
  json_object_put(cli_expect_json(&r));
  cli_result_free(&r);
  cr_assert_eq(chdir(cwd), 0);
  free(want);
  expect_no_server();
}

Test(registry, concurrent_starts_spawn_one_server) {
  enum { N = 4 };
  pid_t kids[N];
  char *outs[N];
  for (int i = 0; i < N; i++) {
    outs[i] = cli_strf("%s/start-%d.out", data_dir, i);
    kids[i] = fork();
    cr_assert(kids[i] >= 0);
    if (kids[i] == 0) {
      struct cli_result r;
      reg(&r, "start", "racy");
      FILE *f = fopen(outs[i], "w");
      if (f) {
        fputs(r.out, f);
        fclose(f);
      }
      _exit(r.status);
    }
  }
  for (int i = 0; i < N; i++) {
    int st;
    cr_assert_eq(waitpid(kids[i], &st, 0), kids[i]);
    cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "start %d failed", i);
  }
  char *first = cli_read_text(outs[0]);
  for (int i = 1; i < N; i++) {
    char *other = cli_read_text(outs[i]);
    cr_assert_str_eq(other, first);
    free(other);
  }
  cr_assert_eq(cli_registries_under(data_dir, NULL, 0), 1,
               "more than one server for one id");
  purge_ok("racy");
  expect_no_server();
  free(first);
  for (int i = 0; i < N; i++)
    free(outs[i]);
}

Test(registry, list_shows_every_id_with_its_state) {
  struct cli_result r;
  reg(&r, "list", NULL);
  json_object *arr = cli_expect_json(&r);
  cr_assert_eq(json_object_array_length(arr), 0, "%s", r.out);
  json_object_put(arr);
  cli_result_free(&r);

  free(start("up"));
  free(start("down"));
  stop_ok("down");
  /* Things that are not registries are left out. */
  char *junk = cli_strf("%s/artifact_registry/NotAnId", data_dir);
  cr_assert_eq(mkdir(junk, 0700), 0);
  char *file = cli_strf("%s/artifact_registry/plain-file", data_dir);
  FILE *f = fopen(file, "w");
  fclose(f);
  reg(&r, "list", NULL);
  arr = cli_expect_json(&r);
  cr_assert_eq(json_object_array_length(arr), 2, "%s", r.out);
  json_object *d = json_object_array_get_idx(arr, 0);
  json_object *u = json_object_array_get_idx(arr, 1);
  cr_assert_str_eq(cli_jstr(d, "registryId"), "down");
  cr_assert_str_eq(cli_jstr(d, "state"), "stopped");
  cr_assert_str_eq(cli_jstr(u, "registryId"), "up");
  cr_assert_str_eq(cli_jstr(u, "state"), "running");
  cr_assert(strncmp(cli_jstr(u, "registryUrl"), "localhost:", 10) == 0);
  json_object_put(arr);
  cli_result_free(&r);
  purge_ok("up");
  purge_ok("down");
  expect_no_server();
  free(junk);
  free(file);
}

Test(registry, usage_errors_and_help) {
  const char *const *cases[] = {
      ARGS("registry"),
      ARGS("registry", "frob", "x"),
      ARGS("registry", "start"),
      ARGS("registry", "start", "a", "b"),
      ARGS("registry", "list", "x"),
      ARGS("registry", "start", "x", "--data-dir"),
      ARGS("registry", "start", "x", "--data-dir", ""),
      ARGS("registry", "start", "x", "--ttl", "5"),
      ARGS("--binding", "b", "get", "x", "--data-dir", "/tmp"),
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    struct cli_result r;
    cli_exec(&r, NO_ENV, NULL, cases[i]);
    cr_assert_eq(r.status, 2, "case %zu: exit %d; stderr:\n%s", i, r.status,
                 r.err);
    cr_assert_str_empty(r.out);
    cli_result_free(&r);
  }
  struct cli_result r;
  cli_exec(&r, NO_ENV, NULL, ARGS("registry", "--help"));
  cr_assert_eq(r.status, 0);
  static const char *const needles[] = {
      "registry start ID", "--data-dir", "XDG_STATE_HOME", "metadata.json",
      "127.0.0.1", "not_answering", "Exit status"};
  for (size_t i = 0; i < sizeof needles / sizeof needles[0]; i++)
    cr_assert(strstr(r.out, needles[i]), "registry --help lacks '%s'",
              needles[i]);
  cli_result_free(&r);
  cli_exec(&r, NO_ENV, NULL, ARGS("--help"));
  cr_assert_eq(r.status, 0);
  cr_assert(strstr(r.out, "registry start ID"), "%s", r.out);
  cr_assert(strstr(r.out, "session"), "%s", r.out);
  cli_result_free(&r);
}

Test(registry, server_outlives_alien_ar_and_ignores_registry_env) {
  /* REGISTRY_HTTP_ADDR would make it listen elsewhere: it is dropped. */
  char *dd = cli_strf("%s", data_dir);
  struct cli_result r;
  cli_exec(&r, ENV("REGISTRY_HTTP_ADDR=0.0.0.0:5000",
                   "REGISTRY_STORAGE_DELETE_ENABLED=false"),
           NULL, ARGS("registry", "start", "envy", "--data-dir", dd));
  json_object *b = cli_expect_json(&r);
  int port = cli_port_of(cli_jstr(b, "registryUrl"));
  json_object_put(b);
  cli_result_free(&r);
  expect_loopback_only(port);
  pid_t pid = pid_of("envy");
  char *env_path = cli_strf("/proc/%ld/environ", (long)pid);
  FILE *f = fopen(env_path, "rb");
  cr_assert_not_null(f);
  char env[65536];
  size_t n = fread(env, 1, sizeof env - 1, f);
  fclose(f);
  for (size_t off = 0; off < n; off += strlen(env + off) + 1)
    cr_assert(strncmp(env + off, "REGISTRY_", 9) != 0, "server env has %s",
              env + off);
  /* alien-ar has exited; the server is still there, and deletes work */
  cr_assert_eq(cli_http_get(port, "/v2/"), 200);
  purge_ok("envy");
  expect_no_server();
  free(env_path);
  free(dd);
}
