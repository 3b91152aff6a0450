#include "runner.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"

#define MAX_THREADS 64

struct shared {
  const struct bench_job *job;
  /* Three rendezvous per batch: start preparing, prepared, go; one at the
   * end. The main thread takes t0 between "prepared" and "go", so thread
   * preparation never lands in the timed part. */
  pthread_barrier_t bar;
  int quit;
  double deadline;
  atomic_long ops, errors;
};

struct worker {
  struct shared *sh;
  int index;
};

static void *work(void *arg) {
  struct worker *w = arg;
  struct shared *sh = w->sh;
  const struct bench_job *job = sh->job;
  for (;;) {
    pthread_barrier_wait(&sh->bar); /* start preparing */
    if (sh->quit)
      break;
    if (job->thread_prepare)
      job->thread_prepare(job->ctx, w->index);
    pthread_barrier_wait(&sh->bar); /* prepared */
    pthread_barrier_wait(&sh->bar); /* go */
    long ops = 0, errors = 0;
    if (job->ops_per_batch > 0) {
      for (int i = 0; i < job->ops_per_batch; i++, ops++)
        errors += job->op(job->ctx, w->index) != 0;
    } else {
      while (bench_now() < sh->deadline) {
        errors += job->op(job->ctx, w->index) != 0;
        ops++;
      }
    }
    atomic_fetch_add(&sh->ops, ops);
    atomic_fetch_add(&sh->errors, errors);
    pthread_barrier_wait(&sh->bar); /* done */
  }
  return NULL;
}

int bench_run(const struct bench_job *job, struct bench_result *res) {
  memset(res, 0, sizeof *res);
  int n = job->threads < 1 ? 1 : job->threads > MAX_THREADS ? MAX_THREADS
                                                            : job->threads;
  struct shared sh;
  memset(&sh, 0, sizeof sh);
  sh.job = job;
  if (pthread_barrier_init(&sh.bar, NULL, (unsigned)n + 1) != 0)
    return -1;
  pthread_t tid[MAX_THREADS];
  struct worker w[MAX_THREADS];
  for (int i = 0; i < n; i++) {
    w[i] = (struct worker){&sh, i};
    /* Threads already started wait at a barrier sized for all of them and
     * could not be released: without threads there is no benchmark. */
    if (pthread_create(&tid[i], NULL, work, &w[i]) != 0) {
      fprintf(stderr, "alien-ar-bench: cannot start a thread\n");
      exit(2);
    }
  }
  int rc = 0;
  double timed = 0.0;
  /* A batch size of 0 means "until the budget": one batch does it. */
  for (int batch = 0; rc == 0 && (batch == 0 || (job->ops_per_batch > 0 &&
                                                 timed < job->budget_s));
       batch++) {
    if (job->batch_begin && job->batch_begin(job->ctx) != 0) {
      rc = -1;
      break;
    }
    pthread_barrier_wait(&sh.bar); /* start preparing */
    pthread_barrier_wait(&sh.bar); /* prepared */
    double t0 = bench_now();
    sh.deadline = t0 + job->budget_s;
    pthread_barrier_wait(&sh.bar); /* go */
    pthread_barrier_wait(&sh.bar); /* done */
    timed += bench_now() - t0;
    if (job->batch_end)
      job->batch_end(job->ctx);
  }
  sh.quit = 1;
  pthread_barrier_wait(&sh.bar);
  for (int i = 0; i < n; i++)
    pthread_join(tid[i], NULL);
  pthread_barrier_destroy(&sh.bar);
  res->ops = atomic_load(&sh.ops);
  res->errors = atomic_load(&sh.errors);
  res->seconds = timed;
  res->ops_per_s = timed > 0 ? (double)res->ops / timed : 0.0;
  return rc;
}
