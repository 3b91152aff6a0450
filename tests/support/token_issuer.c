#define _GNU_SOURCE
#include "token_issuer.h"
#include "registry_fixture.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <gnutls/abstract.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <json-c/json.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MAX_REQUEST 32768
#define JSON_FLAGS (JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE)

struct ar_test_token_request {
  int status;
  const char *auth; /* static: "none", "basic", "bad", "other" */
  char *service;
  char *account;
  char **scopes;
  size_t nscopes;
};

/* ---- small helpers ------------------------------------------------------ */

static char *xstrdup(const char *s) {
  size_t n = strlen(s) + 1;
  char *d = malloc(n);
  if (d)
    memcpy(d, s, n);
  return d;
}

static char *xstrndup(const char *s, size_t n) {
  char *d = malloc(n + 1);
  if (d) {
    memcpy(d, s, n);
    d[n] = '\0';
  }
  return d;
}

struct buf {
  char *p;
  size_t len, cap;
  int oom;
};

static void buf_add(struct buf *b, const char *s, size_t n) {
  if (b->oom)
    return;
  if (b->len + n + 1 > b->cap) {
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + n + 1)
      cap *= 2;
    char *np = realloc(b->p, cap);
    if (!np) {
      b->oom = 1;
      return;
    }
    b->p = np;
    b->cap = cap;
  }
  memcpy(b->p + b->len, s, n);
  b->len += n;
  b->p[b->len] = '\0';
}

static void buf_str(struct buf *b, const char *s) { buf_add(b, s, strlen(s)); }

