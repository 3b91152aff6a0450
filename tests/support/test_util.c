#define _GNU_SOURCE
#include "test_util.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

double ar_test_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void ar_test_sleep_ms(long ms) {
  struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
  while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
  }
}

void ar_test_join_path(char *out, size_t size, const char *dir,
                       const char *name) {
  int n = snprintf(out, size, "%s/%s", dir, name);
  cr_assert(n > 0 && (size_t)n < size, "path too long: %s/%s", dir, name);
}

int ar_test_write_file(const char *path, const void *data, size_t len) {
  FILE *f = fopen(path, "wb");
  if (!f)
    return -1;
  size_t n = fwrite(data, 1, len, f);
  int rc = fclose(f);
  return (n == len && rc == 0) ? 0 : -1;
}

char *ar_test_read_file(const char *path, size_t *len_out) {
  FILE *f = fopen(path, "rb");
  size_t cap = 4096, len = 0;
  char *buf = malloc(cap);
  cr_assert_not_null(buf);
  if (f) {
    size_t n;
    while ((n = fread(buf + len, 1, cap - len - 1, f)) > 0) {
      len += n;
      if (cap - len - 1 == 0) {
        cap *= 2;
        buf = realloc(buf, cap);
        cr_assert_not_null(buf);
      }
    }
    fclose(f);
  }
  buf[len] = '\0';
  if (len_out)
    *len_out = len;
  return buf;
}

static int rm_entry(const char *path, const struct stat *sb, int type,
                    struct FTW *ftw) {
  (void)sb;
  (void)type;
  (void)ftw;
  remove(path);
  return 0;
}

void ar_test_rm_rf(const char *dir) {
  if (dir && dir[0])
    nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

void ar_test_close_fds_from(int first) {
  long max = sysconf(_SC_OPEN_MAX);
  if (max < 0 || max > 4096)
    max = 4096;
  for (int fd = first; fd < (int)max; fd++)
    close(fd);
}

long ar_test_proc_status_kib(const char *field) {
  FILE *f = fopen("/proc/self/status", "r");
  cr_assert_not_null(f);
  char line[256];
  size_t n = strlen(field);
  long kib = -1;
  while (fgets(line, sizeof line, f))
    if (!strncmp(line, field, n) && line[n] == ':')
      kib = strtol(line + n + 1, NULL, 10);
  fclose(f);
  return kib;
}

size_t ar_test_discard_body(char *p, size_t size, size_t n, void *ud) {
  (void)p;
  (void)ud;
  return size * n;
}
