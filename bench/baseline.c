#include "baseline.h"

#include <curl/curl.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "oci/marker.h"

struct bench_floor {
  CURL *h;
  char base[64];
};

struct reply {
  long status;
  char location[1024];
  char digest[80];
  char *body;
  size_t len;
};

static size_t on_body(char *p, size_t size, size_t n, void *ud) {
  struct reply *r = ud;
  size_t add = size * n;
  char *grown = realloc(r->body, r->len + add + 1);
  if (!grown)
    return 0;
  memcpy(grown + r->len, p, add);
  r->body = grown;
  r->len += add;
  r->body[r->len] = '\0';
  return add;
}

static void header_copy(CURL *h, const char *name, char *out, size_t cap) {
  struct curl_header *hd = NULL;
  out[0] = '\0';
  if (curl_easy_header(h, name, 0, CURLH_HEADER, -1, &hd) == CURLHE_OK)
    snprintf(out, cap, "%s", hd->value);
}

/* One request on `h` (whose connection is kept unless the caller throws
 * the handle away). Fills r; r->status is 0 on a transport failure. */
static void request_x(CURL *h, const char *method, const char *url,
                      const char *accept, const char *ctype, const void *body,
                      size_t len, const char *extra, struct reply *r) {
  memset(r, 0, sizeof *r);
  struct curl_slist *hdr = curl_slist_append(NULL, "Expect:");
  char line[256];
  if (extra)
    hdr = curl_slist_append(hdr, extra);
  if (accept) {
    snprintf(line, sizeof line, "Accept: %s", accept);
    hdr = curl_slist_append(hdr, line);
  }
  if (ctype) {
    snprintf(line, sizeof line, "Content-Type: %s", ctype);
    hdr = curl_slist_append(hdr, line);
  }
  curl_easy_reset(h);
  curl_easy_setopt(h, CURLOPT_URL, url);
  curl_easy_setopt(h, CURLOPT_PROXY, "");
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_TCP_NODELAY, 1L);
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, 30000L);
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdr);
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, r);
  if (!strcmp(method, "HEAD"))
    curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
  else if (strcmp(method, "GET") != 0) {
    curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);
    if (strcmp(method, "DELETE") != 0) {
      curl_easy_setopt(h, CURLOPT_POSTFIELDS, body ? body : "");
      curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
    }
  }
  if (curl_easy_perform(h) == CURLE_OK) {
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &r->status);
    header_copy(h, "Location", r->location, sizeof r->location);
    header_copy(h, "Docker-Content-Digest", r->digest, sizeof r->digest);
  }
  curl_slist_free_all(hdr);
}

static void request(CURL *h, const char *method, const char *url,
                    const char *accept, const char *ctype, const void *body,
                    size_t len, struct reply *r) {
  request_x(h, method, url, accept, ctype, body, len, NULL, r);
}

/* Status of a request whose body and headers do not matter. */
static long simple(CURL *h, const char *method, const char *url,
                   const char *accept, const char *ctype, const void *body,
                   size_t len) {
  struct reply r;
  request(h, method, url, accept, ctype, body, len, &r);
  free(r.body);
  return r.status;
}

/* Location + "&digest=" (distribution's Locations carry ?_state=). */
static void with_digest(char *out, size_t cap, const char *location) {
  snprintf(out, cap, "%s%cdigest=%s", location,
           strchr(location, '?') ? '&' : '?', ar_marker_config_digest);
}

struct bench_floor *bench_floor_new(const char *base_url) {
  struct bench_floor *f = calloc(1, sizeof *f);
  if (!f || !(f->h = curl_easy_init())) {
    free(f);
    return NULL;
  }
  snprintf(f->base, sizeof f->base, "%s", base_url);
  return f;
}

void bench_floor_free(struct bench_floor *f) {
  if (!f)
    return;
  curl_easy_cleanup(f->h);
  free(f);
}

int bench_floor_get(struct bench_floor *f, const char *path, int exists) {
  char url[512];
  snprintf(url, sizeof url, "%s/v2/%s/manifests/latest", f->base, path);
  long st = simple(f->h, "HEAD", url, AR_MANIFEST_ACCEPT, NULL, NULL, 0);
  return st == (exists ? 200 : 404) ? 0 : -1;
}

static int put_manifest(CURL *h, const char *base, const char *path) {
  char url[512];
  snprintf(url, sizeof url, "%s/v2/%s/manifests/latest", base, path);
  long st = simple(h, "PUT", url, NULL, AR_MEDIA_OCI_MANIFEST,
                   ar_marker_manifest, ar_marker_manifest_len);
  return st == 201 ? 0 : -1;
}

