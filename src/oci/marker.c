#include "oci/marker.h"

/* Key order as serde_json with preserve_order emits alien's json! macro. */
#define CONFIG                                                                 \
  "{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":"        \
  "\"layers\",\"diff_ids\":[]},\"config\":{}}"
#define CONFIG_DIGEST                                                          \
  "sha256:7a19147749ce097f32b13072bccba494b5e717d4f23fbde50f7514059e109ad1"

const char ar_marker_config[] = CONFIG;
const size_t ar_marker_config_len = sizeof(CONFIG) - 1;
const char ar_marker_config_digest[] = CONFIG_DIGEST;

/* Canonical (sorted-key) JSON, as oci-client pushes it. */
#define MANIFEST                                                               \
  "{\"annotations\":{\"dev.alien.marker\":\"empty-repository-created-by-"     \
  "alien\"},\"config\":{\"digest\":\"" CONFIG_DIGEST "\",\"mediaType\":"      \
  "\"application/vnd.oci.image.config.v1+json\",\"size\":90},\"layers\":[],"  \
  "\"mediaType\":\"" AR_MEDIA_OCI_MANIFEST "\",\"schemaVersion\":2}"

const char ar_marker_manifest[] = MANIFEST;
const size_t ar_marker_manifest_len = sizeof(MANIFEST) - 1;
const char ar_marker_manifest_digest[] =
    "sha256:8d7cb9d88cfb0db66e0b20c224d406661fa7f4ff4aa1e8497a83fb4c5ae7c87c";
