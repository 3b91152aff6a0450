/* Registry error bodies: ar_oci_error_detail (what ends up in our error
 * messages) and ar_oci_error_code_is (how delete recognises UNSUPPORTED).
 * Input: a response body, as the transport hands it over (NUL-terminated,
 * with its length; it may contain NULs). */
#include "fuzz.h"

#include "oci/response.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  char *body = fuzz_cstr(data, size);
  char *detail = ar_oci_error_detail(body, size);
  FUZZ_CHECK(detail != NULL);
  /* Bounded, printable ASCII only: it is pasted into alien's error JSON. */
  size_t n = strlen(detail);
  FUZZ_CHECK(n < 64 + 2 + 200);
  for(size_t i = 0; i < n; i++)
    FUZZ_CHECK(detail[i] >= 0x20 && detail[i] < 0x7f);
  FUZZ_CHECK(size != 0 || n == 0);
  free(detail);

  int unsupported = ar_oci_error_code_is(body, "UNSUPPORTED");
  FUZZ_CHECK(unsupported == 0 || unsupported == 1);
  if(unsupported)
    FUZZ_CHECK(strstr(body, "UNSUPPORTED") || strstr(body, "\\u"));
  /* An empty code is spelled "" (or hides behind an escaped NUL). */
  FUZZ_CHECK(ar_oci_error_code_is(body, "") == 0 || strstr(body, "\"\"")
             || strstr(body, "\\u0000"));
  FUZZ_CHECK(ar_oci_error_code_is(NULL, "UNSUPPORTED") == 0);
  free(body);
  return 0;
}