static void buf_fmt(struct buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void buf_fmt(struct buf *b, const char *fmt, ...) {
  char tmp[1024];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
  va_end(ap);
  if (n < 0)
    return;
  if ((size_t)n < sizeof tmp) {
    buf_add(b, tmp, (size_t)n);
    return;
  }
  char *big = malloc((size_t)n + 1);
  if (!big) {
    b->oom = 1;
    return;
  }
  va_start(ap, fmt);
  vsnprintf(big, (size_t)n + 1, fmt, ap);
  va_end(ap);
  buf_add(b, big, (size_t)n);
  free(big);
}

static const char B64[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* Standard base64 with padding (url = 0) or base64url without padding. */
static char *b64_encode(const unsigned char *in, size_t len, int url) {
  char *out = malloc(4 * ((len + 2) / 3) + 1);
  if (!out)
    return NULL;
  size_t o = 0;
  for (size_t i = 0; i < len; i += 3) {
    unsigned v = (unsigned)in[i] << 16;
    if (i + 1 < len)
      v |= (unsigned)in[i + 1] << 8;
    if (i + 2 < len)
      v |= in[i + 2];
    out[o++] = B64[(v >> 18) & 63];
    out[o++] = B64[(v >> 12) & 63];
    out[o++] = i + 1 < len ? B64[(v >> 6) & 63] : '=';
    out[o++] = i + 2 < len ? B64[v & 63] : '=';
  }
  out[o] = '\0';
  if (url) {
    size_t w = 0;
    for (size_t r = 0; r < o; r++) {
      char c = out[r];
      if (c == '=')
        continue;
      out[w++] = c == '+' ? '-' : c == '/' ? '_' : c;
    }
    out[w] = '\0';
  }
  return out;
}

static int b64_value(char c) {
  if (c >= 'A' && c <= 'Z')
    return c - 'A';
  if (c >= 'a' && c <= 'z')
    return c - 'a' + 26;
  if (c >= '0' && c <= '9')
    return c - '0' + 52;
  if (c == '+' || c == '-')
    return 62;
  if (c == '/' || c == '_')
    return 63;
  return -1;
}

/* Decodes standard or url base64 (padding optional). NULL when invalid. */
static unsigned char *b64_decode(const char *in, size_t len, size_t *out_len) {
  unsigned char *out = malloc(len / 4 * 3 + 4);
  if (!out)
    return NULL;
  unsigned acc = 0;
  int bits = 0;
  size_t o = 0;
  for (size_t i = 0; i < len; i++) {
    if (in[i] == '=')
      break;
    int v = b64_value(in[i]);
    if (v < 0) {
      free(out);
      return NULL;
    }
    acc = (acc << 6) | (unsigned)v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (unsigned char)((acc >> bits) & 0xff);
    }
  }
  out[o] = '\0';
  *out_len = o;
  return out;
}

static int hexval(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/* application/x-www-form-urlencoded decoding of s[0..n). */
static char *url_decode(const char *s, size_t n) {
  char *out = malloc(n + 1);
  if (!out)
    return NULL;
  size_t o = 0;
  for (size_t i = 0; i < n; i++) {
    if (s[i] == '+') {
      out[o++] = ' ';
    } else if (s[i] == '%' && i + 2 < n && hexval(s[i + 1]) >= 0 &&
               hexval(s[i + 2]) >= 0) {
      out[o++] = (char)(hexval(s[i + 1]) * 16 + hexval(s[i + 2]));
      i += 2;
    } else {
      out[o++] = s[i];
    }
  }
  out[o] = '\0';
  return out;
}

static void iso_utc(time_t t, char out[32]) {
  struct tm tm;
  gmtime_r(&t, &tm);
  strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static char *slurp(const char *path, size_t *len_out) {
  FILE *f = fopen(path, "rb");
  if (!f)
    return NULL;
  struct buf b = {0};
  char tmp[4096];
  size_t n;
  while ((n = fread(tmp, 1, sizeof tmp, f)) > 0)
    buf_add(&b, tmp, n);
  fclose(f);
  if (b.oom || !b.p) {
    free(b.p);
    return NULL;
  }
  *len_out = b.len;
  return b.p;
}

/* ---- key material ------------------------------------------------------- */

/* Generates key-N.pem / cert-N.pem with openssl and loads them. */
static void load_new_key(struct ar_test_token_issuer *ti) {
  int gen = ti->key_generation + 1;
  char key[4200], cert[4200], subj[128];
  snprintf(key, sizeof key, "%s/key-%d.pem", ti->dir, gen);
  snprintf(cert, sizeof cert, "%s/cert-%d.pem", ti->dir, gen);
  snprintf(subj, sizeof subj, "/CN=alien-test-token-issuer-%d", gen);
  const char *const argv[] = {"openssl", "req", "-x509", "-newkey",
                              "rsa:2048", "-nodes", "-keyout", key, "-out",
                              cert, "-days", "2", "-subj", subj, NULL};
  char *se = NULL;
  int rc = ar_test_run(argv, NULL, 0, NULL, NULL, &se);
  cr_assert_eq(rc, 0, "openssl req (token key) failed (%d): %s", rc, se);
  free(se);

  size_t klen = 0, clen = 0;
  char *kpem = slurp(key, &klen);
  char *cpem = slurp(cert, &clen);
  cr_assert(kpem && cpem, "cannot read %s / %s", key, cert);

  gnutls_privkey_t pk;
  cr_assert_eq(gnutls_privkey_init(&pk), 0);
  gnutls_datum_t kd = {(unsigned char *)kpem, (unsigned int)klen};
  int grc = gnutls_privkey_import_x509_raw(pk, &kd, GNUTLS_X509_FMT_PEM,
                                           NULL, 0);
  cr_assert_eq(grc, 0, "gnutls_privkey_import_x509_raw: %s",
               gnutls_strerror(grc));

  gnutls_x509_crt_t crt;
  cr_assert_eq(gnutls_x509_crt_init(&crt), 0);
  gnutls_datum_t cd = {(unsigned char *)cpem, (unsigned int)clen};
  grc = gnutls_x509_crt_import(crt, &cd, GNUTLS_X509_FMT_PEM);
  cr_assert_eq(grc, 0, "gnutls_x509_crt_import: %s", gnutls_strerror(grc));
  gnutls_datum_t der = {NULL, 0};
  grc = gnutls_x509_crt_export2(crt, GNUTLS_X509_FMT_DER, &der);
  cr_assert_eq(grc, 0, "gnutls_x509_crt_export2: %s", gnutls_strerror(grc));
  char *x5c = b64_encode(der.data, der.size, 0);
  cr_assert_not_null(x5c);
  gnutls_free(der.data);
  gnutls_x509_crt_deinit(crt);
  memset(kpem, 0, klen);
  free(kpem);
  free(cpem);

  pthread_mutex_lock(&ti->mu);
  if (ti->privkey)
    gnutls_privkey_deinit((gnutls_privkey_t)ti->privkey);
  ti->privkey = pk;
  free(ti->x5c);
  ti->x5c = x5c;
  ti->key_generation = gen;
  snprintf(ti->key_file, sizeof ti->key_file, "%s", key);
  snprintf(ti->cert_file, sizeof ti->cert_file, "%s", cert);
  pthread_mutex_unlock(&ti->mu);
}

/* ---- JWT ------------------------------------------------------------------ */

static void add_access(json_object *access, const char *scope) {
  const char *c1 = strchr(scope, ':');
  const char *c2 = strrchr(scope, ':');
  if (!c1 || c1 == c2)
    return;
  json_object *a = json_object_new_object();
  char *type = xstrndup(scope, (size_t)(c1 - scope));
  char *name = xstrndup(c1 + 1, (size_t)(c2 - c1 - 1));
  json_object_object_add(a, "type", json_object_new_string(type ? type : ""));
  json_object_object_add(a, "name", json_object_new_string(name ? name : ""));
  free(type);
  free(name);
  json_object *acts = json_object_new_array();
  const char *p = c2 + 1;
  while (*p) {
    const char *e = strchr(p, ',');
    size_t n = e ? (size_t)(e - p) : strlen(p);
    if (n) {
      char *act = xstrndup(p, n);
      if (act)
        json_object_array_add(acts, json_object_new_string(act));
      free(act);
    }
    p += n;
    if (*p == ',')
      p++;
  }
  json_object_object_add(a, "actions", acts);
  json_object_array_add(access, a);
}

/* Builds and signs a token; called with ti->mu held. */
static char *make_jwt(struct ar_test_token_issuer *ti, const char *subject,
                      char *const *scopes, size_t nscopes, long expires_in,
                      time_t now) {
  json_object *h = json_object_new_object();
  json_object_object_add(h, "typ", json_object_new_string("JWT"));
  json_object_object_add(h, "alg", json_object_new_string("RS256"));
  json_object *chain = json_object_new_array();
  json_object_array_add(chain, json_object_new_string(ti->x5c));
  json_object_object_add(h, "x5c", chain);

  char jti[33];
  ar_test_random_hex(jti, 32);
  json_object *c = json_object_new_object();
  json_object_object_add(c, "iss", json_object_new_string(ti->issuer));
  json_object_object_add(c, "sub", json_object_new_string(subject));
  json_object_object_add(c, "aud", json_object_new_string(ti->service));
  json_object_object_add(c, "exp", json_object_new_int64(now + expires_in));
  json_object_object_add(c, "nbf", json_object_new_int64(now - 1));
  json_object_object_add(c, "iat", json_object_new_int64(now));
  json_object_object_add(c, "jti", json_object_new_string(jti));
  json_object *access = json_object_new_array();
  for (size_t i = 0; i < nscopes; i++)
    add_access(access, scopes[i]);
  json_object_object_add(c, "access", access);

  const char *hs = json_object_to_json_string_ext(h, JSON_FLAGS);
  const char *cs = json_object_to_json_string_ext(c, JSON_FLAGS);
  char *h64 = b64_encode((const unsigned char *)hs, strlen(hs), 1);
  char *c64 = b64_encode((const unsigned char *)cs, strlen(cs), 1);
  json_object_put(h);
  json_object_put(c);
  if (!h64 || !c64) {
    free(h64);
    free(c64);
    return NULL;
  }
  struct buf input = {0};
  buf_str(&input, h64);
  buf_str(&input, ".");
  buf_str(&input, c64);
  free(h64);
  free(c64);
  if (input.oom) {
    free(input.p);
    return NULL;
  }
  gnutls_datum_t data = {(unsigned char *)input.p, (unsigned int)input.len};
  gnutls_datum_t sig = {NULL, 0};
  int rc = gnutls_privkey_sign_data((gnutls_privkey_t)ti->privkey,
                                    GNUTLS_DIG_SHA256, 0, &data, &sig);
  if (rc < 0) {
    free(input.p);
    return NULL;
  }
  char *s64 = b64_encode(sig.data, sig.size, 1);
  gnutls_free(sig.data);
  if (!s64) {
    free(input.p);
    return NULL;
  }
  buf_str(&input, ".");
  buf_str(&input, s64);
  free(s64);
  if (input.oom) {
    free(input.p);
    return NULL;
  }
  return input.p;
}

char *ar_test_jwt_claims(const char *jwt) {
  const char *d1 = strchr(jwt, '.');
  if (!d1)
    return NULL;
  const char *d2 = strchr(d1 + 1, '.');
  if (!d2 || strchr(d2 + 1, '.'))
    return NULL;
  size_t n = 0;
  unsigned char *raw = b64_decode(d1 + 1, (size_t)(d2 - d1 - 1), &n);
  return (char *)raw;
}

/* ---- HTTP ----------------------------------------------------------------- */

static void send_all(int fd, const char *p, size_t n) {
  while (n) {
    ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
    if (w < 0 && errno == EINTR)
      continue;
    if (w <= 0)
      return;
    p += w;
    n -= (size_t)w;
  }
}

static void respond(int fd, int status, const char *reason,
                    const char *extra_header, const char *body) {
  struct buf b = {0};
  buf_fmt(&b,
          "HTTP/1.1 %d %s\r\nContent-Type: application/json\r\n"
          "Content-Length: %zu\r\nConnection: close\r\n%s\r\n%s",
          status, reason, strlen(body), extra_header ? extra_header : "",
          body);
  if (!b.oom)
    send_all(fd, b.p, b.len);
  free(b.p);
}

/* Value of header `name` (case-insensitive) in the header block, malloc'd,
 * or NULL. */
static char *header_value(const char *head, const char *name) {
  size_t nl = strlen(name);
  const char *line = strstr(head, "\r\n");
  while (line && line[2] && !(line[2] == '\r' && line[3] == '\n')) {
    line += 2;
    const char *end = strstr(line, "\r\n");
    if (!end)
      end = line + strlen(line);
    if ((size_t)(end - line) > nl && line[nl] == ':' &&
        strncasecmp(line, name, nl) == 0) {
      const char *v = line + nl + 1;
      while (v < end && (*v == ' ' || *v == '\t'))
        v++;
      const char *ve = end;
      while (ve > v && (ve[-1] == ' ' || ve[-1] == '\t'))
        ve--;
      return xstrndup(v, (size_t)(ve - v));
    }
    line = end;
  }
  return NULL;
}

static void record(struct ar_test_token_issuer *ti,
                   struct ar_test_token_request *r) {
  pthread_mutex_lock(&ti->mu);
  if (ti->nreqs == ti->capreqs) {
    size_t cap = ti->capreqs ? ti->capreqs * 2 : 16;
    struct ar_test_token_request *n =
        realloc(ti->reqs, cap * sizeof *ti->reqs);
    if (!n) {
      pthread_mutex_unlock(&ti->mu);
      free(r->service);
      free(r->account);
      for (size_t i = 0; i < r->nscopes; i++)
        free(r->scopes[i]);
      free(r->scopes);
      return;
    }
    ti->reqs = n;
    ti->capreqs = cap;
  }
  ti->reqs[ti->nreqs++] = *r;
  pthread_mutex_unlock(&ti->mu);
}

static void remember_token(struct ar_test_token_issuer *ti, const char *t) {
  /* ti->mu held */
  if (ti->ntokens == ti->captokens) {
    size_t cap = ti->captokens ? ti->captokens * 2 : 16;
    char **n = realloc(ti->tokens, cap * sizeof *ti->tokens);
    if (!n)
      return;
    ti->tokens = n;
    ti->captokens = cap;
  }
  char *copy = xstrdup(t);
  if (copy)
    ti->tokens[ti->ntokens++] = copy;
}

static void check_basic(struct ar_test_token_issuer *ti, const char *authz,
                        struct ar_test_token_request *r) {
  if (!authz) {
    r->auth = "none";
    return;
  }
  if (strncasecmp(authz, "Basic ", 6) != 0) {
    r->auth = "other";
    return;
  }
  size_t n = 0;
  const char *v = authz + 6;
  unsigned char *raw = b64_decode(v, strlen(v), &n);
  if (!raw) {
    r->auth = "bad";
    return;
  }
  struct buf want = {0};
  buf_str(&want, ti->username);
  buf_str(&want, ":");
  buf_str(&want, ti->password);
  if (!ti->username[0])
    r->auth = "basic"; /* anonymous issuer: any credentials are fine */
  else
    r->auth = (!want.oom && n == want.len && memcmp(raw, want.p, n) == 0)
                  ? "basic"
                  : "bad";
  memset(raw, 0, n);
  free(raw);
  free(want.p);
}

static void handle(struct ar_test_token_issuer *ti, int fd) {
  struct timeval tv = {5, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  char *req = malloc(MAX_REQUEST + 1);
  if (!req)
    return;
  size_t len = 0;
  while (len < MAX_REQUEST) {
    ssize_t n = recv(fd, req + len, MAX_REQUEST - len, 0);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      break;
    len += (size_t)n;
    req[len] = '\0';
    if (strstr(req, "\r\n\r\n"))
      break;
  }
  req[len] = '\0';
  struct ar_test_token_request r;
  memset(&r, 0, sizeof r);
  r.auth = "none";
  const char *sp1 = strchr(req, ' ');
  const char *sp2 = sp1 ? strchr(sp1 + 1, ' ') : NULL;
  if (!strstr(req, "\r\n\r\n") || !sp1 || !sp2) {
    r.status = 400;
    record(ti, &r);
    respond(fd, 400, "Bad Request", NULL,
            "{\"details\":\"malformed request\"}");
    free(req);
    return;
  }
  const char *target = sp1 + 1;
  size_t tlen = (size_t)(sp2 - target);
  const char *q = memchr(target, '?', tlen);
  size_t plen = q ? (size_t)(q - target) : tlen;
  if ((size_t)(sp1 - req) != 3 || memcmp(req, "GET", 3) != 0 || plen != 6 ||
      memcmp(target, "/token", 6) != 0) {
    r.status = 404;
    record(ti, &r);
    respond(fd, 404, "Not Found", NULL, "{\"details\":\"not found\"}");
    free(req);
    return;
  }
  /* query parameters */
  if (q) {
    const char *p = q + 1;
    const char *end = target + tlen;
    while (p < end) {
      const char *amp = memchr(p, '&', (size_t)(end - p));
      const char *pe = amp ? amp : end;
      const char *eq = memchr(p, '=', (size_t)(pe - p));
      if (eq) {
        char *k = url_decode(p, (size_t)(eq - p));
        char *v = url_decode(eq + 1, (size_t)(pe - eq - 1));
        if (k && v && strcmp(k, "service") == 0 && !r.service) {
          r.service = v;
          v = NULL;
        } else if (k && v && strcmp(k, "account") == 0 && !r.account) {
          r.account = v;
          v = NULL;
        } else if (k && v && strcmp(k, "scope") == 0) {
          /* one parameter may carry several space-separated scopes */
          const char *sc = v;
          while (*sc) {
            while (*sc == ' ')
              sc++;
            size_t sl = strcspn(sc, " ");
            if (!sl)
              break;
            char **ns = realloc(r.scopes, (r.nscopes + 1) * sizeof *ns);
            if (ns)
              r.scopes = ns;
            char *copy = ns ? xstrndup(sc, sl) : NULL;
            if (copy)
              r.scopes[r.nscopes++] = copy;
            sc += sl;
          }
        }
        free(k);
        free(v);
      }
      p = amp ? amp + 1 : end;
    }
  }
  char *authz = header_value(req, "Authorization");
  memset(req, 0, len);
  free(req);
  pthread_mutex_lock(&ti->mu);
  check_basic(ti, authz, &r);
  int need_auth = ti->username[0] != '\0';
  pthread_mutex_unlock(&ti->mu);
  if (authz) {
    memset(authz, 0, strlen(authz));
    free(authz);
  }
  if (need_auth && strcmp(r.auth, "basic") != 0) {
    r.status = 401;
    record(ti, &r);
    respond(fd, 401, "Unauthorized",
            "WWW-Authenticate: Basic realm=\"alien-test-token\"\r\n",
            "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":"
            "\"authentication required\"}]}");
    return;
  }
  if (!r.service || strcmp(r.service, ti->service) != 0) {
    r.status = 400;
    record(ti, &r);
    respond(fd, 400, "Bad Request", NULL,
            "{\"errors\":[{\"code\":\"UNSUPPORTED\",\"message\":"
            "\"unknown service\"}]}");
    return;
  }
  time_t now = time(NULL);
  const char *subject = r.account ? r.account : "";
  pthread_mutex_lock(&ti->mu);
  long expires_in = ti->expires_in;
  char *jwt = make_jwt(ti, subject, r.scopes, r.nscopes, expires_in, now);
  if (jwt)
    remember_token(ti, jwt);
  pthread_mutex_unlock(&ti->mu);
  if (!jwt) {
    r.status = 500;
    record(ti, &r);
    respond(fd, 500, "Internal Server Error", NULL,
            "{\"details\":\"signing failed\"}");
    return;
  }
  char iso[32];
  iso_utc(now, iso);
  struct buf body = {0};
  buf_fmt(&body,
          "{\"token\":\"%s\",\"access_token\":\"%s\",\"expires_in\":%ld,"
          "\"issued_at\":\"%s\"}",
          jwt, jwt, expires_in, iso);
  free(jwt);
  r.status = body.oom ? 500 : 200;
  record(ti, &r);
  if (body.oom)
    respond(fd, 500, "Internal Server Error", NULL, "{}");
  else
    respond(fd, 200, "OK", NULL, body.p);
  free(body.p);
}

static void *serve(void *arg) {
  struct ar_test_token_issuer *ti = arg;
  for (;;) {
    struct pollfd pf[2] = {{ti->listen_fd, POLLIN, 0},
                           {ti->wake[0], POLLIN, 0}};
    int n = poll(pf, 2, -1);
    if (n < 0) {
      if (errno == EINTR)
        continue;
      break;
    }
    if (pf[1].revents)
      break;
    if (pf[0].revents & POLLIN) {
      int fd = accept4(ti->listen_fd, NULL, NULL, SOCK_CLOEXEC);
      if (fd < 0)
        continue;
      handle(ti, fd);
      shutdown(fd, SHUT_WR);
      close(fd);
    }
  }
  return NULL;
}

/* ---- public --------------------------------------------------------------- */

void ar_test_token_issuer_start(struct ar_test_token_issuer *ti,
                                const struct ar_test_token_issuer_options *o) {
  static const struct ar_test_token_issuer_options defaults = {0};
  if (!o)
    o = &defaults;
  memset(ti, 0, sizeof *ti);
  ti->listen_fd = -1;
  ti->wake[0] = ti->wake[1] = -1;
  pthread_mutex_init(&ti->mu, NULL);
  snprintf(ti->service, sizeof ti->service, "%s",
           o->service ? o->service : "alien-test-registry");
  snprintf(ti->issuer, sizeof ti->issuer, "%s",
           o->issuer ? o->issuer : "alien-test-issuer");
  if (o->username) {
    snprintf(ti->username, sizeof ti->username, "%s", o->username);
    snprintf(ti->password, sizeof ti->password, "%s",
             o->password ? o->password : "");
  }
  ti->expires_in = o->expires_in > 0 ? o->expires_in : 300;
  static const char tmpl[] = "/tmp/alien-ar-tok-XXXXXX";
  memcpy(ti->dir, tmpl, sizeof tmpl);
  cr_assert_not_null(mkdtemp(ti->dir), "mkdtemp: %s", strerror(errno));
  load_new_key(ti);

  ti->listen_fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  cr_assert(ti->listen_fd >= 0, "socket: %s", strerror(errno));
  struct sockaddr_in a;
  memset(&a, 0, sizeof a);
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  cr_assert_eq(bind(ti->listen_fd, (struct sockaddr *)&a, sizeof a), 0,
               "bind: %s", strerror(errno));
  cr_assert_eq(listen(ti->listen_fd, 64), 0, "listen: %s", strerror(errno));
  socklen_t alen = sizeof a;
  cr_assert_eq(getsockname(ti->listen_fd, (struct sockaddr *)&a, &alen), 0);
  ti->port = ntohs(a.sin_port);
  snprintf(ti->realm, sizeof ti->realm, "http://127.0.0.1:%d/token",
           ti->port);
  cr_assert_eq(pipe2(ti->wake, O_CLOEXEC), 0, "pipe2: %s", strerror(errno));
  cr_assert_eq(pthread_create(&ti->thread, NULL, serve, ti), 0);
  ti->running = 1;
}

void ar_test_token_issuer_stop(struct ar_test_token_issuer *ti) {
  if (!ti || !ti->dir[0])
    return;
  if (ti->running) {
    ssize_t w = write(ti->wake[1], "x", 1);
    (void)w;
    pthread_join(ti->thread, NULL);
    ti->running = 0;
  }
  if (ti->listen_fd >= 0)
    close(ti->listen_fd);
  for (int i = 0; i < 2; i++)
    if (ti->wake[i] >= 0)
      close(ti->wake[i]);
  if (ti->privkey)
    gnutls_privkey_deinit((gnutls_privkey_t)ti->privkey);
  free(ti->x5c);
  for (size_t i = 0; i < ti->nreqs; i++) {
    free(ti->reqs[i].service);
    free(ti->reqs[i].account);
    for (size_t j = 0; j < ti->reqs[i].nscopes; j++)
      free(ti->reqs[i].scopes[j]);
    free(ti->reqs[i].scopes);
  }
  free(ti->reqs);
  for (size_t i = 0; i < ti->ntokens; i++)
    free(ti->tokens[i]);
  free(ti->tokens);
  pthread_mutex_destroy(&ti->mu);
  ar_test_rm_rf(ti->dir);
  memset(ti, 0, sizeof *ti);
}

void ar_test_token_issuer_set_expires_in(struct ar_test_token_issuer *ti,
                                         long seconds) {
  pthread_mutex_lock(&ti->mu);
  ti->expires_in = seconds;
  pthread_mutex_unlock(&ti->mu);
}

void ar_test_token_issuer_rotate_key(struct ar_test_token_issuer *ti) {
  load_new_key(ti);
}

char *ar_test_token_issuer_mint(struct ar_test_token_issuer *ti,
                                const char *const scopes[], long expires_in) {
  size_t n = 0;
  while (scopes && scopes[n])
    n++;
  pthread_mutex_lock(&ti->mu);
  char *jwt = make_jwt(ti, "alien-test", (char *const *)scopes, n,
                       expires_in, time(NULL));
  pthread_mutex_unlock(&ti->mu);
  cr_assert_not_null(jwt, "minting a token failed");
  return jwt;
}

int ar_test_token_issuer_total(struct ar_test_token_issuer *ti) {
  pthread_mutex_lock(&ti->mu);
  int n = (int)ti->nreqs;
  pthread_mutex_unlock(&ti->mu);
  return n;
}

static int count_status(struct ar_test_token_issuer *ti, int want_ok) {
  pthread_mutex_lock(&ti->mu);
  int n = 0;
  for (size_t i = 0; i < ti->nreqs; i++) {
    int st = ti->reqs[i].status;
    if (want_ok ? st == 200 : (st == 401 || st == 400))
      n++;
  }
  pthread_mutex_unlock(&ti->mu);
  return n;
}

int ar_test_token_issuer_granted(struct ar_test_token_issuer *ti) {
  return count_status(ti, 1);
}

int ar_test_token_issuer_refused(struct ar_test_token_issuer *ti) {
  return count_status(ti, 0);
}

int ar_test_token_issuer_count_scope(struct ar_test_token_issuer *ti,
                                     const char *scope) {
  pthread_mutex_lock(&ti->mu);
  int n = 0;
  for (size_t i = 0; i < ti->nreqs; i++) {
    if (ti->reqs[i].status != 200)
      continue;
    for (size_t j = 0; j < ti->reqs[i].nscopes; j++)
      if (strcmp(ti->reqs[i].scopes[j], scope) == 0) {
        n++;
        break;
      }
  }
  pthread_mutex_unlock(&ti->mu);
  return n;
}

/* Splits "repository:NAME:ACTIONS"; returns 0 when it is not one. */
static int split_scope(const char *scope, const char **name, size_t *nlen,
                       const char **actions) {
  static const char prefix[] = "repository:";
  if (strncmp(scope, prefix, sizeof prefix - 1) != 0)
    return 0;
  const char *n = scope + sizeof prefix - 1;
  const char *c = strrchr(n, ':');
  if (!c)
    return 0;
  *name = n;
  *nlen = (size_t)(c - n);
  *actions = c + 1;
  return 1;
}

static int has_action(const char *list, const char *action) {
  size_t al = strlen(action);
  const char *p = list;
  while (*p) {
    const char *e = strchr(p, ',');
    size_t n = e ? (size_t)(e - p) : strlen(p);
    if (n == al && memcmp(p, action, n) == 0)
      return 1;
    p += n;
    if (*p == ',')
      p++;
  }
  return 0;
}

/* Same set of actions (duplicates ignored). */
static int same_actions(const char *a, const char *b) {
  const char *lists[2][2] = {{a, b}, {b, a}};
  for (int k = 0; k < 2; k++) {
    const char *p = lists[k][0];
    while (*p) {
      const char *e = strchr(p, ',');
      size_t n = e ? (size_t)(e - p) : strlen(p);
      char one[64];
      if (n >= sizeof one)
        return 0;
      memcpy(one, p, n);
      one[n] = '\0';
      if (n && !has_action(lists[k][1], one))
        return 0;
      p += n;
      if (*p == ',')
        p++;
    }
  }
  return 1;
}

static int scope_matches(const char *scope, const char *repo,
                         const char *actions, const char *action) {
  const char *name, *acts;
  size_t nlen;
  if (!split_scope(scope, &name, &nlen, &acts))
    return 0;
  if (nlen != strlen(repo) || memcmp(name, repo, nlen) != 0)
    return 0;
  if (actions && !same_actions(acts, actions))
    return 0;
  if (action && !has_action(acts, action))
    return 0;
  return 1;
}

static int count_matching(struct ar_test_token_issuer *ti, const char *repo,
                          const char *actions, const char *action) {
  pthread_mutex_lock(&ti->mu);
  int n = 0;
  for (size_t i = 0; i < ti->nreqs; i++) {
    if (ti->reqs[i].status != 200)
      continue;
    for (size_t j = 0; j < ti->reqs[i].nscopes; j++)
      if (scope_matches(ti->reqs[i].scopes[j], repo, actions, action)) {
        n++;
        break;
      }
  }
  pthread_mutex_unlock(&ti->mu);
  return n;
}

int ar_test_token_issuer_count_repo(struct ar_test_token_issuer *ti,
                                    const char *repo, const char *actions) {
  return count_matching(ti, repo, actions, NULL);
}

int ar_test_token_issuer_count_action(struct ar_test_token_issuer *ti,
                                      const char *repo, const char *action) {
  return count_matching(ti, repo, NULL, action);
}

/* Does scope `have` equal `want` (same type and name, same action set)? */
static int scope_equal(const char *have, const char *want) {
  const char *wn, *wa;
  size_t wl;
  if (!split_scope(want, &wn, &wl, &wa))
    return strcmp(have, want) == 0;
  char repo[512];
  if (wl >= sizeof repo)
    return 0;
  memcpy(repo, wn, wl);
  repo[wl] = '\0';
  return scope_matches(have, repo, wa, NULL);
}

int ar_test_token_issuer_count_exact(struct ar_test_token_issuer *ti,
                                     const char *const scopes[]) {
  size_t nwant = 0;
  while (scopes[nwant])
    nwant++;
  pthread_mutex_lock(&ti->mu);
  int n = 0;
  for (size_t i = 0; i < ti->nreqs; i++) {
    const struct ar_test_token_request *r = &ti->reqs[i];
    if (r->status != 200)
      continue;
    int ok = 1;
    for (size_t w = 0; ok && w < nwant; w++) {
      int found = 0;
      for (size_t j = 0; !found && j < r->nscopes; j++)
        found = scope_equal(r->scopes[j], scopes[w]);
      ok = found;
    }
    for (size_t j = 0; ok && j < r->nscopes; j++) {
      int found = 0;
      for (size_t w = 0; !found && w < nwant; w++)
        found = scope_equal(r->scopes[j], scopes[w]);
      ok = found;
    }
    if (ok)
      n++;
  }
  pthread_mutex_unlock(&ti->mu);
  return n;
}

int ar_test_token_issuer_count_including(struct ar_test_token_issuer *ti,
                                         const char *const scopes[]) {
  pthread_mutex_lock(&ti->mu);
  int n = 0;
  for (size_t i = 0; i < ti->nreqs; i++) {
    const struct ar_test_token_request *r = &ti->reqs[i];
    if (r->status != 200)
      continue;
    int ok = 1;
    for (size_t w = 0; ok && scopes[w]; w++) {
      int found = 0;
      for (size_t j = 0; !found && j < r->nscopes; j++)
        found = scope_equal(r->scopes[j], scopes[w]);
      ok = found;
    }
    if (ok)
      n++;
  }
  pthread_mutex_unlock(&ti->mu);
  return n;
}

char *ar_test_token_issuer_describe(struct ar_test_token_issuer *ti) {
  struct buf b = {0};
  pthread_mutex_lock(&ti->mu);
  buf_fmt(&b, "token issuer %s: %zu request(s)\n", ti->realm, ti->nreqs);
  for (size_t i = 0; i < ti->nreqs; i++) {
    const struct ar_test_token_request *r = &ti->reqs[i];
    buf_fmt(&b, "  #%zu %d auth=%s service=%s account=%s scopes=[", i + 1,
            r->status, r->auth, r->service ? r->service : "(none)",
            r->account ? r->account : "(none)");
    for (size_t j = 0; j < r->nscopes; j++)
      buf_fmt(&b, "%s%s", j ? " " : "", r->scopes[j]);
    buf_str(&b, "]\n");
  }
  pthread_mutex_unlock(&ti->mu);
  cr_assert(!b.oom && b.p);
  return b.p;
}

int ar_test_token_issuer_leaked_in(struct ar_test_token_issuer *ti,
                                   const char *text) {
  int leaked = 0;
  pthread_mutex_lock(&ti->mu);
  for (size_t i = 0; !leaked && i < ti->ntokens; i++) {
    const char *t = ti->tokens[i];
    const char *d1 = strchr(t, '.');
    const char *d2 = d1 ? strchr(d1 + 1, '.') : NULL;
    if (strstr(text, t))
      leaked = 1;
    if (!leaked && d1 && d2) {
      char piece[40];
      /* the claims segment (unique per token: jti) */
      size_t plen = (size_t)(d2 - d1 - 1);
      char *payload = xstrndup(d1 + 1, plen);
      if (payload && strstr(text, payload))
        leaked = 1;
      free(payload);
      size_t slen = strlen(d2 + 1);
      if (!leaked && slen >= 32) {
        memcpy(piece, d2 + 1, 32);
        piece[32] = '\0';
        if (strstr(text, piece))
          leaked = 1;
        memcpy(piece, d2 + 1 + slen - 32, 32);
        piece[32] = '\0';
        if (!leaked && strstr(text, piece))
          leaked = 1;
      }
    }
  }
  pthread_mutex_unlock(&ti->mu);
  return leaked;
}
