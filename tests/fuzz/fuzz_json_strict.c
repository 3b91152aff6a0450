/* The strict JSON checker every binding config and access document goes
 * through (ar_json_parse_strict = ar_json_syntax_ok + json-c). Oracles:
 * the two layers agree (a text the syntax check accepts, json-c parses);
 * whatever is accepted is valid UTF-8; the parsed value serialises to a text
 * that is accepted again and parses to an equal value. Input: a JSON
 * text. */
#include "fuzz.h"

#include "error/json_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  char *text = fuzz_cstr(data, size);
  int syntax = ar_json_syntax_ok(text);
  json_object *v = NULL;
  const char *why = NULL;
  int rc = ar_json_parse_strict(text, &v, &why);
  FUZZ_CHECK(rc == 0 || rc == -1);
  if(rc != 0) {
    FUZZ_CHECK(why != NULL && v == NULL);
    if(syntax) {
      /* The syntax check said yes, json-c said no: the layers disagree. */
      fprintf(stderr, "ar_json_syntax_ok accepted a text json-c refused "
                      "(%s): %.500s\n",
              why, text);
      abort();
    }
  }
  else {
    FUZZ_CHECK(syntax);
    FUZZ_CHECK(fuzz_utf8_ok(text, strlen(text)));
    const char *again = json_object_to_json_string_ext(
        v, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
    FUZZ_CHECK(again != NULL);
    json_object *w = NULL;
    if(ar_json_parse_strict(again, &w, &why) != 0) {
      fprintf(stderr, "re-serialised value refused (%s):\n in:  %.500s\n"
                      " out: %.500s\n",
              why, text, again);
      abort();
    }
    FUZZ_CHECK(json_object_equal(v, w));
    json_object_put(w);
  }
  json_object_put(v);
  free(text);
  return 0;
}
