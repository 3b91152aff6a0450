/* Link of a paginated tag list: ar_oci_link_next. Oracles: a target is only
 * returned for a rel="next" link, is the text between the first '<' and
 * the following '>', and contains neither. The target then goes through
 * ar_http_resolve_location (fuzz_location) before any request. Input: the
 * header value. */
#include "fuzz.h"

#include "oci/response.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  char *link = fuzz_cstr(data, size);
  char *next = ar_oci_link_next(link);
  if(next) {
    FUZZ_CHECK(strstr(link, "rel=\"next\"") != NULL);
    const char *open = strchr(link, '<');
    FUZZ_CHECK(open != NULL);
    size_t n = strlen(next);
    FUZZ_CHECK(!strncmp(open + 1, next, n) && open[1 + n] == '>');
    FUZZ_CHECK(!strchr(next, '>'));
    free(next);
  }
  FUZZ_CHECK(ar_oci_link_next(NULL) == NULL);
  free(link);
  return 0;
}
