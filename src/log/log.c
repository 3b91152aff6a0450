#include "log/log.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "util/str.h"

/* True when the host's struct is large enough to contain `field`. */
#define HOST_HAS(host, field)                                                 \
  ((host)->struct_size >= offsetof(struct alien_ar_host, field)              \
                             + sizeof((host)->field))

void ar_log_init(struct ar_log *log, const struct alien_ar_host *host)
{
  memset(log, 0, sizeof(*log));
  if(!host || !HOST_HAS(host, user_data))
    return;
  log->level = host->log_level;
  log->fn = host->log;
  log->user_data = host->user_data;
}

int ar_log_enabled(const struct ar_log *log, int32_t level)
{
  return log && log->fn && level <= log->level;
}

void ar_log(const struct ar_log *log, int32_t level, const char *fmt, ...)
{
  if(!ar_log_enabled(log, level))
    return;
  va_list ap;
  va_start(ap, fmt);
  char *line = ar_vformat(fmt, ap);
  va_end(ap);
  /* A line that cannot be formatted for lack of memory is dropped. */
  if(line)
    log->fn(log->user_data, level, line);
  free(line);
}
