/*
 * A tiny token server for registries configured for the distribution token
 * auth spec: a thread serving plain HTTP on 127.0.0.1:0 (loopback only)
 *
 *   GET /token?service=S&scope=T:NAME:A1,A2&scope=...&account=U
 *
 * with optional HTTP Basic auth. It answers
 *   {"token":JWT,"access_token":JWT,"expires_in":N,"issued_at":"ISO"}
 * where JWT is RS256, header {"typ":"JWT","alg":"RS256","x5c":[DER cert]},
 * claims iss/sub/aud/exp/nbf/iat/jti/access granting every action asked
 * for. The key and its self-signed certificate are generated per issuer
 * (openssl) in a temp dir; the certificate is what the registry lists as
 * `auth.token.rootcertbundle` (distribution 2.8 accepts a self-signed leaf
 * that is itself in the bundle; checked by tests/oci against a real
 * registry).
 *
 * Every request is recorded (thread-safe) so tests can count token
 * requests per scope and assert caching.
 */
#ifndef ALIEN_AR_TEST_TOKEN_ISSUER_H
#define ALIEN_AR_TEST_TOKEN_ISSUER_H

#include <pthread.h>
#include <stddef.h>

struct ar_test_token_issuer_options {
  const char *service;  /* expected `service`; default "alien-test-registry" */
  const char *issuer;   /* `iss` claim; default "alien-test-issuer" */
  const char *username; /* Basic auth required when set (NULL: anonymous) */
  const char *password;
  long expires_in;      /* seconds; <= 0 means 300 */
};

struct ar_test_token_request; /* opaque record of one request */

struct ar_test_token_issuer {
  int port;
  char realm[96];         /* "http://127.0.0.1:PORT/token" */
  char service[128];
  char issuer[128];
  char username[128];     /* empty: anonymous */
  char password[128];
  char dir[4096];         /* temp dir: key.pem, cert.pem (rotations: -N) */
  char cert_file[4200];   /* current PEM certificate (rootcertbundle) */
  char key_file[4200];

  /* private */
  int listen_fd;
  int wake[2];
  pthread_t thread;
  int running;
  pthread_mutex_t mu;
  long expires_in;
  int key_generation;
  void *privkey;          /* gnutls_privkey_t */
  char *x5c;              /* base64 DER of the current certificate */
  struct ar_test_token_request *reqs;
  size_t nreqs, capreqs;
  char **tokens;          /* every token handed out (for leak scans) */
  size_t ntokens, captokens;
};

/* Generates the key and certificate, binds 127.0.0.1:0 and starts the
 * serving thread. cr_assert on failure. o NULL = defaults. */
void ar_test_token_issuer_start(struct ar_test_token_issuer *ti,
                                const struct ar_test_token_issuer_options *o);

/* Stops the thread, frees everything, removes the temp dir. Safe on a
 * zeroed struct and twice. */
void ar_test_token_issuer_stop(struct ar_test_token_issuer *ti);

/* expires_in for tokens issued from now on. */
void ar_test_token_issuer_set_expires_in(struct ar_test_token_issuer *ti,
                                         long seconds);

/* A new key and certificate; later tokens are signed with it and cert_file
 * names the new certificate (restart the registry to make it trusted). */
void ar_test_token_issuer_rotate_key(struct ar_test_token_issuer *ti);

/* Mints a token for the given scopes (NULL-terminated list of
 * "repository:NAME:ACTIONS") without going through HTTP and without being
 * recorded or counted. malloc'd. */
char *ar_test_token_issuer_mint(struct ar_test_token_issuer *ti,
                                const char *const scopes[], long expires_in);

/* Number of requests served (any path, any outcome). */
int ar_test_token_issuer_total(struct ar_test_token_issuer *ti);

/* Number of token requests answered 200. */
int ar_test_token_issuer_granted(struct ar_test_token_issuer *ti);

/* Number of token requests refused (401: missing or wrong credentials;
 * 400: wrong service). */
int ar_test_token_issuer_refused(struct ar_test_token_issuer *ti);

/* Number of granted requests that carried this exact scope parameter. */
int ar_test_token_issuer_count_scope(struct ar_test_token_issuer *ti,
                                     const char *scope);

/* Number of granted requests with a scope `repository:REPO:ACTIONS` whose
 * action set equals `actions` (comma list, order ignored; NULL: any). */
int ar_test_token_issuer_count_repo(struct ar_test_token_issuer *ti,
                                    const char *repo, const char *actions);

/* Number of granted requests that asked for `action` on repository REPO
 * (in any scope parameter, possibly with other actions). */
int ar_test_token_issuer_count_action(struct ar_test_token_issuer *ti,
                                      const char *repo, const char *action);

/* Granted requests whose scopes (set) are exactly the given list
 * (NULL-terminated; each "repository:NAME:ACTIONS", actions order ignored). */
int ar_test_token_issuer_count_exact(struct ar_test_token_issuer *ti,
                                     const char *const scopes[]);

/* Granted requests whose scopes include every scope of the list (others
 * may be present too). */
int ar_test_token_issuer_count_including(struct ar_test_token_issuer *ti,
                                         const char *const scopes[]);

/* One line per request, for assertion messages:
 * "#N STATUS auth=none|ok|bad service=S account=A scopes=[..]". malloc'd. */
char *ar_test_token_issuer_describe(struct ar_test_token_issuer *ti);

/* Non-zero when `text` contains any token this issuer handed out over HTTP
 * (or any 24-char piece of one's signature). */
int ar_test_token_issuer_leaked_in(struct ar_test_token_issuer *ti,
                                   const char *text);

/* Decodes the claims (payload) of a JWT into malloc'd JSON text, or NULL
 * when it is not a three-part base64url JWT. */
char *ar_test_jwt_claims(const char *jwt);

#endif
