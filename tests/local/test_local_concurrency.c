/* One handle shared by 8 threads (create/get/delete are handle-concurrent).
 * Threads only record outcomes; the main thread asserts. */
#include "local_env.h"

#include <criterion/criterion.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define THREADS 8
#define CYCLES 25

static struct local_env E;

static void setup(void) {
  /* TRACE so the host's log callback is hit from every thread too. */
  struct local_env_options o = {.binding = "b",
                                .log_level = ALIEN_AR_LOG_TRACE};
  local_env_start(&E, &o);
}
static void teardown(void) { local_env_stop(&E); }

TestSuite(local_concurrency, .init = setup, .fini = teardown, .timeout = 120);

struct worker {
  pthread_t tid;
  int index;
  int errors;
  int cycles_done;
  char first_failure[1024];
};

static void record(struct worker *w, const char *step, const char *name,
                   struct alien_ar_error *err, const char *extra) {
  w->errors++;
  if (w->first_failure[0])
    return;
  char *json = NULL;
  if (err)
    E.p.t->error_to_json(err, &json);
  snprintf(w->first_failure, sizeof w->first_failure, "%s(%s): %s %s", step,
           name, json ? json : "", extra ? extra : "");
  E.p.t->string_free(json);
}

static void one_cycle(struct worker *w, int i) {
  char hex[9], l[96], want[128];
  ar_test_random_hex(hex, 8);
  snprintf(l, sizeof l, "conc-%d-%d-%s", w->index, i, hex);
  snprintf(want, sizeof want, "b/%s", l);
  struct alien_ar_repository *r = NULL;
  struct alien_ar_error *err = NULL;

  if (E.p.t->create_repository(E.h, l, &r, &err) != ALIEN_AR_OK || !r) {
    record(w, "create", l, err, NULL);
    E.p.t->error_free(err);
    return;
  }
  if (strcmp(r->name, want) != 0)
    record(w, "create", l, NULL, r->name);
  E.p.t->repository_free(r);
  r = NULL;

  if (E.p.t->get_repository(E.h, want, &r, &err) != ALIEN_AR_OK || !r) {
    record(w, "get", want, err, NULL);
    E.p.t->error_free(err);
    return;
  }
  if (strcmp(r->name, want) != 0)
    record(w, "get", want, NULL, r->name);
  E.p.t->repository_free(r);
  r = NULL;

  if (E.p.t->delete_repository(E.h, want, &err) != ALIEN_AR_OK) {
    record(w, "delete", want, err, NULL);
    E.p.t->error_free(err);
    return;
  }
  alien_ar_status st = E.p.t->get_repository(E.h, want, &r, &err);
  if (st != ALIEN_AR_ERR_NOT_FOUND)
    record(w, "get-after-delete", want, err, "expected NOT_FOUND");
  E.p.t->repository_free(r);
  E.p.t->error_free(err);
  w->cycles_done++;
}

static void *run_worker(void *arg) {
  struct worker *w = arg;
  for (int i = 0; i < CYCLES; i++)
    one_cycle(w, i);
  return NULL;
}

Test(local_concurrency, eight_threads_share_one_handle) {
  struct worker w[THREADS];
  memset(w, 0, sizeof w);
  for (int i = 0; i < THREADS; i++) {
    w[i].index = i;
    cr_assert_eq(pthread_create(&w[i].tid, NULL, run_worker, &w[i]), 0);
  }
  for (int i = 0; i < THREADS; i++)
    pthread_join(w[i].tid, NULL);
  int errors = 0;
  for (int i = 0; i < THREADS; i++) {
    errors += w[i].errors;
    cr_expect_eq(w[i].errors, 0, "thread %d: %d errors, first: %s", i,
                 w[i].errors, w[i].first_failure);
    cr_expect_eq(w[i].cycles_done, CYCLES, "thread %d", i);
  }
  cr_assert_eq(errors, 0);
  cr_assert_gt(ar_test_log_total(&E.log), 0,
               "TRACE logging delivered nothing under load");
}
