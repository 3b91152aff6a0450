/* The six measured operations, each in three flavours: ours (the plugin
 * through its table, on one handle), floor and seed (baseline.h). */
#ifndef ALIEN_AR_BENCH_OPS_H
#define ALIEN_AR_BENCH_OPS_H

#include <stdatomic.h>

#include "baseline.h"
#include "host.h"
#include "runner.h"

enum bench_op {
  OP_GET_EXISTS,
  OP_GET_MISSING,
  OP_CREATE_COLD,
  OP_CREATE_RECREATE,
  OP_CREATE_MOUNT,
  OP_DELETE,
  OP_COUNT
};

enum bench_who { WHO_OURS, WHO_FLOOR, WHO_SEED };

struct bench_env {
  const char *base_url; /* http://127.0.0.1:PORT */
  const char *hostport; /* 127.0.0.1:PORT */
  alien_ar_handle *h;   /* the one handle every "ours" variant uses */
  struct bench_floor *floor;
  atomic_long seq; /* makes every created repository name unique */
};

extern const char *const bench_op_names[OP_COUNT];

/* Creates the repository the get/re-create variants read, and warms the
 * handle and the floor's connection. 0 on success. */
int bench_env_prepare(struct bench_env *env);

/* Whether the baseline has a variant of the operation (the seed's delete
 * is a no-op, so there is nothing to measure). */
int bench_has_variant(enum bench_op op, enum bench_who who);

/* Runs one variant for `budget_s` timed seconds. */
int bench_run_variant(struct bench_env *env, enum bench_op op,
                      enum bench_who who, int threads, double budget_s,
                      struct bench_result *res);

/* One get (exists) through the plugin; 0 when it succeeded. */
int bench_ours_get(alien_ar_handle *h);

#endif
