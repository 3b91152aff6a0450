/* OCI distribution grammars (oci/names.h): repository names, tags and
 * digests, checked before any of them is put into a URL. */
#include <criterion/criterion.h>
#include <string.h>

#include "oci/names.h"

#define COMPONENT_MSG                                                          \
  "each path component must be lowercase letters and digits, separated by " \
  "'.', '_', '__' or '-'"

/* Fills buf with n copies of c (plus NUL); buf must hold n + 1 bytes. */
static char *repeat(char *buf, char c, size_t n)
{
  memset(buf, c, n);
  buf[n] = '\0';
  return buf;
}

static void assert_name_valid(const char *name)
{
  const char *why = ar_oci_name_problem(name);
  cr_assert_null(why, "expected '%s' to be a valid name, got: %s", name,
                 why ? why : "");
}

static void assert_name_component_error(const char *name)
{
  const char *why = ar_oci_name_problem(name);
  cr_assert_not_null(why, "expected '%s' to be rejected", name);
  cr_assert_str_eq(why, COMPONENT_MSG, "name '%s'", name);
}

Test(names, single_component_is_valid)
{
  assert_name_valid("one");
  assert_name_valid("0");
  assert_name_valid("a1b2");
}

Test(names, multi_segment_names_are_valid)
{
  assert_name_valid("two/seg");
  assert_name_valid("a/b/c/d/e");
  assert_name_valid("test-alien-artifact-registry/my-app");
  assert_name_valid("artifacts/default");
}

Test(names, separators_inside_a_component_are_valid)
{
  assert_name_valid("with_under");
  assert_name_valid("with__double");
  assert_name_valid("dot.name");
  assert_name_valid("dash-name");
  assert_name_valid("a--b");
  assert_name_valid("a---------b");
  assert_name_valid("a.b_c__d-e--f");
  assert_name_valid("x.y/z__w/q-r");
}

Test(names, a_255_character_name_is_valid)
{
  char buf[300];
  assert_name_valid(repeat(buf, 'a', 255));
  /* 255 with slashes: "a/a/.../a" (128 a's, 127 slashes) */
  for(size_t i = 0; i < 255; i++)
    buf[i] = (i % 2) ? '/' : 'a';
  buf[255] = '\0';
  cr_assert_eq(strlen(buf), 255);
  assert_name_valid(buf);
}

Test(names, empty_name_is_rejected)
{
  const char *why = ar_oci_name_problem("");
  cr_assert_not_null(why);
  cr_assert_str_eq(why, "the repository name is empty");
}

Test(names, a_256_character_name_is_rejected_for_its_length)
{
  char buf[300];
  const char *why = ar_oci_name_problem(repeat(buf, 'a', 256));
  cr_assert_not_null(why);
  cr_assert_str_eq(why, "the repository name is longer than 255 characters");
  for(size_t i = 0; i < 257; i++)
    buf[i] = (i % 2) ? '/' : 'a';
  buf[257] = '\0';
  why = ar_oci_name_problem(buf);
  cr_assert_not_null(why);
  cr_assert_str_eq(why, "the repository name is longer than 255 characters");
}

Test(names, uppercase_is_rejected)
{
  assert_name_component_error("Upper");
  assert_name_component_error("upPer");
  assert_name_component_error("a/B");
}

Test(names, three_underscores_are_rejected)
{
  assert_name_component_error("with___triple");
  assert_name_component_error("a_");
  assert_name_component_error("_a");
}

Test(names, leading_or_trailing_separators_are_rejected)
{
  assert_name_component_error("-lead");
  assert_name_component_error("trail-");
  assert_name_component_error(".a");
  assert_name_component_error("a.");
  assert_name_component_error("a/b-");
}

Test(names, mixed_or_doubled_separators_are_rejected)
{
  assert_name_component_error("a..b");
  assert_name_component_error("a.-b");
  assert_name_component_error("a-_b");
  assert_name_component_error("a_.b");
  assert_name_component_error("a._b");
}

Test(names, characters_outside_the_grammar_are_rejected)
{
  assert_name_component_error("a b");
  assert_name_component_error("a!");
  assert_name_component_error("a:b");
  assert_name_component_error("a@b");
  assert_name_component_error("a?b");
  assert_name_component_error("a%2fb");
  assert_name_component_error("a\tb");
  assert_name_component_error("\xc3\xbcmlaut"); /* "ümlaut" in UTF-8 */
  assert_name_component_error("um\xc3\xbc");
}

