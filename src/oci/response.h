/* Readers of what a registry sends back: error envelopes, tag lists and
 * Link headers. They see untrusted bytes, so each is bounded, never trusts
 * a type, and is a fuzz target. */
#ifndef AR_OCI_RESPONSE_H
#define AR_OCI_RESPONSE_H

#include <stddef.h>

#include "log/log.h"

/* "CODE: message" from an OCI error envelope ({"errors":[{...}]}), or the
 * start of a non-JSON body, as printable ASCII of bounded length; "" for
 * an empty body. NULL only when out of memory. */
char *ar_oci_error_detail(const char *body, size_t len);

/* 1 when the envelope's first error has code `want`. */
int ar_oci_error_code_is(const char *body, const char *want);

/* Appends the valid tags of one tags/list page ({"name":..,"tags":[..]},
 * where "tags" may be null) to *tags. Returns 0, -1 when the body is not a
 * tag list, -2 when out of memory. Malformed tags are skipped (logged). */
int ar_oci_parse_tags(const char *body, char ***tags, size_t *count,
                      const struct ar_log *log);

/* The target of a `Link: <url>; rel="next"` header, or NULL. */
char *ar_oci_link_next(const char *link);

#endif
