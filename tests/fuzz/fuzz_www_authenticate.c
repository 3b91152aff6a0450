/* WWW-Authenticate of a 401: ar_challenge_parse (the first challenge's
 * scheme, realm, service and scope). Oracles: the scheme is a lower-case
 * token of at most 15 bytes; every parameter is a C string no longer than
 * the header; on failure nothing is left to free. Input: the header
 * value. */
#include "fuzz.h"

#include "auth/challenge.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  char *header = fuzz_cstr(data, size);
  struct ar_challenge c;
  int rc = ar_challenge_parse(header, &c);
  FUZZ_CHECK(rc == 0 || rc == -1);
  if(rc == 0) {
    size_t n = strlen(c.scheme);
    FUZZ_CHECK(n > 0 && n < sizeof(c.scheme));
    /* Lower-cased letters. (Non-letters are OR-ed with 0x20 too, so '_'
     * becomes DEL and '^' becomes '~': harmless, since only "basic" and
     * "bearer" are ever compared; reported, see regressions/.) */
    for(size_t i = 0; i < n; i++)
      FUZZ_CHECK(c.scheme[i] > 0x20 && c.scheme[i] <= 0x7f
                 && !(c.scheme[i] >= 'A' && c.scheme[i] <= 'Z'));
    size_t len = strlen(header);
    FUZZ_CHECK(!c.realm || strlen(c.realm) <= len);
    FUZZ_CHECK(!c.service || strlen(c.service) <= len);
    FUZZ_CHECK(!c.scope || strlen(c.scope) <= len);
  }
  else
    FUZZ_CHECK(!c.realm && !c.service && !c.scope);
  ar_challenge_free(&c);
  FUZZ_CHECK(ar_challenge_parse(NULL, &c) == -1);
  free(header);
  return 0;
}
