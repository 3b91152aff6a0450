/* Shared by the libFuzzer targets in this directory. Each target defines
 * LLVMFuzzerTestOneInput and nothing else that is global; the same sources
 * are linked with libFuzzer (ALIEN_AR_FUZZ=ON, clang) or with replay.c (every
 * other build: replays the committed corpus and regressions under ctest).
 *
 * Targets never touch the network: every entry point they call either has no
 * I/O or refuses the input before any request is made. */
#ifndef ALIEN_AR_FUZZ_H
#define ALIEN_AR_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* An invariant of the code under test: a violation is a finding, so it
 * aborts (libFuzzer saves the input as a crash). */
#define FUZZ_CHECK(cond)                                                       \
  do {                                                                         \
    if(!(cond)) {                                                              \
      fprintf(stderr, "fuzz invariant violated: %s (%s:%d)\n", #cond,          \
              __FILE__, __LINE__);                                             \
      abort();                                                                 \
    }                                                                          \
  } while(0)

/* The input as a NUL-terminated string (what every parser here reads:
 * header values, JSON texts and names all arrive as C strings). Bytes after
 * an embedded NUL are invisible to the parsers, as they are in real use. */
static inline char *fuzz_cstr(const uint8_t *data, size_t size)
{
  char *s = malloc(size + 1);
  if(!s)
    abort();
  if(size)
    memcpy(s, data, size);
  s[size] = '\0';
  return s;
}

/* 1 when s[0..len) is valid UTF-8 (no overlongs, no surrogates, at most
 * U+10FFFF): what serde_json and every strict JSON reader demand. */
static inline int fuzz_utf8_ok(const char *s, size_t len)
{
  const unsigned char *p = (const unsigned char *)s;
  size_t i = 0;
  while(i < len) {
    unsigned char c = p[i];
    size_t n;
    unsigned int cp;
    if(c < 0x80) {
      i++;
      continue;
    }
    if(c >= 0xc2 && c <= 0xdf) {
      n = 2;
      cp = c & 0x1fu;
    }
    else if(c >= 0xe0 && c <= 0xef) {
      n = 3;
      cp = c & 0x0fu;
    }
    else if(c >= 0xf0 && c <= 0xf4) {
      n = 4;
      cp = c & 0x07u;
    }
    else
      return 0;
    if(i + n > len)
      return 0;
    for(size_t k = 1; k < n; k++) {
      if((p[i + k] & 0xc0) != 0x80)
        return 0;
      cp = (cp << 6) | (p[i + k] & 0x3fu);
    }
    if((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff))
       || (cp >= 0xd800 && cp <= 0xdfff))
      return 0;
    i += n;
  }
  return 1;
}

#endif
