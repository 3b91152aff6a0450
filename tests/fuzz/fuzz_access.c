/* Cross-account access JSON (add_/remove_cross_account_access):
 * ar_access_validate. Oracles: the verdict is NULL or INVALID_INPUT, the
 * error serialises to strict JSON, and an accepted document really is a
 * JSON object with a known platform. Input: the access JSON text. */
#include "fuzz_errors.h"

#include "core/access.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  char *text = fuzz_cstr(data, size);
  ar_error *e = ar_access_validate("add_cross_account_access", text);
  if(e) {
    FUZZ_CHECK(e->status == ALIEN_AR_ERR_INVALID_INPUT
               || e->status == ALIEN_AR_ERR_NO_MEMORY);
    fuzz_check_error(e);
    ar_error_free(e);
  }
  else {
    json_object *root = NULL, *platform = NULL;
    const char *why = NULL;
    FUZZ_CHECK(ar_json_parse_strict(text, &root, &why) == 0);
    FUZZ_CHECK(json_object_is_type(root, json_type_object));
    FUZZ_CHECK(json_object_object_get_ex(root, "platform", &platform));
    const char *p = json_object_get_string(platform);
    FUZZ_CHECK(!strcmp(p, "aws") || !strcmp(p, "gcp"));
    json_object_put(root);
  }
  free(text);
  return 0;
}
