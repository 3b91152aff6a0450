/* The printed table, the memory lines and the PASS/MISS target list. */
#ifndef ALIEN_AR_BENCH_REPORT_H
#define ALIEN_AR_BENCH_REPORT_H

#include "ops.h"

enum { V_OURS1, V_OURS4, V_FLOOR, V_SEED, V_COUNT };

struct bench_cell {
  double median; /* ops/s, median over rounds; < 0 when not measured */
  long errors;   /* summed over rounds */
};

struct bench_memory {
  long gets;            /* gets in the growth run */
  long rss_growth;      /* bytes */
  long heap_growth;     /* bytes */
  int handles;          /* handles opened for the per-handle cost */
  long rss_per_handle;  /* bytes, open only */
  long heap_per_handle;
  long rss_per_used_handle; /* bytes, open + one get each */
};

/* Prints everything; returns the number of operation errors (ours and the
 * baselines), which is what decides the exit status. */
long bench_report(struct bench_cell cells[OP_COUNT][V_COUNT], int threads,
                  const struct bench_memory *mem);

#endif
