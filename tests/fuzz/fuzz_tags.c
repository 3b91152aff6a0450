/* Tag-list JSON (GET /v2/NAME/tags/list), one page or two pages appended to
 * the same list as pagination does. Every tag kept must be a valid tag:
 * they are put into URLs. Input: a body; a form feed (0x0c) splits it into
 * two pages. */
#include "fuzz.h"

#include "oci/names.h"
#include "oci/response.h"

static int log_lines;

static void on_log(void *user_data, int32_t level, const char *message)
{
  (void)user_data;
  (void)level;
  FUZZ_CHECK(message != NULL);
  log_lines++;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  char *body = fuzz_cstr(data, size);
  char *second = strchr(body, '\f');
  if(second)
    *second++ = '\0';
  struct ar_log log = { ALIEN_AR_LOG_TRACE, on_log, NULL };
  char **tags = NULL;
  size_t count = 0;
  int rc = ar_oci_parse_tags(body, &tags, &count, &log);
  FUZZ_CHECK(rc == 0 || rc == -1 || rc == -2);
  if(rc == 0 && second) {
    size_t before = count;
    rc = ar_oci_parse_tags(second, &tags, &count, &log);
    FUZZ_CHECK(rc == 0 || rc == -1 || rc == -2);
    FUZZ_CHECK(count >= before);
  }
  FUZZ_CHECK(count == 0 || tags != NULL);
  for(size_t i = 0; i < count; i++) {
    FUZZ_CHECK(tags[i] != NULL);
    FUZZ_CHECK(ar_oci_tag_valid(tags[i]));
    free(tags[i]);
  }
  free(tags);
  FUZZ_CHECK(ar_oci_parse_tags(NULL, &tags, &count, NULL) == -1);
  free(body);
  return 0;
}