int bench_floor_create(struct bench_floor *f, const char *path,
                       const char *mount_from) {
  char url[1200];
  snprintf(url, sizeof url, "%s/v2/%s/manifests/latest", f->base, path);
  long st = simple(f->h, "HEAD", url, AR_MANIFEST_ACCEPT, NULL, NULL, 0);
  if (st == 200)
    return 0;
  if (st != 404)
    return -1;
  struct reply r;
  if (mount_from) {
    snprintf(url, sizeof url, "%s/v2/%s/blobs/uploads/?mount=%s&from=%s",
             f->base, path, ar_marker_config_digest, mount_from);
    if (simple(f->h, "POST", url, NULL, "application/octet-stream", NULL,
               0) != 201)
      return -1;
  } else {
    snprintf(url, sizeof url, "%s/v2/%s/blobs/uploads/", f->base, path);
    request(f->h, "POST", url, NULL, "application/octet-stream", NULL, 0, &r);
    free(r.body);
    if (r.status != 202 || !r.location[0])
      return -1;
    with_digest(url, sizeof url, r.location);
    if (simple(f->h, "PUT", url, NULL, "application/octet-stream",
               ar_marker_config, ar_marker_config_len) != 201)
      return -1;
  }
  return put_manifest(f->h, f->base, path);
}

int bench_floor_delete(struct bench_floor *f, const char *path) {
  char url[512];
  struct reply r;
  snprintf(url, sizeof url, "%s/v2/%s/tags/list", f->base, path);
  request(f->h, "GET", url, "application/json", NULL, NULL, 0, &r);
  json_object *root = r.status == 200 && r.body ? json_tokener_parse(r.body)
                                                : NULL;
  free(r.body);
  json_object *tags = NULL;
  if (!root || !json_object_object_get_ex(root, "tags", &tags) ||
      !json_object_is_type(tags, json_type_array)) {
    json_object_put(root);
    return -1;
  }
  int rc = 0;
  for (size_t i = 0; rc == 0 && i < json_object_array_length(tags); i++) {
    const char *tag = json_object_get_string(json_object_array_get_idx(tags, i));
    snprintf(url, sizeof url, "%s/v2/%s/manifests/%s", f->base, path, tag);
    request(f->h, "HEAD", url, AR_MANIFEST_ACCEPT, NULL, NULL, 0, &r);
    free(r.body);
    if (r.status != 200 || !r.digest[0]) {
      rc = -1;
      break;
    }
    snprintf(url, sizeof url, "%s/v2/%s/manifests/%s", f->base, path,
             r.digest);
    if (simple(f->h, "DELETE", url, NULL, NULL, NULL, 0) != 202)
      rc = -1;
  }
  json_object_put(root);
  return rc;
}

/* The seed's auth probe: an anonymous registry never answers with a
 * challenge, so it is repeated before every request. */
static int ping(CURL *h, const char *base) {
  char url[128];
  snprintf(url, sizeof url, "%s/v2/", base);
  return simple(h, "GET", url, NULL, NULL, NULL, 0) == 200 ? 0 : -1;
}

int bench_seed_get(const char *base_url, const char *path, int exists) {
  CURL *h = curl_easy_init(); /* a new client, so a new connection */
  if (!h)
    return -1;
  char url[512];
  snprintf(url, sizeof url, "%s/v2/%s/manifests/latest", base_url, path);
  int rc = ping(h, base_url) == 0 &&
                   simple(h, "GET", url, AR_MANIFEST_ACCEPT, NULL, NULL, 0) ==
                       (exists ? 200 : 404)
               ? 0
               : -1;
  curl_easy_cleanup(h);
  return rc;
}

static int seed_push_blob(CURL *h, const char *base, const char *path) {
  char url[1200], range[48];
  struct reply r;
  snprintf(url, sizeof url, "%s/v2/%s/blobs/uploads/", base, path);
  if (ping(h, base) != 0)
    return -1;
  request(h, "POST", url, NULL, "application/octet-stream", NULL, 0, &r);
  free(r.body);
  if (r.status != 202 || !r.location[0] || ping(h, base) != 0)
    return -1;
  /* One chunk (the blob is far below the 4 MiB chunk size). */
  snprintf(url, sizeof url, "%s", r.location);
  snprintf(range, sizeof range, "Content-Range: 0-%zu",
           ar_marker_config_len - 1);
  request_x(h, "PATCH", url, NULL, "application/octet-stream",
            ar_marker_config, ar_marker_config_len, range, &r);
  free(r.body);
  if (r.status != 202 || !r.location[0] || ping(h, base) != 0)
    return -1;
  with_digest(url, sizeof url, r.location);
  return simple(h, "PUT", url, NULL, "application/octet-stream", NULL, 0) ==
                 201
             ? 0
             : -1;
}

int bench_seed_create(const char *base_url, const char *path) {
  CURL *h = curl_easy_init();
  if (!h)
    return -1;
  int rc = seed_push_blob(h, base_url, path) == 0 && ping(h, base_url) == 0 &&
                   put_manifest(h, base_url, path) == 0
               ? 0
               : -1;
  curl_easy_cleanup(h);
  return rc;
}
