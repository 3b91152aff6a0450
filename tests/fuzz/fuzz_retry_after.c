/* Retry-After of a 429 or 503: ar_http_parse_retry_after. Oracles: the
 * result is -1 or a whole number of seconds in 0..3600 (never negative,
 * never a sleep longer than an hour), and it agrees with a reference
 * reading of delay-seconds written here independently (strtol's lenient
 * prefix of blanks and a sign included). Input: the header value. */
#include "fuzz.h"

#include <ctype.h>

#include "http/http.h"

static long reference(const char *v)
{
  const char *p = v;
  while(isspace((unsigned char)*p))
    p++;
  int neg = 0;
  if(*p == '+' || *p == '-')
    neg = *p++ == '-';
  if(!isdigit((unsigned char)*p))
    return -1;
  long secs = 0;
  for(; isdigit((unsigned char)*p); p++) {
    secs = secs * 10 + (*p - '0');
    if(secs > 3600)
      return -1;
  }
  if(*p != '\0' || (neg && secs != 0))
    return -1;
  return secs * 1000;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  char *value = fuzz_cstr(data, size);
  long ms = ar_http_parse_retry_after(value);
  FUZZ_CHECK(ms == -1 || (ms >= 0 && ms <= 3600L * 1000 && ms % 1000 == 0));
  long want = reference(value);
  if(ms != want) {
    fprintf(stderr, "Retry-After '%s': parsed %ld ms, reference %ld ms\n",
            value, ms, want);
    abort();
  }
  FUZZ_CHECK(ar_http_parse_retry_after(NULL) == -1);
  free(value);
  return 0;
}
