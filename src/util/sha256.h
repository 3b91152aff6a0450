/* SHA-256 digests in OCI form ("sha256:" + 64 lowercase hex), via GnuTLS. */
#ifndef AR_UTIL_SHA256_H
#define AR_UTIL_SHA256_H

#include <stddef.h>

#define AR_DIGEST_LEN (7 + 64)

/* Writes the digest of `data` into `out` (AR_DIGEST_LEN + 1 bytes).
 * Returns 0, or -1 when GnuTLS fails. */
int ar_sha256_digest(const void *data, size_t len,
                     char out[AR_DIGEST_LEN + 1]);

#endif
