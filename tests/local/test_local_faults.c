/* Registry down, stopped mid-session, or silent: retryable BINDINGS_ERROR
 * with the cause chained, and a prompt return. */
#include "local_env.h"

#include <criterion/criterion.h>
#include <json-c/json.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static struct ar_test_plugin P;
static alien_ar_handle *H;
static struct local_env E;
static int silent_fd = -1;

static void setup_down(void) { ar_test_plugin_load(&P); }
static void teardown_down(void) {
  if (H)
    P.t->close(H);
  H = NULL;
  ar_test_plugin_unload(&P);
  if (silent_fd >= 0)
    close(silent_fd);
  silent_fd = -1;
}
static void setup_live(void) {
  struct local_env_options o = {.binding = "b"};
  local_env_start(&E, &o);
}
static void teardown_live(void) { local_env_stop(&E); }

TestSuite(local_faults, .init = setup_down, .fini = teardown_down,
          .timeout = 60);
TestSuite(local_faults_live, .init = setup_live, .fini = teardown_live,
          .timeout = 60);

#define MAX_SECONDS 3.0

/* Checks the outer BINDINGS_ERROR and its cause; frees. */
static void expect_backend(const struct ar_test_plugin *p, alien_ar_status st,
                           struct alien_ar_error *err, const char *want_msg,
                           const char *what) {
  ar_test_check_error(p, st, err, ALIEN_AR_ERR_BACKEND, "BINDINGS_ERROR",
                      what);
  char *json = ar_test_error_json(p, err);
  if (want_msg)
    cr_assert_str_eq(err->message, want_msg, "%s", what);
  cr_assert(strncmp(err->message, "Bindings error: ", 16) == 0, "%s: %s",
            what, json);
  cr_assert_neq(err->retryable, 0, "%s: must be retryable: %s", what, json);
  cr_assert_neq(err->internal, 0, "%s: %s", what, json);
  cr_assert_eq(err->http_status_code, 500, "%s: %s", what, json);
  cr_assert_not_null(err->source, "%s: no cause chained: %s", what, json);
  cr_assert_not_null(err->source->code);
  cr_assert_not_null(err->source->message);
  cr_assert_gt(strlen(err->source->message), 0);

  json_object *root = json_tokener_parse(json);
  json_object *pm = NULL, *src = NULL, *v = NULL;
  cr_assert(json_object_object_get_ex(root, "source", &src), "%s", json);
  cr_assert(!json_object_object_get_ex(src, "_error_for_pattern_matching", &v),
            "only the outer error carries the pattern-matching payload");
  cr_assert(json_object_object_get_ex(root, "_error_for_pattern_matching",
                                      &pm),
            "%s", json);
  char want_pm[256];
  snprintf(want_pm, sizeof want_pm, "{\"other\":{\"message\":\"%s\"}}",
           err->message + strlen("Bindings error: "));
  cr_assert(ar_test_json_equal(json_object_to_json_string(pm), want_pm),
            "%s: pattern matching %s", what, json_object_to_json_string(pm));
  json_object_put(root);
  free(json);
  p->t->error_free(err);
}

static void down_case(const char *url) {
  H = ar_test_open_local(&P, "b", url, NULL);
  struct alien_ar_repository *r = NULL;
  struct alien_ar_error *err = NULL;

  double t0 = ar_test_now();
  alien_ar_status st = P.t->get_repository(H, "b/app", &r, &err);
  double dt = ar_test_now() - t0;
  expect_backend(&P, st, err,
                 "Bindings error: Failed to check repository existence",
                 "get on a down registry");
  cr_assert_lt(dt, MAX_SECONDS, "get took %.2f s", dt);
  cr_assert_null(r);

  err = NULL;
  t0 = ar_test_now();
  st = P.t->create_repository(H, "app", &r, &err);
  dt = ar_test_now() - t0;
  expect_backend(&P, st, err, NULL, "create on a down registry");
  cr_assert_lt(dt, MAX_SECONDS, "create took %.2f s", dt);
  cr_assert_null(r);

  err = NULL;
  t0 = ar_test_now();
  st = P.t->delete_repository(H, "b/app", &err);
  dt = ar_test_now() - t0;
  expect_backend(&P, st, err, "Bindings error: Failed to delete repository "
                              "'b/app'",
                 "delete on a down registry");
  cr_assert_lt(dt, MAX_SECONDS, "delete took %.2f s", dt);
}

Test(local_faults, registry_down_ip) {
  char url[64];
  snprintf(url, sizeof url, "127.0.0.1:%d", ar_test_free_port());
  down_case(url);
}

Test(local_faults, registry_down_localhost) {
  char url[64];
  snprintf(url, sizeof url, "localhost:%d", ar_test_free_port());
  down_case(url);
}

/* Accepts connections (kernel backlog) but never answers. */
static int silent_listener(void) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  cr_assert(fd >= 0);
  struct sockaddr_in a;
  memset(&a, 0, sizeof a);
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  cr_assert_eq(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
  cr_assert_eq(listen(fd, 64), 0);
  socklen_t len = sizeof a;
  cr_assert_eq(getsockname(fd, (struct sockaddr *)&a, &len), 0);
  silent_fd = fd;
  return ntohs(a.sin_port);
}

