/* Logging through the host's callback. The plugin has no other output. */
#ifndef AR_LOG_H
#define AR_LOG_H

#include <alien/artifact_registry.h>

struct ar_log {
  int32_t level; /* most verbose level delivered; 0 = off */
  void (*fn)(void *user_data, int32_t level, const char *message);
  void *user_data;
};

/* Copies the fields the host's struct actually has (by struct_size). */
void ar_log_init(struct ar_log *log, const struct alien_ar_host *host);
int ar_log_enabled(const struct ar_log *log, int32_t level);
void ar_log(const struct ar_log *log, int32_t level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#define AR_LOG_ERROR(l, ...) ar_log((l), ALIEN_AR_LOG_ERROR, __VA_ARGS__)
#define AR_LOG_WARN(l, ...) ar_log((l), ALIEN_AR_LOG_WARN, __VA_ARGS__)
#define AR_LOG_INFO(l, ...) ar_log((l), ALIEN_AR_LOG_INFO, __VA_ARGS__)
#define AR_LOG_DEBUG(l, ...) ar_log((l), ALIEN_AR_LOG_DEBUG, __VA_ARGS__)
#define AR_LOG_TRACE(l, ...) ar_log((l), ALIEN_AR_LOG_TRACE, __VA_ARGS__)

#endif
