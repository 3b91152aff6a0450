#include "report.h"

#include <stdio.h>

#define KIB 1024.0

static double ratio(double a, double b) { return a > 0 && b > 0 ? a / b : -1; }

static void print_num(double v, int width) {
  if (v < 0)
    printf(" %*s", width, "-");
  else
    printf(" %*.1f", width, v);
}

static void print_ratio(double v, int width) {
  if (v < 0)
    printf(" %*s", width, "-");
  else
    printf(" %*.2f", width, v);
}

/* 1 = met, 0 = missed, -1 = not measured in this run (--only). */
static int target(const char *what, double got, double want, int ok_extra) {
  if (got < 0) {
    printf("  SKIP  %s\n", what);
    return -1;
  }
  int pass = got >= 0 && got >= want && ok_extra;
  printf("  %s  %-44s %7.2f (target >= %.2f)\n", pass ? "PASS" : "MISS", what,
         got, want);
  return pass;
}

static void count(int verdict, int *passed, int *total) {
  if (verdict < 0)
    return;
  *passed += verdict;
  (*total)++;
}

static int limit(const char *what, double got_kib, double max_kib) {
  int pass = got_kib < max_kib;
  printf("  %s  %-44s %7.1f KiB (target < %.0f KiB)\n",
         pass ? "PASS" : "MISS", what, got_kib, max_kib);
  return pass;
}

long bench_report(struct bench_cell c[OP_COUNT][V_COUNT], int threads,
                  const struct bench_memory *mem) {
  long errors = 0;
  char col[16];
  snprintf(col, sizeof col, "ours %dT", threads);
  printf("\n%-24s %9s %9s %9s %9s %10s %9s %6s%d/1 %7s\n",
         "operation (ops/s)", "ours 1T", col, "floor", "seed", "ours/floor",
         "ours/seed", "", threads, "errors");
  for (int op = 0; op < OP_COUNT; op++) {
    if (c[op][V_OURS1].median < 0)
      continue; /* not measured (--only) */
    long e = 0;
    for (int v = 0; v < V_COUNT; v++)
      e += c[op][v].errors;
    errors += e;
    printf("%-24s", bench_op_names[op]);
    print_num(c[op][V_OURS1].median, 9);
    print_num(c[op][V_OURS4].median, 9);
    print_num(c[op][V_FLOOR].median, 9);
    print_num(c[op][V_SEED].median, 9);
    print_ratio(ratio(c[op][V_OURS1].median, c[op][V_FLOOR].median), 10);
    print_ratio(ratio(c[op][V_OURS1].median, c[op][V_SEED].median), 9);
    print_ratio(ratio(c[op][V_OURS4].median, c[op][V_OURS1].median), 9);
    printf(" %7ld\n", e);
  }
  double rss_growth_100k =
      mem->gets > 0 ? (double)mem->rss_growth * 100000.0 / (double)mem->gets
                    : 0;
  printf("\nmemory: RSS growth over %ld gets on one handle: %.1f KiB "
         "(heap %+.1f KiB); scaled to 100,000 gets: %.1f KiB\n",
         mem->gets, (double)mem->rss_growth / KIB,
         (double)mem->heap_growth / KIB, rss_growth_100k / KIB);
  printf("memory: one extra open handle (%d opened): RSS %.1f KiB, heap %.1f "
         "KiB; after one get on each (a connection each): RSS %.1f KiB\n",
         mem->handles, (double)mem->rss_per_handle / KIB,
         (double)mem->heap_per_handle / KIB,
         (double)mem->rss_per_used_handle / KIB);

  printf("\ntargets (reported, not asserted):\n");
  int passed = 0, total = 0;
  const int get_create[] = {OP_GET_EXISTS, OP_GET_MISSING, OP_CREATE_COLD,
                            OP_CREATE_RECREATE, OP_CREATE_MOUNT};
  char what[96];
  for (size_t i = 0; i < sizeof get_create / sizeof *get_create; i++) {
    int op = get_create[i];
    snprintf(what, sizeof what, "%s: ours/floor, 1 thread", bench_op_names[op]);
    count(target(what, ratio(c[op][V_OURS1].median, c[op][V_FLOOR].median),
                 0.9, 1),
          &passed, &total);
  }
  struct {
    int op;
    double want;
  } seed_targets[] = {{OP_GET_EXISTS, 1.8},
                      {OP_GET_MISSING, 1.8},
                      {OP_CREATE_COLD, 1.5},
                      {OP_CREATE_MOUNT, 1.8}};
  for (size_t i = 0; i < sizeof seed_targets / sizeof *seed_targets; i++) {
    int op = seed_targets[i].op;
    snprintf(what, sizeof what, "%s: ours/seed, 1 thread", bench_op_names[op]);
    count(target(what, ratio(c[op][V_OURS1].median, c[op][V_SEED].median),
                 seed_targets[i].want, 1),
          &passed, &total);
  }
  for (int op = 0; op < OP_COUNT; op++) {
    long e = c[op][V_OURS1].errors + c[op][V_OURS4].errors;
    snprintf(what, sizeof what, "%s: %d threads / 1 thread, %ld errors",
             bench_op_names[op], threads, e);
    count(target(what, ratio(c[op][V_OURS4].median, c[op][V_OURS1].median),
                 1.3, e == 0),
          &passed, &total);
  }
  passed += limit("RSS growth per 100,000 gets", rss_growth_100k / KIB, 1024);
  passed += limit("RSS per open handle", (double)mem->rss_per_handle / KIB,
                  256);
  total += 2;
  printf("%d of %d targets met; %ld operation error(s)\n", passed, total,
         errors);
  return errors;
}
