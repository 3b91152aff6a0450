/* Monotonic time and sleeping, shared by the benchmark's parts. */
#ifndef ALIEN_AR_BENCH_CLOCK_H
#define ALIEN_AR_BENCH_CLOCK_H

#include <errno.h>
#include <time.h>

static inline double bench_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static inline void bench_sleep_ms(long ms) {
  struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
  while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
  }
}

#endif
