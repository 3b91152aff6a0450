#include "concurrency_load.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define MAX_THREADS 64
#define NAMES_PER_THREAD 4
#define CYCLE 5

struct worker {
  pthread_t tid;
  const struct alien_ar_plugin *t;
  alien_ar_handle *h;
  const char *run_id;
  int index;
  long todo, ops, errors;
  char first_failure[512];
};

static void fail(struct worker *w, const char *what, const char *name,
                 alien_ar_status st, struct alien_ar_error *err) {
  w->errors++;
  if (w->first_failure[0])
    return;
  char *json = NULL;
  if (err)
    w->t->error_to_json(err, &json);
  snprintf(w->first_failure, sizeof w->first_failure,
           "thread %d: %s %s: status %d %s", w->index, what, name, (int)st,
           json ? json : "");
  w->t->string_free(json);
}

static void one_op(struct worker *w, long i) {
  char logical[64], id[80];
  snprintf(logical, sizeof logical, "conc-%s-%d-%ld", w->run_id, w->index,
           (i / CYCLE) % NAMES_PER_THREAD);
  snprintf(id, sizeof id, "b/%s", logical);
  struct alien_ar_repository *r = NULL;
  struct alien_ar_error *err = NULL;
  alien_ar_status st, want = ALIEN_AR_OK;
  const char *what;
  switch (i % CYCLE) {
  case 0: /* absent (fresh, or deleted by case 3): created */
  case 2: /* present: left alone */
    what = "create";
    st = w->t->create_repository(w->h, logical, &r, &err);
    break;
  case 1:
    what = "get";
    st = w->t->get_repository(w->h, id, &r, &err);
    break;
  case 3:
    what = "delete";
    st = w->t->delete_repository(w->h, id, &err);
    break;
  default:
    what = "get (deleted)";
    want = ALIEN_AR_ERR_NOT_FOUND;
    st = w->t->get_repository(w->h, id, &r, &err);
    break;
  }
  if (st != want)
    fail(w, what, id, st, err);
  else if (st == ALIEN_AR_OK && r && strcmp(r->name, id) != 0)
    fail(w, what, r->name, st, NULL);
  w->t->repository_free(r);
  w->t->error_free(err);
  w->ops++;
}

static void *run(void *arg) {
  struct worker *w = arg;
  for (long i = 0; i < w->todo; i++)
    one_op(w, i);
  return NULL;
}

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int conc_run(const struct alien_ar_plugin *t, alien_ar_handle *h,
             const char *run_id, int threads, long total,
             struct conc_result *out) {
  static struct worker w[MAX_THREADS];
  memset(out, 0, sizeof *out);
  if (threads < 1 || threads > MAX_THREADS)
    return -1;
  if (total <= 0)
    total = CONC_TOTAL_OPS;
  double t0 = now();
  int started = 0;
  for (; started < threads; started++) {
    memset(&w[started], 0, sizeof w[started]);
    w[started] = (struct worker){.t = t, .h = h, .run_id = run_id,
                                 .index = started,
                                 .todo = total / threads +
                                         (started < total % threads)};
    if (pthread_create(&w[started].tid, NULL, run, &w[started]) != 0)
      break;
  }
  for (int i = 0; i < started; i++) {
    pthread_join(w[i].tid, NULL);
    out->ops += w[i].ops;
    out->errors += w[i].errors;
    if (!out->first_failure[0] && w[i].first_failure[0])
      snprintf(out->first_failure, sizeof out->first_failure, "%s",
               w[i].first_failure);
  }
  out->seconds = now() - t0;
  return started == threads ? 0 : -1;
}
