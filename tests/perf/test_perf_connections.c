/* Connections on the wire: a handle keeps its connections alive across
 * calls, one per thread in use, not one per call. Counted from the real
 * registry's log, whose "response completed" lines carry the client's
 * address and port (http.request.remoteaddr="127.0.0.1:PORT"): every
 * distinct port is one TCP connection the plugin opened. */
#include <criterion/criterion.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plugin_loader.h"
#include "registry_fixture.h"

#define MAX_PORTS 256

static struct ar_test_registry reg;
static struct ar_test_plugin plugin;

static void setup(void) {
  struct ar_test_registry_options o = {.access_log = 1};
  ar_test_registry_start(&reg, &o);
  ar_test_plugin_load(&plugin);
}

static void teardown(void) {
  ar_test_plugin_unload(&plugin);
  ar_test_registry_stop(&reg);
}

TestSuite(perf_connections, .init = setup, .fini = teardown, .timeout = 120);

struct conn_count {
  size_t requests; /* the plugin's requests in the log */
  size_t ports;    /* distinct client ports among them */
};

/* Reads the log once every finished request is in it (the request count
 * syncs on a probe first) and counts the plugin's connections. */
static struct conn_count count_connections(void) {
  struct conn_count c = {0, 0};
  size_t access_lines = 0;
  (void)ar_test_registry_count_requests(&reg, NULL, NULL); /* the sync */
  char *log = ar_test_registry_log(&reg);
  long seen[MAX_PORTS];
  static const char ua[] = "http.request.useragent=alien-artifact-registry/";
  static const char addr[] = "http.request.remoteaddr=\"127.0.0.1:";
  static const char access_ua[] = "\"alien-artifact-registry/";
  for (char *line = log; line && *line;) {
    char *end = strchr(line, '\n');
    if (end)
      *end = '\0';
    char *a = strstr(line, addr);
    access_lines += strstr(line, access_ua) != NULL;
    if (strstr(line, ua) && a) {
      long port = strtol(a + sizeof addr - 1, NULL, 10);
      size_t i = 0;
      while (i < c.ports && seen[i] != port)
        i++;
      cr_assert_lt(i, (size_t)MAX_PORTS, "more than %d connections",
                   MAX_PORTS);
      if (i == c.ports)
        seen[c.ports++] = port;
      c.requests++;
    }
    line = end ? end + 1 : NULL;
  }
  free(log);
  /* Every request the access log shows must be in the count: otherwise the
   * log format changed and the test would prove nothing. */
  cr_assert_eq(c.requests, access_lines,
               "%zu plugin requests with a client address, %zu in the "
               "access log",
               c.requests, access_lines);
  return c;
}

/* get, create, re-create, get, delete, get of the deleted one: at least
 * 10 requests (11 when the create cannot mount). */
#define PER_CYCLE 10
static void cycle(alien_ar_handle *h, const char *prefix, int n) {
  char name[64];
  snprintf(name, sizeof name, "%s-%d", prefix, n);
  struct alien_ar_repository *r = NULL;
  struct alien_ar_error *err = NULL;
  alien_ar_status st = plugin.t->get_repository(h, name, &r, &err);
  cr_assert_eq(st, ALIEN_AR_ERR_NOT_FOUND, "get before create: %d", st);
  plugin.t->error_free(err);
  err = NULL;
  for (int i = 0; i < 2; i++) {
    ar_test_expect_ok(&plugin, plugin.t->create_repository(h, name, &r, &err),
                      err, "create_repository");
    plugin.t->repository_free(r);
    r = NULL;
  }
  ar_test_expect_ok(&plugin, plugin.t->get_repository(h, name, &r, &err), err,
                    "get_repository");
  plugin.t->repository_free(r);
  r = NULL;
  ar_test_expect_ok(&plugin, plugin.t->delete_repository(h, name, &err), err,
                    "delete_repository");
  st = plugin.t->get_repository(h, name, &r, &err);
  cr_assert_eq(st, ALIEN_AR_ERR_NOT_FOUND, "get after delete: %d", st);
  plugin.t->error_free(err);
}

struct worker {
  alien_ar_handle *h;
  char prefix[16];
  int cycles;
};

static void *work(void *arg) {
  struct worker *w = arg;
  for (int i = 0; i < w->cycles; i++)
    cycle(w->h, w->prefix, i);
  return NULL;
}

static void run_threads(alien_ar_handle *h, int threads, int cycles,
                        int one_after_another) {
  pthread_t tid[8];
  struct worker w[8];
  cr_assert_leq(threads, 8);
  for (int t = 0; t < threads; t++) {
    w[t] = (struct worker){.h = h, .cycles = cycles};
    snprintf(w[t].prefix, sizeof w[t].prefix, "t%d%c", t,
             one_after_another ? 's' : 'p');
    cr_assert_eq(pthread_create(&tid[t], NULL, work, &w[t]), 0);
    if (one_after_another)
      pthread_join(tid[t], NULL);
  }
  for (int t = 0; !one_after_another && t < threads; t++)
    pthread_join(tid[t], NULL);
}

/* THREADS threads run CYCLES cycles each on one new handle, all at once
 * or one after another; returns the connections they used. */
static struct conn_count on_one_handle(int threads, int cycles,
                                       int one_after_another) {
  alien_ar_handle *h = ar_test_open_local(&plugin, "b", reg.url, NULL);
  run_threads(h, threads, cycles, one_after_another);
  struct conn_count c = count_connections();
  plugin.t->close(h);
  cr_assert_geq(c.requests, (size_t)(threads * cycles * PER_CYCLE),
                "only %zu requests", c.requests);
  return c;
}

Test(perf_connections, one_thread_uses_one_connection_for_every_call) {
  struct conn_count c = on_one_handle(1, 10, 1);
  cr_expect_eq(c.ports, (size_t)1,
               "%zu requests from one thread used %zu connections",
               c.requests, c.ports);
}

/* The pool belongs to the handle, not to a thread: threads that take
 * turns share one connection. */
Test(perf_connections, threads_taking_turns_share_one_connection) {
  struct conn_count c = on_one_handle(5, 3, 1);
  cr_expect_eq(c.ports, (size_t)1,
               "5 threads one after another used %zu connections for %zu "
               "requests",
               c.ports, c.requests);
}

Test(perf_connections, concurrent_threads_use_at_most_one_connection_each) {
  struct conn_count c = on_one_handle(4, 10, 0);
  cr_expect(c.ports >= 1 && c.ports <= 4,
            "4 concurrent threads used %zu connections for %zu requests",
            c.ports, c.requests);
}

/* Handles do not share connections; each keeps its own alive. */
Test(perf_connections, each_handle_keeps_its_own_connection) {
  alien_ar_handle *a = ar_test_open_local(&plugin, "b", reg.url, NULL);
  alien_ar_handle *b = ar_test_open_local(&plugin, "b", reg.url, NULL);
  for (int i = 0; i < 3; i++) {
    cycle(a, "ha", i);
    cycle(b, "hb", i);
  }
  struct conn_count c = count_connections();
  plugin.t->close(a);
  plugin.t->close(b);
  cr_expect_eq(c.ports, (size_t)2,
               "two handles, interleaved, used %zu connections for %zu "
               "requests",
               c.ports, c.requests);
}
