#include "util/sha256.h"

#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <string.h>

int ar_sha256_digest(const void *data, size_t len,
                     char out[AR_DIGEST_LEN + 1])
{
  unsigned char raw[32];
  if(gnutls_hash_fast(GNUTLS_DIG_SHA256, data, len, raw) < 0)
    return -1;
  static const char hex[] = "0123456789abcdef";
  memcpy(out, "sha256:", 7);
  for(size_t i = 0; i < sizeof(raw); i++) {
    out[7 + 2 * i] = hex[raw[i] >> 4];
    out[8 + 2 * i] = hex[raw[i] & 15];
  }
  out[AR_DIGEST_LEN] = '\0';
  return 0;
}
