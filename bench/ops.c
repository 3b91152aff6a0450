#include "ops.h"

#include <stdio.h>
#include <string.h>

#define MAX_T 64
#define DELETES_PER_BATCH 10 /* per thread: repositories made untimed */
#define EXISTING "g-exists"   /* logical name; path is bench/g-exists */
#define MISSING "g-missing"

const char *const bench_op_names[OP_COUNT] = {
    "get (exists)",        "get (missing)",          "create (cold)",
    "create (re-create)", "create (mount applies)", "delete"};

struct variant {
  struct bench_env *env;
  enum bench_op op;
  enum bench_who who;
  alien_ar_handle *h; /* env->h, or a fresh one per batch for a cold create */
  int next[MAX_T];
  char doomed[MAX_T][DELETES_PER_BATCH][48]; /* logical names to delete */
};

static void fresh_name(struct bench_env *env, char *out, size_t cap) {
  snprintf(out, cap, "n%ld", atomic_fetch_add(&env->seq, 1));
}

static int ours_get(alien_ar_handle *h, const char *id, int exists) {
  struct alien_ar_repository *repo = NULL;
  struct alien_ar_error *err = NULL;
  alien_ar_status st = bench_ar->get_repository(h, id, &repo, &err);
  bench_ar->repository_free(repo);
  if (st == (exists ? ALIEN_AR_OK : ALIEN_AR_ERR_NOT_FOUND)) {
    bench_ar->error_free(err);
    return 0;
  }
  bench_host_report("get_repository", err);
  return -1;
}

int bench_ours_get(alien_ar_handle *h) {
  return ours_get(h, "bench/" EXISTING, 1);
}

static int ours_create(alien_ar_handle *h, const char *logical) {
  struct alien_ar_repository *repo = NULL;
  struct alien_ar_error *err = NULL;
  alien_ar_status st = bench_ar->create_repository(h, logical, &repo, &err);
  bench_ar->repository_free(repo);
  if (st == ALIEN_AR_OK)
    return 0;
  bench_host_report("create_repository", err);
  return -1;
}

static int ours_delete(alien_ar_handle *h, const char *logical) {
  struct alien_ar_error *err = NULL;
  if (bench_ar->delete_repository(h, logical, &err) == ALIEN_AR_OK)
    return 0;
  bench_host_report("delete_repository", err);
  return -1;
}

int bench_env_prepare(struct bench_env *env) {
  if (ours_create(env->h, EXISTING) != 0 || bench_ours_get(env->h) != 0)
    return -1;
  /* The floor's connection is opened here, as the handle's was above. */
  return bench_floor_get(env->floor, "bench/" EXISTING, 1);
}

int bench_has_variant(enum bench_op op, enum bench_who who) {
  return !(op == OP_DELETE && who == WHO_SEED);
}

/* ---- per-batch setup (untimed) ------------------------------------------ */

static int cold_begin(void *ctx) {
  struct variant *v = ctx;
  /* A handle that has never created anything: its first create cannot
   * mount, which is what "cold" means. */
  v->h = bench_host_open(v->env->hostport);
  return v->h ? 0 : -1;
}

static void cold_prepare(void *ctx, int t) {
  struct variant *v = ctx;
  (void)t;
  /* Opens this thread's connection, so the timed create does not pay a
   * TCP connect the floor does not pay either. */
  ours_get(v->h, "bench/" MISSING, 0);
}

static void cold_end(void *ctx) {
  struct variant *v = ctx;
  bench_ar->close(v->h);
  v->h = NULL;
}

static void delete_prepare(void *ctx, int t) {
  struct variant *v = ctx;
  v->next[t] = 0;
  for (int i = 0; i < DELETES_PER_BATCH; i++) {
    fresh_name(v->env, v->doomed[t][i], sizeof v->doomed[t][i]);
    ours_create(v->env->h, v->doomed[t][i]);
  }
}

/* ---- the timed operations ----------------------------------------------- */

static int op_ours(void *ctx, int t) {
  struct variant *v = ctx;
  char name[48];
  switch (v->op) {
  case OP_GET_EXISTS:
    return ours_get(v->h, "bench/" EXISTING, 1);
  case OP_GET_MISSING:
    return ours_get(v->h, "bench/" MISSING, 0);
  case OP_CREATE_RECREATE:
    return ours_create(v->h, EXISTING);
  case OP_CREATE_COLD:
  case OP_CREATE_MOUNT:
    fresh_name(v->env, name, sizeof name);
    return ours_create(v->h, name);
  case OP_DELETE:
    return ours_delete(v->h, v->doomed[t][v->next[t]++]);
  default:
    return -1;
  }
}

static int op_floor(void *ctx, int t) {
  struct variant *v = ctx;
  struct bench_floor *f = v->env->floor;
  char path[64];
  switch (v->op) {
  case OP_GET_EXISTS:
    return bench_floor_get(f, "bench/" EXISTING, 1);
  case OP_GET_MISSING:
    return bench_floor_get(f, "bench/" MISSING, 0);
  case OP_CREATE_RECREATE:
    return bench_floor_create(f, "bench/" EXISTING, NULL);
  case OP_CREATE_COLD:
  case OP_CREATE_MOUNT:
    snprintf(path, sizeof path, "bench/n%ld", atomic_fetch_add(&v->env->seq, 1));
    return bench_floor_create(f, path, v->op == OP_CREATE_MOUNT
                                           ? "bench/" EXISTING
                                           : NULL);
  case OP_DELETE:
    snprintf(path, sizeof path, "bench/%s", v->doomed[t][v->next[t]++]);
    return bench_floor_delete(f, path);
  default:
    return -1;
  }
}

static int op_seed(void *ctx, int t) {
  struct variant *v = ctx;
  const char *base = v->env->base_url;
  char path[64];
  (void)t;
  switch (v->op) {
  case OP_GET_EXISTS:
    return bench_seed_get(base, "bench/" EXISTING, 1);
  case OP_GET_MISSING:
    return bench_seed_get(base, "bench/" MISSING, 0);
  case OP_CREATE_RECREATE:
    /* The seed does not look first: it pushes again. */
    return bench_seed_create(base, "bench/" EXISTING);
  case OP_CREATE_COLD:
  case OP_CREATE_MOUNT: /* the seed never mounts */
    snprintf(path, sizeof path, "bench/n%ld", atomic_fetch_add(&v->env->seq, 1));
    return bench_seed_create(base, path);
  default:
    return -1;
  }
}

int bench_run_variant(struct bench_env *env, enum bench_op op,
                      enum bench_who who, int threads, double budget_s,
                      struct bench_result *res) {
  static struct variant v; /* large; one variant runs at a time */
  memset(&v, 0, sizeof v);
  v.env = env;
  v.op = op;
  v.who = who;
  v.h = env->h;
  struct bench_job job = {.threads = who == WHO_OURS ? threads : 1,
                          .budget_s = budget_s,
                          .ctx = &v,
                          .op = who == WHO_OURS    ? op_ours
                                : who == WHO_FLOOR ? op_floor
                                                   : op_seed};
  if (job.threads > MAX_T)
    job.threads = MAX_T;
  if (op == OP_DELETE) {
    job.ops_per_batch = DELETES_PER_BATCH;
    job.thread_prepare = delete_prepare;
  } else if (op == OP_CREATE_COLD && who == WHO_OURS) {
    job.ops_per_batch = 1;
    job.batch_begin = cold_begin;
    job.thread_prepare = cold_prepare;
    job.batch_end = cold_end;
  }
  return bench_run(&job, res);
}
