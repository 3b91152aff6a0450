#include "util/str.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *ar_strndup(const char *s, size_t n)
{
  char *copy = malloc(n + 1);
  if(!copy)
    return NULL;
  memcpy(copy, s, n);
  copy[n] = '\0';
  return copy;
}

char *ar_strdup(const char *s)
{
  return s ? ar_strndup(s, strlen(s)) : NULL;
}

char *ar_vformat(const char *fmt, va_list ap)
{
  va_list again;
  va_copy(again, ap);
  int len = vsnprintf(NULL, 0, fmt, ap);
  char *out = NULL;
  if(len >= 0) {
    out = malloc((size_t)len + 1);
    if(out)
      vsnprintf(out, (size_t)len + 1, fmt, again);
  }
  va_end(again);
  return out;
}

char *ar_format(const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  char *out = ar_vformat(fmt, ap);
  va_end(ap);
  return out;
}

int ar_starts_with(const char *s, const char *prefix)
{
  return strncmp(s, prefix, strlen(prefix)) == 0;
}

void ar_wipe(void *p, size_t n)
{
  /* A volatile pointer keeps the stores from being optimised away. */
  volatile unsigned char *v = p;
  while(n--)
    *v++ = 0;
}

void ar_free_secret(char *s)
{
  if(!s)
    return;
  ar_wipe(s, strlen(s));
  free(s);
}
