/* OCI distribution-spec grammars, checked before a name, tag or digest is
 * ever put into a URL. */
#ifndef AR_OCI_NAMES_H
#define AR_OCI_NAMES_H

#include <stddef.h>

/* Longest repository name distribution accepts (longer ones get a 500). */
#define AR_OCI_NAME_MAX 255

/* NULL when `name` matches
 * [a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(\/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*
 * and is at most AR_OCI_NAME_MAX bytes; otherwise why not. */
const char *ar_oci_name_problem(const char *name);
/* 1 for [a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}. */
int ar_oci_tag_valid(const char *tag);
/* 1 for algorithm:encoded per the image spec digest grammar (all
 * characters URL-safe). */
int ar_oci_digest_valid(const char *digest);

#endif
