#include "util/utf8.h"

#include <stdlib.h>
#include <string.h>

int ar_utf8_seq_len(const unsigned char *p)
{
  if(p[0] >= 0xc2 && p[0] <= 0xdf)
    return (p[1] & 0xc0) == 0x80 ? 2 : 0;
  if(p[0] >= 0xe0 && p[0] <= 0xef) {
    unsigned char lo = p[0] == 0xe0 ? 0xa0 : 0x80;
    unsigned char hi = p[0] == 0xed ? 0x9f : 0xbf; /* no surrogates */
    return p[1] >= lo && p[1] <= hi && (p[2] & 0xc0) == 0x80 ? 3 : 0;
  }
  if(p[0] >= 0xf0 && p[0] <= 0xf4) {
    unsigned char lo = p[0] == 0xf0 ? 0x90 : 0x80;
    unsigned char hi = p[0] == 0xf4 ? 0x8f : 0xbf; /* <= U+10FFFF */
    return p[1] >= lo && p[1] <= hi && (p[2] & 0xc0) == 0x80
                   && (p[3] & 0xc0) == 0x80
               ? 4
               : 0;
  }
  return 0;
}

char *ar_utf8_sanitize(const char *s)
{
  size_t n = strlen(s);
  /* Each invalid byte (1) becomes U+FFFD (3 bytes). */
  char *out = malloc(3 * n + 1);
  if(!out)
    return NULL;
  size_t o = 0;
  const unsigned char *p = (const unsigned char *)s;
  while(*p) {
    int len = *p < 0x80 ? 1 : ar_utf8_seq_len(p);
    if(len) {
      memcpy(out + o, p, (size_t)len);
      o += (size_t)len;
      p += len;
    }
    else {
      memcpy(out + o, "\xef\xbf\xbd", 3);
      o += 3;
      p++;
    }
  }
  out[o] = '\0';
  return out;
}
