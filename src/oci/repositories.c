/* create / get / delete of the local backend, each with the fewest
 * requests distribution allows (a HEAD decides existence; a known blob is
 * mounted rather than uploaded; delete goes tag list -> digest -> DELETE). */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>


#include "oci/repositories.h"
#include "core/results.h"
#include "oci/marker.h"
#include "oci/names.h"
#include "oci/registry.h"
#include "util/str.h"

/* The repository path B/L, or NULL with an INVALID_INPUT error: nothing
 * that fails the OCI name grammar is ever put on the wire. */
static char *repo_path(const struct ar_repos *st, const char *op,
                       const char *field, const char *logical, ar_error **err)
{
  char *path = ar_format("%s/%s", st->prefix, logical);
  if(!path) {
    *err = NULL;
    return NULL;
  }
  const char *why = ar_oci_name_problem(path);
  if(!why)
    return path;
  char *details = ar_format("repository name '%.300s' is not a valid OCI "
                            "repository name: %s",
                            path, why);
  *err = details ? ar_err_invalid_input(op, details, field) : NULL;
  free(details);
  free(path);
  return NULL;
}

/* Wraps a failure in alien's BINDINGS_ERROR, except refused credentials,
 * which reach the host as AUTHENTICATION_ERROR. */
static ar_error *wrap(ar_error *cause, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static ar_error *wrap(ar_error *cause, const char *fmt, ...)
{
  if(cause && cause->status == ALIEN_AR_ERR_AUTH)
    return cause;
  va_list ap;
  va_start(ap, fmt);
  char *what = ar_vformat(fmt, ap);
  va_end(ap);
  ar_error *outer = what ? ar_err_other("%s", what) : NULL;
  free(what);
  return ar_error_chain(outer, cause);
}

/* alien accepts a routable id (B/L) or a bare logical name (L). */
static const char *logical_of(const struct ar_repos *st, const char *id)
{
  size_t n = strlen(st->prefix);
  if(!strncmp(id, st->prefix, n) && id[n] == '/')
    return id + n + 1;
  return id;
}

static alien_ar_status respond(const struct ar_repos *st, const char *path,
                               struct alien_ar_repository **out,
                               ar_error **err)
{
  /* The uri is a pullable reference, so it never carries a scheme. */
  char *uri = ar_format("%s/%s", st->endpoint->hostport, path);
  *out = uri ? ar_repository_new(path, uri, NULL) : NULL;
  free(uri);
  return *out ? ALIEN_AR_OK : ar_error_raise(NULL, err);
}

static char *take_blob_home(struct ar_repos *st, const char *path)
{
  pthread_mutex_lock(&st->lock);
  char *home = st->blob_home && strcmp(st->blob_home, path)
                   ? ar_strdup(st->blob_home)
                   : NULL;
  pthread_mutex_unlock(&st->lock);
  return home;
}

static void remember_blob_home(struct ar_repos *st, const char *path)
{
  char *copy = ar_strdup(path);
  pthread_mutex_lock(&st->lock);
  free(st->blob_home);
  st->blob_home = copy;
  pthread_mutex_unlock(&st->lock);
}

/* Pushes the marker config blob and manifest to PATH:latest. */
static ar_error *push_marker(struct ar_repos *st,
                             struct ar_http_session *s, const char *path,
                             const char *logical)
{
  char *home = take_blob_home(st, path);
  int mounted = 0;
  ar_error *e = ar_oci_push_blob(s, path, ar_marker_config_digest,
                                 ar_marker_config, ar_marker_config_len, home,
                                 &mounted);
  if(e) {
    free(home);
    return wrap(e, "Failed to push config blob for repository '%s'", logical);
  }
  AR_LOG_DEBUG(st->log, "config blob %s in %s (%s)", ar_marker_config_digest,
               path, mounted ? "mounted from another repository"
                             : "uploaded");
  free(home);
  e = ar_oci_put_manifest(s, path, "latest", AR_MEDIA_OCI_MANIFEST,
                          ar_marker_manifest, ar_marker_manifest_len);
  if(e)
    return wrap(e, "Failed to push marker manifest for repository '%s'",
                logical);
  remember_blob_home(st, path);
  return NULL;
}

alien_ar_status ar_repos_create(struct ar_repos *r, const char *repo_name,
                                struct alien_ar_repository **out,
                                ar_error **err)
{
  struct ar_repos *st = r;
  ar_error *e = NULL;
  char *path = repo_path(st, "create_repository", "repo_name", repo_name, &e);
  if(!path)
    return ar_error_raise(e, err);
  AR_LOG_INFO(st->log, "Creating repository '%s'", path);
  struct ar_http_session s;
  e = ar_http_session_begin(st->http, &s, "create_repository");
  int exists = -1;
  if(!e) {
    exists = ar_oci_manifest_exists(&s, path, "latest", NULL, &e);
    if(e)
      e = wrap(e, "Failed to check repository existence");
  }
  /* Never overwrite: a real image may already be tagged latest. The
   * registry has no conditional PUT, so a push racing this check can still
   * lose; the README says so. */
  if(exists == 0)
    e = push_marker(st, &s, path, repo_name);
  else if(exists == 1)
    AR_LOG_INFO(st->log, "Repository '%s' already has a latest manifest; "
                         "leaving it untouched",
                path);
  AR_LOG_DEBUG(st->log, "create_repository '%s': %u request(s)", path,
               s.requests);
  ar_http_session_end(&s);
  alien_ar_status rc = e ? ar_error_raise(e, err) : respond(st, path, out,
                                                             err);
  if(rc == ALIEN_AR_OK)
    AR_LOG_INFO(st->log, "Repository created: "
                         "%s/%s",
                st->endpoint->hostport, path);
  free(path);
  return rc;
}

alien_ar_status ar_repos_get(struct ar_repos *r, const char *repo_id,
                             struct alien_ar_repository **out,
                             ar_error **err)
{
  struct ar_repos *st = r;
  ar_error *e = NULL;
  char *path = repo_path(st, "get_repository", "repo_id",
                         logical_of(st, repo_id), &e);
  if(!path)
    return ar_error_raise(e, err);
  AR_LOG_DEBUG(st->log, "Checking repository existence: '%s'", path);
  struct ar_http_session s;
  e = ar_http_session_begin(st->http, &s, "get_repository");
  int exists = -1;
  if(!e)
    exists = ar_oci_manifest_exists(&s, path, "latest", NULL, &e);
  ar_http_session_end(&s);
  alien_ar_status rc;
  if(exists == 1)
    rc = respond(st, path, out, err);
  else if(exists == 0) {
    AR_LOG_DEBUG(st->log, "Repository not found (404): '%s'", repo_id);
    rc = ar_error_raise(ar_err_resource_not_found(repo_id), err);
  }
  else
    rc = ar_error_raise(wrap(e, "Failed to check repository existence"),
                        err);
  free(path);
  return rc;
}

/* A DELETE answered 404 for a digest a HEAD just reported: fine if the tag
 * is gone too (someone else deleted it), an error if the tag still exists
 * (the registry's digest was wrong, and "success" would be a lie). */
static ar_error *confirm_gone(struct ar_http_session *s, const char *path,
                              const char *tag, const char *digest)
{
  ar_error *e = NULL;
  int exists = ar_oci_manifest_exists(s, path, tag, NULL, &e);
  if(exists == 1)
    e = ar_err_generic("the registry reported digest %.80s for %s:%s but "
                       "has no manifest under it; the tag was not deleted",
                       digest, path, tag);
  return e;
}

/* Deletes every manifest a tag of PATH points at. *refused is set when the
 * registry has deletion disabled. */
static ar_error *delete_tagged(struct ar_repos *st,
                               struct ar_http_session *s, const char *path,
                               int *refused)
{
  char **tags = NULL;
  size_t count = 0;
  int found = 0;
  ar_error *e = ar_oci_list_tags(s, path, &tags, &count, &found);
  char **done = count ? calloc(count, sizeof(*done)) : NULL;
  size_t n_done = 0;
  if(!e && count && !done)
    e = ar_err_generic("out of memory");
  for(size_t i = 0; !e && !*refused && i < count; i++) {
    char *digest = NULL;
    e = ar_oci_resolve_tag(s, path, tags[i], &digest);
    int seen = 0;
    for(size_t j = 0; digest && j < n_done; j++)
      seen |= !strcmp(done[j], digest);
    if(!e && digest && !seen) {
      enum ar_oci_delete_result result;
      e = ar_oci_delete_manifest(s, path, digest, &result);
      *refused = !e && result == AR_OCI_UNSUPPORTED;
      if(!e && result == AR_OCI_ABSENT)
        e = confirm_gone(s, path, tags[i], digest);
      AR_LOG_DEBUG(st->log, "tag %s of '%s' -> %s: %s", tags[i], path,
                   digest, e ? "failed"
                             : result == AR_OCI_DELETED ? "deleted"
                             : result == AR_OCI_ABSENT ? "already gone"
                                                       : "refused");
      done[n_done++] = digest;
      digest = NULL;
    }
    free(digest);
  }
  for(size_t j = 0; j < n_done; j++)
    free(done[j]);
  free(done);
  ar_oci_tags_free(tags, count);
  if(!e && !found)
    AR_LOG_DEBUG(st->log, "Repository '%s' does not exist; nothing to "
                          "delete",
                 path);
  return e;
}

alien_ar_status ar_repos_delete(struct ar_repos *r, const char *repo_id,
                                ar_error **err)
{
  struct ar_repos *st = r;
  ar_error *e = NULL;
  char *path = repo_path(st, "delete_repository", "repo_id",
                         logical_of(st, repo_id), &e);
  if(!path)
    return ar_error_raise(e, err);
  AR_LOG_INFO(st->log, "Deleting repository '%s'", path);
  struct ar_http_session s;
  int refused = 0;
  e = ar_http_session_begin(st->http, &s, "delete_repository");
  if(!e)
    e = delete_tagged(st, &s, path, &refused);
  ar_http_session_end(&s);
  free(path);
  if(e)
    return ar_error_raise(wrap(e, "Failed to delete repository '%s'",
                               repo_id),
                          err);
  if(refused)
    AR_LOG_WARN(st->log, "The registry refuses deletion (405 UNSUPPORTED; "
                         "storage.delete.enabled is off): repository '%s' "
                         "was left as it is",
                repo_id);
  return ALIEN_AR_OK;
}

int ar_repos_init(struct ar_repos *r, const char *prefix,
                  const struct ar_endpoint *endpoint,
                  struct ar_http_client *http, const struct ar_log *log)
{
  memset(r, 0, sizeof(*r));
  pthread_mutex_init(&r->lock, NULL);
  r->endpoint = endpoint;
  r->http = http;
  r->log = log;
  r->prefix = ar_strdup(prefix);
  return r->prefix ? 0 : -1;
}

void ar_repos_cleanup(struct ar_repos *r)
{
  pthread_mutex_destroy(&r->lock);
  free(r->prefix);
  free(r->blob_home);
  memset(r, 0, sizeof(*r));
}

char *ar_repos_path(const struct ar_repos *r, const char *op,
                    const char *field, const char *id, ar_error **err)
{
  return repo_path(r, op, field, logical_of(r, id), err);
}
