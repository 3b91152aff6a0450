/*
 * Small helpers every piece of test support needs: time, files, paths and
 * a libcurl body sink. Failures that would make a test meaningless
 * (a path that does not fit, out of memory) are Criterion assertions.
 */
#ifndef ALIEN_AR_TEST_UTIL_H
#define ALIEN_AR_TEST_UTIL_H

#include <stddef.h>

/* Monotonic seconds. */
double ar_test_now(void);

/* Sleeps ms milliseconds, resuming after signals. */
void ar_test_sleep_ms(long ms);

/* out = dir "/" name; asserts it fits in size. */
void ar_test_join_path(char *out, size_t size, const char *dir,
                       const char *name);

/* Writes len bytes to path (created or truncated). 0 or -1. */
int ar_test_write_file(const char *path, const void *data, size_t len);

/* The whole file, NUL-terminated (malloc'd; an empty string when it cannot
 * be opened, never NULL). *len_out gets the length when non-NULL. */
char *ar_test_read_file(const char *path, size_t *len_out);

/* Removes dir and everything under it (no-op for ""). */
void ar_test_rm_rf(const char *dir);

/* Closes every descriptor from `first` up (in a child before exec). */
void ar_test_close_fds_from(int first);

/* A kB field of /proc/self/status ("VmRSS", "VmHWM", ...); -1 if absent. */
long ar_test_proc_status_kib(const char *field);

/* A CURLOPT_WRITEFUNCTION that throws the body away. */
size_t ar_test_discard_body(char *p, size_t size, size_t n, void *ud);

#endif
