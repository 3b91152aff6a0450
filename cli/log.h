/* Diagnostics on stderr, filtered by ALIEN_AR_LOG; also the host log
 * callback handed to the plugin. */
#ifndef ALIEN_AR_CLI_LOG_H
#define ALIEN_AR_CLI_LOG_H

#include <stdint.h>

/* Reads ALIEN_AR_LOG. Returns the level (0 = off); sets *bad to the value
 * when it names no level, NULL otherwise. */
int32_t cli_log_init(const char **bad);

int32_t cli_log_level(void);

/* Host log callback: one line "alien-ar: [LEVEL] message" on stderr. */
void cli_log_sink(void *user_data, int32_t level, const char *message);

void cli_log(int32_t level, const char *fmt, ...)
  __attribute__((format(printf, 2, 3)));

#endif
