#include "oci/registry.h"

#include <stdlib.h>
#include <string.h>

#include "oci/marker.h"
#include "oci/names.h"
#include "oci/response.h"
#include "util/sha256.h"
#include "util/str.h"

#define MAX_TAG_PAGES 1000

static char *v2_url(struct ar_http_session *s, const char *name,
                    const char *what, const char *ref)
{
  return ar_format("%s/v2/%s/%s%s", ar_http_client_base(s->client), name,
                   what, ref ? ref : "");
}

/* The token scope a request on NAME needs (distribution's access records:
 * GET/HEAD pull, writes pull+push, DELETE delete, a mount also pull on the
 * source). */
static char *scope_of(const char *name, const char *actions,
                      const char *mount_from)
{
  if(mount_from)
    return ar_format("repository:%s:%s repository:%s:pull", name, actions,
                     mount_from);
  return ar_format("repository:%s:%s", name, actions);
}

/* A GENERIC_ERROR naming the request, the status and the registry's own
 * error code and message when the body has them. */
static ar_error *unexpected(struct ar_http_session *s,
                            const struct ar_http_request *rq,
                            const struct ar_http_response *rs)
{
  char *detail = ar_oci_error_detail(rs->body, rs->body_len);
  ar_http_redact(s->client, detail);
  ar_error *e = ar_err_generic("the registry answered HTTP %ld to %s %s%s%s",
                               rs->status, rq->method, rq->url,
                               detail && *detail ? ": " : "",
                               detail ? detail : "");
  free(detail);
  return e;
}

/* Runs one request built by the caller; the caller frees the URL. */
static ar_error *run(struct ar_http_session *s, struct ar_http_request *rq,
                     char *url, struct ar_http_response *rs)
{
  if(!url) {
    memset(rs, 0, sizeof(*rs));
    return ar_err_generic("out of memory");
  }
  rq->url = url;
  ar_error *e = ar_http_perform(s, rq, rs);
  return e;
}

int ar_oci_manifest_exists(struct ar_http_session *s, const char *name,
                           const char *reference, char **digest,
                           ar_error **err)
{
  char *scope = scope_of(name, "pull", NULL);
  struct ar_http_request rq = { .method = "HEAD",
                                .accept = AR_MANIFEST_ACCEPT,
                                .idempotent = 1,
                                .scope = scope };
  struct ar_http_response rs;
  char *url = scope ? v2_url(s, name, "manifests/", reference) : NULL;
  int result = -1;
  *err = run(s, &rq, url, &rs);
  free(scope);
  if(digest)
    *digest = NULL;
  if(!*err) {
    if(rs.status == 200) {
      result = 1;
      if(digest && rs.content_digest
         && ar_oci_digest_valid(rs.content_digest)) {
        *digest = rs.content_digest;
        rs.content_digest = NULL;
      }
    }
    else if(rs.status == 404)
      result = 0;
    else
      *err = unexpected(s, &rq, &rs);
  }
  ar_http_response_free(&rs);
  free(url);
  return result;
}

/* PUT of the blob's bytes to an upload session. */
static ar_error *finish_upload(struct ar_http_session *s, const char *post_url,
                               const char *location, const char *digest,
                               const void *data, size_t len,
                               const char *scope)
{
  char *query = ar_format("digest=%s", digest);
  ar_error *e = NULL;
  char *url = query ? ar_http_resolve_location(s->client, post_url, location,
                                               query, &e)
                    : NULL;
  free(query);
  if(!url)
    return e ? e : ar_err_generic("out of memory");
  /* The upload URL names a server-side session: resending after a failure
   * mid-body could land twice, so this PUT is not retried. */
  struct ar_http_request rq = { .method = "PUT",
                                .content_type = "application/octet-stream",
                                .body = data,
                                .body_len = len,
                                .scope = scope };
  struct ar_http_response rs;
  e = run(s, &rq, url, &rs);
  if(!e && rs.status != 201 && rs.status != 204)
    e = unexpected(s, &rq, &rs);
  ar_http_response_free(&rs);
  free(url);
  return e;
}

ar_error *ar_oci_push_blob(struct ar_http_session *s, const char *name,
                           const char *digest, const void *data, size_t len,
                           const char *mount_from, int *mounted)
{
  *mounted = 0;
  char *url;
  if(mount_from)
    url = ar_format("%s/v2/%s/blobs/uploads/?mount=%s&from=%s",
                    ar_http_client_base(s->client), name, digest, mount_from);
  else
    url = v2_url(s, name, "blobs/uploads/", NULL);
  char *scope = scope_of(name, "pull,push", mount_from);
  struct ar_http_request rq = { .method = "POST", .scope = scope };
  struct ar_http_response rs;
  ar_error *e = run(s, &rq, scope ? url : NULL, &rs);
  if(!e) {
    if(rs.status == 201 && mount_from)
      *mounted = 1;
    else if(rs.status == 202)
      e = finish_upload(s, url, rs.location, digest, data, len, scope);
    else
      e = unexpected(s, &rq, &rs);
  }
  ar_http_response_free(&rs);
  free(scope);
  free(url);
  return e;
}

