/* Small filesystem helpers for the registry state directory. Each returns
 * 0 (or a malloc()ed result) on success and -1 (or NULL) with errno set on
 * failure. */
#ifndef ALIEN_AR_CLI_FSUTIL_H
#define ALIEN_AR_CLI_FSUTIL_H

#include <stddef.h>
#include <sys/types.h>

/* "a/b", malloc()ed. */
char *cli_path_join(const char *a, const char *b);

/* `path` made absolute against the working directory (not resolved). */
char *cli_path_absolute(const char *path);

/* mkdir -p with `mode` for the directories it creates. */
int cli_mkdir_p(const char *path, mode_t mode);

/* rm -rf: never follows symbolic links; a missing path is success. */
int cli_rm_rf(const char *path);

/* Replaces `path` atomically (a temporary file renamed over it). */
int cli_write_file(const char *path, const char *data, size_t len,
                   mode_t mode);

/* The first `max` bytes of a file, NUL-terminated; *len (if non-NULL)
 * receives their number. */
char *cli_read_file(const char *path, size_t max, size_t *len);

/* unlink() that treats a missing file as success. */
int cli_remove_file(const char *path);

/* nanosleep for `ms` milliseconds, resumed after signals. */
void cli_sleep_ms(long ms);

/* CLOCK_MONOTONIC in milliseconds. */
long long cli_now_ms(void);

#endif
