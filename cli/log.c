#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <alien/artifact_registry.h>

static int32_t log_level;

static const char *const level_names[] = {
  NULL, "error", "warn", "info", "debug", "trace"
};

int32_t cli_log_init(const char **bad)
{
  const char *v = getenv("ALIEN_AR_LOG");
  int32_t i;

  *bad = NULL;
  log_level = 0;
  if(!v || !*v || !strcasecmp(v, "off") || !strcasecmp(v, "none"))
    return 0;
  for(i = ALIEN_AR_LOG_ERROR; i <= ALIEN_AR_LOG_TRACE; i++) {
    if(!strcasecmp(v, level_names[i])) {
      log_level = i;
      return i;
    }
  }
  *bad = v;
  return 0;
}

int32_t cli_log_level(void)
{
  return log_level;
}

void cli_log_sink(void *user_data, int32_t level, const char *message)
{
  const char *p;
  (void)user_data;

  if(level < ALIEN_AR_LOG_ERROR || level > ALIEN_AR_LOG_TRACE ||
     level > log_level || !message)
    return;
  /* One locked line per message, with line breaks flattened, so the error
   * JSON printed last really is the last line of stderr. */
  flockfile(stderr);
  fprintf(stderr, "alien-ar: [%s] ", level_names[level]);
  for(p = message; *p; p++)
    putc_unlocked((*p == '\n' || *p == '\r') ? ' ' : *p, stderr);
  putc_unlocked('\n', stderr);
  funlockfile(stderr);
}

void cli_log(int32_t level, const char *fmt, ...)
{
  char buf[1024];
  va_list ap;

  if(level > log_level)
    return;
  va_start(ap, fmt);
  vsnprintf(buf, sizeof(buf), fmt, ap);
  va_end(ap);
  cli_log_sink(NULL, level, buf);
}