ar_error *ar_oci_put_manifest(struct ar_http_session *s, const char *name,
                              const char *reference, const char *media_type,
                              const void *data, size_t len)
{
  /* Same bytes to the same tag: safe to resend. */
  char *scope = scope_of(name, "pull,push", NULL);
  struct ar_http_request rq = { .method = "PUT",
                                .content_type = media_type,
                                .body = data,
                                .body_len = len,
                                .idempotent = 1,
                                .scope = scope };
  struct ar_http_response rs;
  char *url = scope ? v2_url(s, name, "manifests/", reference) : NULL;
  ar_error *e = run(s, &rq, url, &rs);
  free(scope);
  if(!e && rs.status != 201 && rs.status != 200)
    e = unexpected(s, &rq, &rs);
  char sent[AR_DIGEST_LEN + 1];
  /* The registry must store the exact bytes; a different digest means it
   * did not (the spec says it MUST match when present). */
  if(!e && rs.content_digest && *rs.content_digest
     && ar_sha256_digest(data, len, sent) == 0
     && strcmp(rs.content_digest, sent) != 0)
    e = ar_err_generic("the registry stored the manifest for %s:%s under "
                       "digest %.80s, but its bytes hash to %s",
                       name, reference, rs.content_digest, sent);
  ar_http_response_free(&rs);
  free(url);
  return e;
}

void ar_oci_tags_free(char **tags, size_t count)
{
  for(size_t i = 0; i < count; i++)
    free(tags[i]);
  free(tags);
}

ar_error *ar_oci_list_tags(struct ar_http_session *s, const char *name,
                           char ***tags, size_t *count, int *found)
{
  *tags = NULL;
  *count = 0;
  *found = 0;
  char *scope = scope_of(name, "pull", NULL);
  char *url = scope ? v2_url(s, name, "tags/list", NULL) : NULL;
  ar_error *e = url ? NULL : ar_err_generic("out of memory");
  for(int page = 0; url && page < MAX_TAG_PAGES; page++) {
    struct ar_http_request rq = { .method = "GET",
                                  .accept = "application/json",
                                  .idempotent = 1,
                                  .scope = scope };
    struct ar_http_response rs;
    e = run(s, &rq, url, &rs);
    char *next = NULL;
    if(!e) {
      if(rs.status == 404 && page == 0) {
        ar_http_response_free(&rs);
        break; /* NAME_UNKNOWN: nothing to list */
      }
      if(rs.status != 200)
        e = unexpected(s, &rq, &rs);
      else {
        int rc = ar_oci_parse_tags(rs.body, tags, count,
                                   ar_http_client_log(s->client));
        if(rc == -1)
          e = ar_err_generic("the registry's tag list for %s is not valid "
                             "JSON",
                             name);
        else if(rc == -2)
          e = ar_err_generic("out of memory");
        *found = 1;
        char *target = ar_oci_link_next(rs.link);
        if(!e && target)
          next = ar_http_resolve_location(s->client, url, target, NULL, &e);
        free(target);
      }
    }
    ar_http_response_free(&rs);
    free(url);
    url = next;
    if(e)
      break;
  }
  free(url);
  free(scope);
  if(e) {
    ar_oci_tags_free(*tags, *count);
    *tags = NULL;
    *count = 0;
  }
  return e;
}

ar_error *ar_oci_delete_manifest(struct ar_http_session *s, const char *name,
                                 const char *digest,
                                 enum ar_oci_delete_result *result)
{
  char *scope = scope_of(name, "delete", NULL);
  struct ar_http_request rq = { .method = "DELETE",
                                .idempotent = 1,
                                .scope = scope };
  struct ar_http_response rs;
  char *url = scope ? v2_url(s, name, "manifests/", digest) : NULL;
  ar_error *e = run(s, &rq, url, &rs);
  free(scope);
  if(!e) {
    if(rs.status == 202 || rs.status == 200)
      *result = AR_OCI_DELETED;
    else if(rs.status == 404)
      *result = AR_OCI_ABSENT;
    else if(rs.status == 405
            || (rs.status == 400 && ar_oci_error_code_is(rs.body, "UNSUPPORTED")))
      *result = AR_OCI_UNSUPPORTED;
    else
      e = unexpected(s, &rq, &rs);
  }
  ar_http_response_free(&rs);
  free(url);
  return e;
}

ar_error *ar_oci_resolve_tag(struct ar_http_session *s, const char *name,
                             const char *tag, char **digest)
{
  ar_error *e = NULL;
  *digest = NULL;
  int exists = ar_oci_manifest_exists(s, name, tag, digest, &e);
  if(exists != 1 || *digest)
    return e;
  /* No usable Docker-Content-Digest: hash the exact bytes instead. */
  char *scope = scope_of(name, "pull", NULL);
  struct ar_http_request rq = { .method = "GET",
                                .accept = AR_MANIFEST_ACCEPT,
                                .idempotent = 1,
                                .scope = scope };
  struct ar_http_response rs;
  char *url = scope ? v2_url(s, name, "manifests/", tag) : NULL;
  e = run(s, &rq, url, &rs);
  free(scope);
  if(!e && rs.status == 200) {
    char hex[AR_DIGEST_LEN + 1];
    if(ar_sha256_digest(rs.body ? rs.body : "", rs.body_len, hex) == 0)
      *digest = ar_strdup(hex);
    if(!*digest)
      e = ar_err_generic("could not compute the digest of %s:%s", name, tag);
  }
  else if(!e && rs.status != 404)
    e = unexpected(s, &rq, &rs);
  ar_http_response_free(&rs);
  free(url);
  return e;
}
