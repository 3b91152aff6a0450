/*
 * A real distribution registry (docker-registry) per test with TLS and
 * auth, on 127.0.0.1:0 (loopback only):
 *
 *  - TLS: a self-signed certificate generated per registry with openssl
 *    (CN 127.0.0.1, SAN IP:127.0.0.1 and DNS:localhost); ca_file is that
 *    certificate, cert_dir holds it as ca.crt for skopeo --cert-dir.
 *  - auth: none, htpasswd Basic (bcrypt via `htpasswd -B`; distribution 2.8
 *    rejects anything else) or the token flow with an ar_test_token_issuer
 *    as realm and its certificate as rootcertbundle.
 *
 * The registry process gets PR_SET_PDEATHSIG(SIGKILL); stop it (and remove
 * its temp dir) from the test's .fini.
 */
#ifndef ALIEN_AR_TEST_TLS_REGISTRY_H
#define ALIEN_AR_TEST_TLS_REGISTRY_H

#include <stddef.h>
#include <sys/types.h>

#include "token_issuer.h"

enum ar_test_auth {
  AR_TEST_AUTH_NONE = 0,
  AR_TEST_AUTH_BASIC = 1,
  AR_TEST_AUTH_TOKEN = 2
};

struct ar_test_tls_registry_options {
  enum ar_test_auth auth;
  const char *username;  /* basic; default "testuser" */
  const char *password;  /* basic; default "pw-<24 random hex>" */
  struct ar_test_token_issuer *issuer; /* token: required, started */
  int plain_http;        /* no TLS (auth still applies) */
  int access_log;        /* keep the access log (count_requests) */
  int delete_disabled;
};

struct ar_test_tls_registry {
  pid_t pid;             /* 0 when not running */
  int port;
  int tls;
  enum ar_test_auth auth;
  int access_log;
  int delete_disabled;
  struct ar_test_token_issuer *issuer;
  char dir[4096];        /* mkdtemp dir: config, certs, data, log */
  char ca_file[4200];    /* PEM the clients must trust (self-signed cert) */
  char key_file[4200];
  char cert_dir[4200];   /* DIR/certs with ca.crt (skopeo --cert-dir) */
  char url[96];          /* "https://127.0.0.1:PORT" (http:// if plain) */
  char ip_hostport[64];  /* "127.0.0.1:PORT" */
  char hostport[64];     /* "localhost:PORT" */
  char username[64];     /* basic */
  char password[128];    /* basic */
};

/* Starts the registry and waits until GET /v2/ answers (200, or 401 with
 * auth). cr_assert with the registry log on failure. */
void ar_test_tls_registry_start(struct ar_test_tls_registry *r,
                                const struct ar_test_tls_registry_options *o);

/* SIGTERM, reap (SIGKILL after 2 s), remove the directory. Safe on a zeroed
 * struct and twice. */
void ar_test_tls_registry_stop(struct ar_test_tls_registry *r);

/* Stops the process and starts it again on the same port with the same
 * data, certificate and auth, re-reading the issuer's current certificate
 * (after ar_test_token_issuer_rotate_key). */
void ar_test_tls_registry_restart(struct ar_test_tls_registry *r);

/* The whole registry log (malloc'd; never NULL). */
char *ar_test_tls_registry_log(const struct ar_test_tls_registry *r);

/* Access-log lines of requests (fixture probes excluded) matching METHOD
 * (NULL: any), PATH (exact, query included; NULL: any) and PROTO (e.g.
 * "HTTP/2.0"; NULL: any). Makes a sync probe first so every completed
 * request is counted. Needs access_log. */
int ar_test_tls_registry_count_requests(struct ar_test_tls_registry *r,
                                        const char *method, const char *path,
                                        const char *proto);

/* The access-log lines of every completed request so far (fixture probes
 * excluded), one per line, as `METHOD PATH PROTO STATUS`. malloc'd. Needs
 * access_log. */
char *ar_test_tls_registry_access_lines(struct ar_test_tls_registry *r);

/* HTTP status of METHOD url-path (e.g. "/v2/") with the fixture's CA and
 * an optional Authorization header value ("Bearer T", "Basic B64"); 0 on
 * transport failure. The manifest Accept list is sent. */
long ar_test_tls_registry_status(const struct ar_test_tls_registry *r,
                                 const char *method, const char *path,
                                 const char *authorization);

/* skopeo inspect [--raw] with --cert-dir (or --tls-verify=false when
 * plain), authenticated with creds "user:pass" or a registry token (either
 * may be NULL). Returns the exit status; out/err as ar_test_run. */
int ar_test_tls_skopeo_inspect(const struct ar_test_tls_registry *r,
                               const char *name, const char *tag,
                               const char *creds, const char *token, int raw,
                               char **out, size_t *out_len, char **err);

/* skopeo copy docker://HOST/SRC docker://HOST/DST inside this registry
 * ("name:tag" each), authenticated with creds (may be NULL). Returns the
 * exit status; *err (if non-NULL) receives stderr. */
int ar_test_tls_skopeo_copy(const struct ar_test_tls_registry *r,
                            const char *src, const char *dst,
                            const char *creds, char **err);

/* Builds an OCI image layout by hand (config blob + manifest with no
 * layers and a random annotation, so every image is distinct) and pushes
 * it with skopeo copy to NAME:TAG (creds may be NULL). digest_out receives
 * the manifest digest. */
void ar_test_tls_skopeo_push_image(const struct ar_test_tls_registry *r,
                                   const char *name, const char *tag,
                                   const char *creds, char digest_out[72]);

/* "user:pass" of a Basic registry. */
void ar_test_tls_registry_creds(const struct ar_test_tls_registry *r,
                                char *out, size_t size);

#endif
