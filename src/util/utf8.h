/* UTF-8 validity, shared by the strict JSON reader and the error model:
 * everything the plugin hands a host in an error must be valid UTF-8, even
 * when it quotes invalid host input or cuts a long value short. */
#ifndef AR_UTIL_UTF8_H
#define AR_UTIL_UTF8_H

/* Length of the valid multi-byte sequence at `p` (lead byte >= 0x80), or 0
 * (overlong forms, surrogates and code points above U+10FFFF are invalid). */
int ar_utf8_seq_len(const unsigned char *p);

/* A malloc'd copy of `s` with every invalid byte replaced by U+FFFD, or
 * NULL when out of memory. */
char *ar_utf8_sanitize(const char *s);

#endif