Test(names, empty_path_components_are_rejected)
{
  assert_name_component_error("a//b");
  assert_name_component_error("/a");
  assert_name_component_error("a/");
  assert_name_component_error("/");
  assert_name_component_error("a/../b");
}

Test(tags, ordinary_tags_are_valid)
{
  cr_assert_eq(ar_oci_tag_valid("latest"), 1);
  cr_assert_eq(ar_oci_tag_valid("v1.0.0-rc_1"), 1);
  cr_assert_eq(ar_oci_tag_valid("_underscore_first"), 1);
  cr_assert_eq(ar_oci_tag_valid("UPPER"), 1);
  cr_assert_eq(ar_oci_tag_valid("0"), 1);
}

Test(tags, length_limit_is_128)
{
  char buf[200];
  cr_assert_eq(ar_oci_tag_valid(repeat(buf, 'a', 128)), 1);
  cr_assert_eq(ar_oci_tag_valid(repeat(buf, 'a', 129)), 0);
  cr_assert_eq(ar_oci_tag_valid(""), 0);
}

Test(tags, leading_dot_or_dash_is_rejected)
{
  cr_assert_eq(ar_oci_tag_valid(".tag"), 0);
  cr_assert_eq(ar_oci_tag_valid("-tag"), 0);
  cr_assert_eq(ar_oci_tag_valid("t.a-g"), 1);
}

Test(tags, characters_outside_the_grammar_are_rejected)
{
  cr_assert_eq(ar_oci_tag_valid("bad!tag"), 0);
  cr_assert_eq(ar_oci_tag_valid("a/b"), 0);
  cr_assert_eq(ar_oci_tag_valid("a:b"), 0);
  cr_assert_eq(ar_oci_tag_valid("a b"), 0);
  cr_assert_eq(ar_oci_tag_valid("a?b"), 0);
  cr_assert_eq(ar_oci_tag_valid("t\xc3\xbc"), 0);
}

#define HEX64 "7a19147749ce097f32b13072bccba494b5e717d4f23fbde50f7514059e109ad1"

Test(digests, sha256_digest_is_valid)
{
  cr_assert_eq(ar_oci_digest_valid("sha256:" HEX64), 1);
  /* other algorithms and encodings of the image-spec grammar */
  cr_assert_eq(ar_oci_digest_valid("sha512:abcDEF0123=_-"), 1);
  cr_assert_eq(ar_oci_digest_valid("sha256+b64u:LCa0a2j_xo_5m0U8HTBBNBNCLXBkg7-"
                                   "g-YpeiGJm564"),
               1);
  cr_assert_eq(ar_oci_digest_valid("multihash+base58:QmRZxt2b1FVZPNqd8hsiykDL3"
                                   "TdBDeTSPX9Kv46HmX4Gx8"),
               1);
}

Test(digests, malformed_digests_are_rejected)
{
  cr_assert_eq(ar_oci_digest_valid("sha256:"), 0);
  cr_assert_eq(ar_oci_digest_valid(":abc"), 0);
  cr_assert_eq(ar_oci_digest_valid("SHA256:ab"), 0);
  cr_assert_eq(ar_oci_digest_valid("sha256"), 0);
  cr_assert_eq(ar_oci_digest_valid(""), 0);
  cr_assert_eq(ar_oci_digest_valid("sha256+:ab"), 0);
  cr_assert_eq(ar_oci_digest_valid("sha256::ab"), 0);
}

Test(digests, url_unsafe_characters_are_rejected)
{
  cr_assert_eq(ar_oci_digest_valid("sha256:ab/c"), 0);
  cr_assert_eq(ar_oci_digest_valid("sha256:ab?x"), 0);
  cr_assert_eq(ar_oci_digest_valid("sha256:ab#x"), 0);
  cr_assert_eq(ar_oci_digest_valid("sha256:ab%2f"), 0);
  cr_assert_eq(ar_oci_digest_valid("sha256:ab cd"), 0);
  cr_assert_eq(ar_oci_digest_valid("sha256:ab&x=1"), 0);
  cr_assert_eq(ar_oci_digest_valid("sha256:" HEX64 "\n"), 0);
}

Test(digests, encoded_part_is_bounded)
{
  char buf[1100];
  memcpy(buf, "sha256:", 7);
  repeat(buf + 7, 'a', 1024);
  cr_assert_eq(ar_oci_digest_valid(buf), 1);
  repeat(buf + 7, 'a', 1025);
  cr_assert_eq(ar_oci_digest_valid(buf), 0);
}
