/* The OCI distribution protocol on top of the HTTP transport: the few
 * endpoints the backends need, each with the fewest round trips the
 * protocol allows. Names, tags and digests are validated by the caller (or
 * here, for values the registry sent). Failures are GENERIC_ERROR causes
 * for the backend to wrap in alien's error. */
#ifndef AR_OCI_REGISTRY_H
#define AR_OCI_REGISTRY_H

#include <stddef.h>

#include "http/http.h"

/* Existence of NAME:REFERENCE by HEAD with every manifest type accepted.
 * Returns 1 (exists; *digest gets Docker-Content-Digest when non-NULL and
 * the registry sent a valid one), 0 (404), or -1 with *err set. */
int ar_oci_manifest_exists(struct ar_http_session *s, const char *name,
                           const char *reference, char **digest,
                           ar_error **err);

/* Makes blob `digest` (with content `data`) present in repository NAME.
 * With `mount_from` it first asks for a cross-repository mount; a registry
 * that declines answers with an upload session, which is used directly.
 * *mounted tells which happened. */
ar_error *ar_oci_push_blob(struct ar_http_session *s, const char *name,
                           const char *digest, const void *data, size_t len,
                           const char *mount_from, int *mounted);

/* PUT of a manifest under `reference`. */
ar_error *ar_oci_put_manifest(struct ar_http_session *s, const char *name,
                              const char *reference, const char *media_type,
                              const void *data, size_t len);

/* Every tag of NAME (following Link pagination). A repository the registry
 * does not know gives *found = 0 and no tags. Invalid tags are skipped. */
ar_error *ar_oci_list_tags(struct ar_http_session *s, const char *name,
                           char ***tags, size_t *count, int *found);
void ar_oci_tags_free(char **tags, size_t count);

enum ar_oci_delete_result {
  AR_OCI_DELETED,
  AR_OCI_ABSENT,     /* 404: already gone */
  AR_OCI_UNSUPPORTED /* 405: the registry has deletion disabled */
};

/* DELETE of a manifest by digest (distribution 2.8 refuses tags). */
ar_error *ar_oci_delete_manifest(struct ar_http_session *s, const char *name,
                                 const char *digest,
                                 enum ar_oci_delete_result *result);

/* Digest of the manifest NAME:TAG points at, by HEAD (or GET and hashing
 * when the registry omits Docker-Content-Digest). *digest is NULL when the
 * tag vanished meanwhile. */
ar_error *ar_oci_resolve_tag(struct ar_http_session *s, const char *name,
                             const char *tag, char **digest);

#endif
