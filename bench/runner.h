/* Runs one variant of one operation: N worker threads (on one plugin
 * handle, or one baseline connection when N is 1), in batches, until the
 * timed part adds up to a budget. Only the ops are timed; per-batch setup
 * (making repositories to delete, opening a fresh handle for a cold
 * create) is not. */
#ifndef ALIEN_AR_BENCH_RUNNER_H
#define ALIEN_AR_BENCH_RUNNER_H

struct bench_job {
  int threads;
  int ops_per_batch; /* per thread; 0 = one batch that runs until budget */
  double budget_s;   /* timed seconds to accumulate */
  void *ctx;
  int (*batch_begin)(void *ctx);                 /* main, untimed, may be NULL */
  void (*thread_prepare)(void *ctx, int thread); /* worker, untimed, may be NULL */
  int (*op)(void *ctx, int thread);              /* worker, timed; 0 = ok */
  void (*batch_end)(void *ctx);                  /* main, untimed, may be NULL */
};

struct bench_result {
  long ops;
  long errors;
  double seconds;
  double ops_per_s;
};

/* 0 on success, -1 when threads could not start or batch_begin failed. */
int bench_run(const struct bench_job *job, struct bench_result *res);

#endif
