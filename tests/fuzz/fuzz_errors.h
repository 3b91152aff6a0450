/* The oracle for every error a target produces: alien's error JSON must be
 * one strict JSON document (what serde_json accepts: valid UTF-8, no raw
 * control characters), whatever bytes the input carried. */
#ifndef ALIEN_AR_FUZZ_ERRORS_H
#define ALIEN_AR_FUZZ_ERRORS_H

#include "fuzz.h"

#include "error/error.h"
#include "error/json_util.h"

/* Error messages and context are sanitised to valid UTF-8 by the error
 * model (they quote host input and cut long values short), so invalid
 * UTF-8 in error JSON is fatal. ALIEN_AR_FUZZ_STRICT_UTF8=0 relaxes it to a
 * once-per-run report, for bisecting. */
static inline int fuzz_strict_utf8(void)
{
  static int strict = -1;
  if(strict < 0) {
    const char *v = getenv("ALIEN_AR_FUZZ_STRICT_UTF8");
    strict = !(v && !strcmp(v, "0"));
  }
  return strict;
}

static inline void fuzz_check_error(const ar_error *e)
{
  static int noted;
  int utf8 = 1;
  for(const ar_error *c = e; c; c = c->source) {
    FUZZ_CHECK(c->code && c->message);
    utf8 &= fuzz_utf8_ok(c->message, strlen(c->message));
    utf8 &= !c->context_json
            || fuzz_utf8_ok(c->context_json, strlen(c->context_json));
  }
  if(!utf8 && fuzz_strict_utf8()) {
    fprintf(stderr, "error message is not valid UTF-8: %.2000s\n",
            e->message);
    abort();
  }
  if(!utf8 && !noted) {
    noted = 1;
    fprintf(stderr, "known issue (reported): an error message is not valid "
                    "UTF-8: %.300s\n",
            e->message);
  }
  char *json = ar_error_to_json(e);
  FUZZ_CHECK(json != NULL);
  if(!utf8) {
    /* Structure only: json-c without UTF-8 validation. */
    json_object *o = json_tokener_parse(json);
    if(!o) {
      fprintf(stderr, "error JSON does not parse: %.2000s\n", json);
      abort();
    }
    json_object_put(o);
    free(json);
    return;
  }
  json_object *o = NULL;
  const char *why = NULL;
  if(ar_json_parse_strict(json, &o, &why) != 0) {
    fprintf(stderr, "error JSON is not strict JSON (%s): %.2000s\n", why,
            json);
    abort();
  }
  json_object_put(o);
  free(json);
}

#endif
