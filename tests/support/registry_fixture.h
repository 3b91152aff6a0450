/*
 * A real distribution registry (docker-registry) per test, on 127.0.0.1:0,
 * plus helpers that drive skopeo and small child processes. Everything here
 * talks to loopback only.
 */
#ifndef ALIEN_AR_TEST_REGISTRY_FIXTURE_H
#define ALIEN_AR_TEST_REGISTRY_FIXTURE_H

#include <stddef.h>
#include <sys/types.h>

#include "test_util.h" /* ar_test_now() and friends, for every test */

struct ar_test_registry {
  pid_t pid;              /* 0 when not running */
  int port;
  char dir[4096];         /* mkdtemp dir holding config, data and log */
  char hostport[64];      /* "localhost:PORT" */
  char url[96];           /* "http://127.0.0.1:PORT" */
  char ip_hostport[64];   /* "127.0.0.1:PORT" */
  int access_log;
};

struct ar_test_registry_options {
  int delete_disabled;
  int access_log;
};

/* Starts a registry and waits until GET /v2/ answers 200 (cr_assert on
 * failure, with the registry log in the message). o NULL = defaults. */
void ar_test_registry_start(struct ar_test_registry *r,
                            const struct ar_test_registry_options *o);

/* SIGTERM, reap (SIGKILL after 2 s), remove the directory. Safe on a zeroed
 * struct and when called twice. */
void ar_test_registry_stop(struct ar_test_registry *r);

/* A loopback port with nothing listening on it. */
int ar_test_free_port(void);

/* The whole registry log (malloc'd, NUL-terminated; never NULL). */
char *ar_test_registry_log(const struct ar_test_registry *r);

/* Counts access-log lines for `METHOD PATH` (exact path, query included);
 * method NULL counts every request except the fixture's own sync probes.
 * First makes a sync probe and waits until the log shows it, so requests
 * that already completed are counted. Needs access_log. */
int ar_test_registry_count_requests(struct ar_test_registry *r,
                                    const char *method, const char *path);

/* Runs argv (argv[0] looked up in PATH) with `input` on stdin. Returns the
 * exit status (128+sig when killed, -1 when it could not run). *out and
 * *err (if non-NULL) receive malloc'd NUL-terminated stdout/stderr. */
int ar_test_run(const char *const argv[], const char *input, size_t input_len,
                char **out, size_t *out_len, char **err);

/* "sha256:<64 hex>" of data, computed by sha256sum (independent of the
 * plugin). out must hold 72 bytes. */
void ar_test_sha256_digest(const void *data, size_t len, char out[72]);

/* Random lowercase hex, nhex digits, NUL-terminated (out holds nhex + 1). */
void ar_test_random_hex(char *out, size_t nhex);

/* Builds a tiny OCI image by hand and pushes it with skopeo to
 * 127.0.0.1:PORT/NAME:TAG. Writes the manifest digest to digest_out. */
void ar_test_skopeo_push_image(const struct ar_test_registry *r,
                               const char *name, const char *tag,
                               char digest_out[72]);

/* The same image converted by skopeo to a Docker schema 2 manifest
 * (--format v2s2), as `docker push` would store it. digest_out receives the
 * stored manifest's digest. */
void ar_test_skopeo_push_image_v2s2(const struct ar_test_registry *r,
                                    const char *name, const char *tag,
                                    char digest_out[72]);

/* PUT /v2/NAME/manifests/REF with the given media type (libcurl, loopback).
 * Returns the HTTP status (0 on transport failure). */
long ar_test_registry_put_manifest(const struct ar_test_registry *r,
                                   const char *name, const char *ref,
                                   const char *media_type, const char *body,
                                   size_t len);

/* skopeo inspect --tls-verify=false --raw docker://127.0.0.1:PORT/NAME:TAG.
 * Returns the exit status; *out receives stdout (malloc'd, may be empty),
 * *out_len its length, *err stderr (may be NULL to ignore). */
int ar_test_skopeo_inspect_raw(const struct ar_test_registry *r,
                               const char *name, const char *tag, char **out,
                               size_t *out_len, char **err);

/* OCI image layouts for skopeo to push: DIR/layout with blobs/sha256
 * (its path into layout); a blob stored under its digest (computed into
 * digest); the layout's index naming MANIFEST as tag v1. */
void ar_test_layout_new(const char *dir, char *layout, size_t size);
void ar_test_layout_blob(const char *layout, const void *data, size_t len,
                         char digest[72]);
void ar_test_layout_tag_v1(const char *layout, const char *manifest_digest,
                           size_t manifest_len);

#endif
