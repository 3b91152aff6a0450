/* The concurrency load: THREADS threads share ONE handle for TOTAL mixed
 * operations on per-thread names. No test framework in here, so the same
 * load runs in the Criterion test and, under ThreadSanitizer, in the
 * standalone driver (Criterion's shared-memory arena cannot be mapped in
 * a TSan process: "Could not initialize inheritable arena"). */
#ifndef ALIEN_AR_TEST_PERF_CONCURRENCY_LOAD_H
#define ALIEN_AR_TEST_PERF_CONCURRENCY_LOAD_H

#define ALIEN_AR_NO_PROTOTYPES
#include <alien/artifact_registry.h>

#define CONC_THREADS 8
#define CONC_TOTAL_OPS 10000

struct conc_result {
  long ops, errors;
  double seconds;
  char first_failure[512];
};

/* Each thread cycles create, get, re-create, delete, get (now missing) over
 * four names of its own, so every outcome is known in advance; any other
 * outcome counts as an error. `run_id` makes the names unique per run.
 * `total` <= 0 means CONC_TOTAL_OPS. Returns -1 if threads cannot start. */
int conc_run(const struct alien_ar_plugin *t, alien_ar_handle *h,
             const char *run_id, int threads, long total,
             struct conc_result *out);

#endif
