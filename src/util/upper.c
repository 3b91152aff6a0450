#include "util/upper.h"

#include <stdlib.h>
#include <string.h>

/* Upper case of one code point in the covered two-byte ranges; 0 for
 * "unchanged". */
static unsigned int upper2(unsigned int cp)
{
  if(cp >= 0xe0 && cp <= 0xfe && cp != 0xf7)
    return cp - 0x20; /* Latin-1 */
  if(cp == 0xff)
    return 0x178;
  if(cp == 0xb5)
    return 0x39c; /* micro sign -> Greek capital mu */
  if(cp >= 0x100 && cp <= 0x17f && cp != 0x130 && cp != 0x131 && cp != 0x138
     && cp != 0x149 && cp != 0x17f) {
    /* Latin Extended-A pairs capital/small, on even code points up to
     * U+0137 and from U+014A, on odd ones in between. */
    int small_is_odd = cp <= 0x137 || cp >= 0x14a;
    if(cp == 0x17a || cp == 0x17c || cp == 0x17e)
      return cp - 1;
    if(cp >= 0x179)
      return 0;
    return ((cp & 1) == (unsigned int)small_is_odd) ? cp - 1 : 0;
  }
  if(cp == 0x3c2)
    return 0x3a3; /* final sigma */
  switch(cp) { /* Greek with tonos or dialytika */
  case 0x3ac: return 0x386;
  case 0x3ad: return 0x388;
  case 0x3ae: return 0x389;
  case 0x3af: return 0x38a;
  case 0x3cc: return 0x38c;
  case 0x3cd: return 0x38e;
  case 0x3ce: return 0x38f;
  case 0x3ca: return 0x3aa;
  case 0x3cb: return 0x3ab;
  default: break;
  }
  if(cp >= 0x3b1 && cp <= 0x3c9)
    return cp - 0x20; /* Greek */
  if(cp >= 0x430 && cp <= 0x44f)
    return cp - 0x20; /* Cyrillic */
  if(cp >= 0x450 && cp <= 0x45f)
    return cp - 0x50;
  return 0;
}

char *ar_utf8_upper(const char *s)
{
  size_t n = strlen(s);
  /* "ß" (2 bytes) becomes "SS" (2 bytes); nothing else grows. */
  char *out = malloc(n + 1);
  if(!out)
    return NULL;
  size_t o = 0;
  for(size_t i = 0; i < n;) {
    unsigned char c = (unsigned char)s[i];
    if(c < 0x80) {
      out[o++] = (c >= 'a' && c <= 'z') ? (char)(c - 32) : (char)c;
      i++;
      continue;
    }
    unsigned char c2 = (unsigned char)s[i + 1];
    if((c & 0xe0) == 0xc0 && (c2 & 0xc0) == 0x80) {
      unsigned int cp = ((c & 0x1fu) << 6) | (c2 & 0x3fu);
      unsigned int up = upper2(cp);
      if(cp == 0xdf) {
        out[o++] = 'S';
        out[o++] = 'S';
      }
      else if(cp == 0x131 || cp == 0x17f) {
        /* dotless i and long s upper-case to ASCII I and S */
        out[o++] = cp == 0x131 ? 'I' : 'S';
      }
      else if(up) {
        out[o++] = (char)(0xc0 | (up >> 6));
        out[o++] = (char)(0x80 | (up & 0x3f));
      }
      else {
        out[o++] = (char)c;
        out[o++] = (char)c2;
      }
      i += 2;
      continue;
    }
    out[o++] = (char)c;
    i++;
  }
  out[o] = '\0';
  return out;
}
