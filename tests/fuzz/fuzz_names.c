/* Repository names, tags and binding names: ar_oci_name_problem and
 * ar_oci_tag_valid decide what is ever put into a URL; ar_binding_env_var
 * names the env var in config errors. Oracles: the distribution grammars as
 * POSIX regular expressions (independent of the hand-written scanners),
 * the 255-byte name cap, and an env var name that stays valid UTF-8 when
 * the binding name is. Input: the name. */
#include "fuzz.h"

#include <regex.h>

#include "error/error.h"
#include "oci/names.h"

static regex_t name_re, tag_re;
static int compiled;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  if(!compiled) {
    FUZZ_CHECK(regcomp(&name_re,
                       "^[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*"
                       "(/[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*)*$",
                       REG_EXTENDED | REG_NOSUB)
               == 0);
    FUZZ_CHECK(regcomp(&tag_re, "^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}$",
                       REG_EXTENDED | REG_NOSUB)
               == 0);
    compiled = 1;
  }
  char *s = fuzz_cstr(data, size);
  size_t n = strlen(s);

  const char *why = ar_oci_name_problem(s);
  int want_name = n <= AR_OCI_NAME_MAX && regexec(&name_re, s, 0, NULL, 0) == 0;
  if((why == NULL) != want_name) {
    fprintf(stderr, "name '%s': scanner says %s, grammar says %s\n", s,
            why ? why : "valid", want_name ? "valid" : "invalid");
    abort();
  }

  int tag = ar_oci_tag_valid(s);
  int want_tag = regexec(&tag_re, s, 0, NULL, 0) == 0;
  if(tag != want_tag) {
    fprintf(stderr, "tag '%s': scanner says %d, grammar says %d\n", s, tag,
                    want_tag);
    abort();
  }

  char *env = ar_binding_env_var(s);
  FUZZ_CHECK(env != NULL);
  size_t m = strlen(env);
  FUZZ_CHECK(m >= 14 && !strncmp(env, "ALIEN_", 6)
             && !strcmp(env + m - 8, "_BINDING"));
  FUZZ_CHECK(m <= 14 + 3 * n);
  if(fuzz_utf8_ok(s, n))
    FUZZ_CHECK(fuzz_utf8_ok(env, m));
  free(env);
  free(s);
  return 0;
}