Test(local_faults, silent_registry_times_out) {
  char cfg[256];
  snprintf(cfg, sizeof cfg,
           "{\"service\":\"local\",\"registryUrl\":\"127.0.0.1:%d\","
           "\"dataDir\":null,\"connectTimeoutMs\":500,\"requestTimeoutMs\":"
           "500,\"operationTimeoutMs\":1000,\"maxRetries\":0}",
           silent_listener());
  struct alien_ar_error *err = NULL;
  ar_test_expect_ok(&P, P.t->open("b", cfg, NULL, &H, &err), err, cfg);
  struct alien_ar_repository *r = NULL;
  double t0 = ar_test_now();
  alien_ar_status st = P.t->get_repository(H, "app", &r, &err);
  double dt = ar_test_now() - t0;
  expect_backend(&P, st, err,
                 "Bindings error: Failed to check repository existence",
                 "get on a silent registry");
  cr_assert_lt(dt, MAX_SECONDS, "get took %.2f s with 1 s operation timeout",
               dt);
}

Test(local_faults_live, registry_stopped_mid_session) {
  char l[64];
  local_repo_name(l, sizeof l);
  struct alien_ar_repository *c = local_create(&E, l);
  E.p.t->repository_free(local_get(&E, c->name));
  ar_test_registry_stop(&E.reg);

  struct alien_ar_repository *r = NULL;
  struct alien_ar_error *err = NULL;
  double t0 = ar_test_now();
  alien_ar_status st = E.p.t->get_repository(E.h, c->name, &r, &err);
  double dt = ar_test_now() - t0;
  expect_backend(&E.p, st, err,
                 "Bindings error: Failed to check repository existence",
                 "get after the registry stopped");
  cr_assert_lt(dt, MAX_SECONDS, "get took %.2f s", dt);
  cr_assert_null(r);
  E.p.t->repository_free(c);
}

/* ---- a fake registry that answers every request with one status -------- */

struct fake_server {
  int fd;
  int status;
  atomic_int stop;
  atomic_int requests;
  pthread_t tid;
};

static void *fake_serve(void *arg) {
  struct fake_server *f = arg;
  while (!atomic_load(&f->stop)) {
    struct pollfd pfd = {f->fd, POLLIN, 0};
    if (poll(&pfd, 1, 50) <= 0)
      continue;
    int c = accept(f->fd, NULL, NULL);
    if (c < 0)
      continue;
    char buf[8192];
    size_t got = 0;
    /* Read the request head; HEAD/GET carry no body. */
    while (got < sizeof buf - 1) {
      ssize_t n = read(c, buf + got, sizeof buf - 1 - got);
      if (n <= 0)
        break;
      got += (size_t)n;
      buf[got] = '\0';
      if (strstr(buf, "\r\n\r\n"))
        break;
    }
    atomic_fetch_add(&f->requests, 1);
    char resp[256];
    int rn = snprintf(resp, sizeof resp,
                      "HTTP/1.1 %d Fake\r\nContent-Length: 0\r\n"
                      "Docker-Distribution-Api-Version: registry/2.0\r\n"
                      "Connection: close\r\n\r\n",
                      f->status);
    ssize_t w = write(c, resp, (size_t)rn);
    (void)w;
    close(c);
  }
  return NULL;
}

static struct fake_server FAKE = {.fd = -1};

static int fake_start(int status) {
  FAKE.status = status;
  atomic_store(&FAKE.stop, 0);
  atomic_store(&FAKE.requests, 0);
  int port = silent_listener();
  FAKE.fd = silent_fd;
  silent_fd = -1;
  cr_assert_eq(pthread_create(&FAKE.tid, NULL, fake_serve, &FAKE), 0);
  return port;
}

static void fake_teardown(void) {
  if (FAKE.fd >= 0) {
    atomic_store(&FAKE.stop, 1);
    pthread_join(FAKE.tid, NULL);
    close(FAKE.fd);
    FAKE.fd = -1;
  }
  teardown_down();
}

TestSuite(local_faults_fake, .init = setup_down, .fini = fake_teardown,
          .timeout = 60);

static void fake_get_is_backend_error(int status) {
  char url[64];
  snprintf(url, sizeof url, "127.0.0.1:%d", fake_start(status));
  H = ar_test_open_local(&P, "b", url, NULL);
  struct alien_ar_repository *r = NULL;
  struct alien_ar_error *err = NULL;
  char what[64];
  snprintf(what, sizeof what, "get against a registry answering %d", status);
  double t0 = ar_test_now();
  alien_ar_status st = P.t->get_repository(H, "app", &r, &err);
  double dt = ar_test_now() - t0;
  expect_backend(&P, st, err,
                 "Bindings error: Failed to check repository existence", what);
  cr_assert_null(r);
  cr_assert_lt(dt, MAX_SECONDS, "%s took %.2f s", what, dt);
  cr_assert_gt(atomic_load(&FAKE.requests), 0, "%s: no request reached it", what);
}

Test(local_faults_fake, server_error_is_backend_error) {
  fake_get_is_backend_error(500);
}

Test(local_faults_fake, unauthorized_is_backend_error) {
  fake_get_is_backend_error(401);
}

Test(local_faults_fake, forbidden_is_backend_error) {
  fake_get_is_backend_error(403);
}

Test(local_faults_fake, plain_404_is_not_found) {
  char url[64];
  snprintf(url, sizeof url, "127.0.0.1:%d", fake_start(404));
  H = ar_test_open_local(&P, "b", url, NULL);
  struct alien_ar_repository *r = NULL;
  struct alien_ar_error *err = NULL;
  alien_ar_status st = P.t->get_repository(H, "b/app", &r, &err);
  ar_test_check_error(&P, st, err, ALIEN_AR_ERR_NOT_FOUND,
                      "RESOURCE_NOT_FOUND", "get against a 404 server");
  cr_assert_str_eq(err->message, "Resource 'b/app' not found");
  P.t->error_free(err);
}
