/* The marker image alien's create_repository pushes: a fixed 90-byte config
 * blob and an OCI manifest with no layers and the dev.alien.marker
 * annotation. Both are constants, so their digests are too; a unit test
 * recomputes them. */
#ifndef AR_OCI_MARKER_H
#define AR_OCI_MARKER_H

#include <stddef.h>

extern const char ar_marker_config[];
extern const size_t ar_marker_config_len;
extern const char ar_marker_config_digest[];
extern const char ar_marker_manifest[];
extern const size_t ar_marker_manifest_len;
extern const char ar_marker_manifest_digest[];

#define AR_MEDIA_OCI_MANIFEST "application/vnd.oci.image.manifest.v1+json"
#define AR_MEDIA_OCI_INDEX "application/vnd.oci.image.index.v1+json"
#define AR_MEDIA_DOCKER_MANIFEST                                               \
  "application/vnd.docker.distribution.manifest.v2+json"
#define AR_MEDIA_DOCKER_LIST                                                   \
  "application/vnd.docker.distribution.manifest.list.v2+json"
/* Every manifest type a repository's tags may point at. distribution
 * answers 404 for a stored OCI manifest unless its type is listed. */
#define AR_MANIFEST_ACCEPT                                                     \
  AR_MEDIA_OCI_MANIFEST ", " AR_MEDIA_OCI_INDEX ", " AR_MEDIA_DOCKER_MANIFEST \
                        ", " AR_MEDIA_DOCKER_LIST

#endif
