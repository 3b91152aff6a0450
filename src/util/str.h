/* Small string helpers shared by the core: allocation-checked copies and
 * formatting. Every function returns NULL when memory runs out. */
#ifndef AR_UTIL_STR_H
#define AR_UTIL_STR_H

#include <stdarg.h>
#include <stddef.h>

char *ar_strdup(const char *s);
char *ar_strndup(const char *s, size_t n);
char *ar_format(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *ar_vformat(const char *fmt, va_list ap)
    __attribute__((format(printf, 1, 0)));
int ar_starts_with(const char *s, const char *prefix);
/* Overwrites a secret before it is freed, in a way the compiler keeps. */
void ar_wipe(void *p, size_t n);
void ar_free_secret(char *s);

#endif
