/* Upper-casing of UTF-8 text, close to Rust's str::to_uppercase for the
 * scripts binding names plausibly use: ASCII, Latin-1, Latin Extended-A,
 * Greek and Cyrillic (including "ß" -> "SS"). Other characters are copied
 * unchanged. Invalid UTF-8 is copied byte for byte. */
#ifndef AR_UTIL_UPPER_H
#define AR_UTIL_UPPER_H

/* Returns a malloc'd upper-cased copy, or NULL when out of memory. */
char *ar_utf8_upper(const char *s);

#endif
