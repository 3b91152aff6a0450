#include <criterion/criterion.h>
#include <string.h>

#include "oci/marker.h"
#include "util/sha256.h"

Test(marker, config_bytes_hash_to_the_documented_digest)
{
  char digest[AR_DIGEST_LEN + 1];
  cr_assert_eq(ar_marker_config_len, 90);
  cr_assert_eq(ar_sha256_digest(ar_marker_config, ar_marker_config_len,
                                digest), 0);
  cr_assert_str_eq(digest, ar_marker_config_digest);
}

Test(marker, manifest_bytes_hash_to_the_documented_digest)
{
  char digest[AR_DIGEST_LEN + 1];
  cr_assert_eq(ar_marker_manifest_len, 318);
  cr_assert_eq(ar_sha256_digest(ar_marker_manifest, ar_marker_manifest_len,
                                digest), 0);
  cr_assert_str_eq(digest, ar_marker_manifest_digest);
}

Test(marker, manifest_names_the_config_and_the_alien_annotation)
{
  cr_assert_not_null(strstr(ar_marker_manifest, ar_marker_config_digest));
  cr_assert_not_null(strstr(ar_marker_manifest,
                            "\"dev.alien.marker\":\"empty-repository-"
                            "created-by-alien\""));
  cr_assert_not_null(strstr(ar_marker_manifest, "\"layers\":[]"));
}
