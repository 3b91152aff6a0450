/* Docker-Content-Digest: ar_oci_digest_valid decides whether a digest the
 * registry sent is put into a DELETE URL. Oracle: the image-spec digest
 * grammar as a POSIX regular expression (independent of the hand-written
 * scanner), plus the 1024-byte cap on the encoded part. Input: the header
 * value. */
#include "fuzz.h"

#include <regex.h>

#include "oci/names.h"

static regex_t grammar;
static int compiled;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  if(!compiled) {
    FUZZ_CHECK(regcomp(&grammar,
                       "^[a-z0-9]+([+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$",
                       REG_EXTENDED | REG_NOSUB)
               == 0);
    compiled = 1;
  }
  char *digest = fuzz_cstr(data, size);
  int valid = ar_oci_digest_valid(digest);
  FUZZ_CHECK(valid == 0 || valid == 1);
  const char *colon = strchr(digest, ':');
  int want = regexec(&grammar, digest, 0, NULL, 0) == 0 && colon
             && strlen(colon + 1) <= 1024;
  if(valid != want) {
    fprintf(stderr, "digest '%s': scanner says %d, grammar says %d\n",
            digest, valid, want);
    abort();
  }
  /* Safe to paste into a URL path: nothing to escape. */
  if(valid)
    for(const char *p = digest; *p; p++)
      FUZZ_CHECK(!strchr("/?#% \t\r\n\"<>\\", *p) && *p > 0x20 && *p < 0x7f);
  free(digest);
  return 0;
}
