#define _GNU_SOURCE
#include "tls_registry.h"
#include "registry_fixture.h"
#include "registry_process.h"

#include <criterion/criterion.h>
#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define START_TIMEOUT_S 15.0

static const char ACCEPT_MANIFESTS[] =
    "Accept: application/vnd.oci.image.manifest.v1+json, "
    "application/vnd.oci.image.index.v1+json, "
    "application/vnd.docker.distribution.manifest.v2+json, "
    "application/vnd.docker.distribution.manifest.list.v2+json";

static long request_status(const struct ar_test_tls_registry *r,
                           const char *method, const char *path,
                           const char *authorization, long timeout_ms) {
  char url[2048], auth[8192];
  int n = snprintf(url, sizeof url, "%s%s", r->url, path);
  cr_assert(n > 0 && (size_t)n < sizeof url);
  CURL *c = curl_easy_init();
  if (!c)
    return 0;
  struct curl_slist *hdrs = curl_slist_append(NULL, ACCEPT_MANIFESTS);
  if (authorization) {
    n = snprintf(auth, sizeof auth, "Authorization: %s", authorization);
    cr_assert(n > 0 && (size_t)n < sizeof auth);
    hdrs = curl_slist_append(hdrs, auth);
  }
  long code = 0;
  curl_easy_setopt(c, CURLOPT_URL, url);
  curl_easy_setopt(c, CURLOPT_PROXY, "");
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, timeout_ms);
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, ar_test_discard_body);
  if (r->tls)
    curl_easy_setopt(c, CURLOPT_CAINFO, r->ca_file);
  if (strcmp(method, "HEAD") == 0)
    curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
  else if (strcmp(method, "GET") != 0)
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
  if (curl_easy_perform(c) == CURLE_OK)
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
  curl_slist_free_all(hdrs);
  curl_easy_cleanup(c);
  return code;
}

long ar_test_tls_registry_status(const struct ar_test_tls_registry *r,
                                 const char *method, const char *path,
                                 const char *authorization) {
  return request_status(r, method, path, authorization, 5000L);
}

static void run_ok(const char *const argv[], const char *input, size_t len,
                   const char *what) {
  char *se = NULL;
  int rc = ar_test_run(argv, input, len, NULL, NULL, &se);
  cr_assert_eq(rc, 0, "%s failed (%d): %s", what, rc, se);
  free(se);
}

static void make_certificate(struct ar_test_tls_registry *r) {
  ar_test_join_path(r->key_file, sizeof r->key_file, r->dir, "key.pem");
  ar_test_join_path(r->ca_file, sizeof r->ca_file, r->dir, "cert.pem");
  const char *const argv[] = {
      "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
      "-keyout", r->key_file, "-out", r->ca_file, "-days", "2",
      "-subj", "/CN=127.0.0.1", "-addext",
      "subjectAltName=IP:127.0.0.1,DNS:localhost", NULL};
  run_ok(argv, NULL, 0, "openssl req (registry certificate)");
  ar_test_join_path(r->cert_dir, sizeof r->cert_dir, r->dir, "certs");
  cr_assert_eq(mkdir(r->cert_dir, 0700), 0, "mkdir %s: %s", r->cert_dir,
               strerror(errno));
  char ca_crt[4300];
  ar_test_join_path(ca_crt, sizeof ca_crt, r->cert_dir, "ca.crt");
  char *pem = ar_test_read_file(r->ca_file, NULL);
  cr_assert_eq(ar_test_write_file(ca_crt, pem, strlen(pem)), 0);
  free(pem);
}

static void make_htpasswd(struct ar_test_tls_registry *r) {
  char path[4200];
  ar_test_join_path(path, sizeof path, r->dir, "htpasswd");
  /* -i: the password comes from stdin, never on a command line */
  const char *const argv[] = {"htpasswd", "-iBn", r->username, NULL};
  char *out = NULL, *se = NULL;
  int rc = ar_test_run(argv, r->password, strlen(r->password), &out, NULL,
                       &se);
  cr_assert_eq(rc, 0, "htpasswd failed (%d): %s", rc, se);
  cr_assert(strncmp(strchr(out, ':') ? strchr(out, ':') + 1 : "", "$2y$",
                    4) == 0,
            "htpasswd did not produce a bcrypt entry: %s", out);
  cr_assert_eq(ar_test_write_file(path, out, strlen(out)), 0);
  free(out);
  free(se);
}

static void write_config(const struct ar_test_tls_registry *r) {
  char tls[9000] = "", auth[9000] = "";
  int n;
  if (r->tls) {
    n = snprintf(tls, sizeof tls,
                 "  tls:\n"
                 "    certificate: %s\n"
                 "    key: %s\n",
                 r->ca_file, r->key_file);
    cr_assert(n > 0 && (size_t)n < sizeof tls);
  }
  if (r->auth == AR_TEST_AUTH_BASIC) {
    n = snprintf(auth, sizeof auth,
                 "auth:\n"
                 "  htpasswd:\n"
                 "    realm: alien-test-realm\n"
                 "    path: %s/htpasswd\n",
                 r->dir);
    cr_assert(n > 0 && (size_t)n < sizeof auth);
  } else if (r->auth == AR_TEST_AUTH_TOKEN) {
    n = snprintf(auth, sizeof auth,
                 "auth:\n"
                 "  token:\n"
                 "    realm: %s\n"
                 "    service: %s\n"
                 "    issuer: %s\n"
                 "    rootcertbundle: %s\n",
                 r->issuer->realm, r->issuer->service, r->issuer->issuer,
                 r->issuer->cert_file);
    cr_assert(n > 0 && (size_t)n < sizeof auth);
  }
  char tail[18000];
  n = snprintf(tail, sizeof tail, "%s%s", tls, auth);
  cr_assert(n >= 0 && (size_t)n < sizeof tail); /* "" for plain http */
  ar_test_registry_write_config(r->dir, r->access_log, r->delete_disabled,
                                r->port, tail);
}

static void start_failed(struct ar_test_tls_registry *r, const char *why) {
  char *log = ar_test_tls_registry_log(r);
  ar_test_tls_registry_stop(r);
  cr_assert_fail("TLS registry start failed: %s\n--- registry.log ---\n%s",
                 why, log);
}

/* Waits for the port (when unknown) and for GET /v2/ to answer. */
static void wait_ready(struct ar_test_tls_registry *r, int known_port) {
  double deadline = ar_test_now() + START_TIMEOUT_S;
  if (!known_port) {
    const char *why = NULL;
    r->port = ar_test_registry_await_port(&r->pid, r->dir, deadline, &why);
    if (!r->port)
      start_failed(r, why);
  }
  snprintf(r->hostport, sizeof r->hostport, "localhost:%d", r->port);
  snprintf(r->ip_hostport, sizeof r->ip_hostport, "127.0.0.1:%d", r->port);
  snprintf(r->url, sizeof r->url, "%s://127.0.0.1:%d",
           r->tls ? "https" : "http", r->port);
  long want = r->auth == AR_TEST_AUTH_NONE ? 200 : 401;
  for (;;) {
    long got = request_status(r, "GET", "/v2/?alien-sync=ready", NULL, 1000L);
    if (got == want)
      break;
    int st;
    if (waitpid(r->pid, &st, WNOHANG) == r->pid) {
      r->pid = 0;
      start_failed(r, "docker-registry exited");
    }
    if (ar_test_now() > deadline) {
      char why[128];
      snprintf(why, sizeof why, "GET /v2/ answered %ld, not %ld, in time",
               got, want);
      start_failed(r, why);
    }
    ar_test_sleep_ms(10);
  }
}

void ar_test_tls_registry_start(struct ar_test_tls_registry *r,
                                const struct ar_test_tls_registry_options *o) {
  static const struct ar_test_tls_registry_options defaults = {0};
  if (!o)
    o = &defaults;
  memset(r, 0, sizeof *r);
  r->tls = !o->plain_http;
  r->auth = o->auth;
  r->access_log = o->access_log;
  r->delete_disabled = o->delete_disabled;
  r->issuer = o->issuer;
  if (r->auth == AR_TEST_AUTH_TOKEN)
    cr_assert(r->issuer && r->issuer->port,
              "token auth needs a started token issuer");
  static const char tmpl[] = "/tmp/alien-ar-tls-XXXXXX";
  memcpy(r->dir, tmpl, sizeof tmpl);
  cr_assert_not_null(mkdtemp(r->dir), "mkdtemp: %s", strerror(errno));
  if (r->tls)
    make_certificate(r);
  if (r->auth == AR_TEST_AUTH_BASIC) {
    snprintf(r->username, sizeof r->username, "%s",
             o->username ? o->username : "testuser");
    if (o->password) {
      snprintf(r->password, sizeof r->password, "%s", o->password);
    } else {
      char hex[25];
      ar_test_random_hex(hex, 24);
      snprintf(r->password, sizeof r->password, "pw-%s", hex);
    }
    make_htpasswd(r);
  }
  write_config(r);
  r->pid = ar_test_registry_spawn(r->dir, 0);
  wait_ready(r, 0);
}

void ar_test_tls_registry_stop(struct ar_test_tls_registry *r) {
  if (!r)
    return;
  ar_test_registry_kill(&r->pid);
  ar_test_rm_rf(r->dir);
  r->dir[0] = '\0';
  r->port = 0;
}

void ar_test_tls_registry_restart(struct ar_test_tls_registry *r) {
  cr_assert(r->dir[0] && r->port, "restart of a registry never started");
  ar_test_registry_kill(&r->pid);
  write_config(r); /* same port, the issuer's current certificate */
  r->pid = ar_test_registry_spawn(r->dir, 1);
  wait_ready(r, 1);
}

char *ar_test_tls_registry_log(const struct ar_test_tls_registry *r) {
  char logp[4200];
  ar_test_join_path(logp, sizeof logp, r->dir, "registry.log");
  return ar_test_read_file(logp, NULL);
}

static long get_status(const void *ctx, const char *path) {
  return request_status(ctx, "GET", path, NULL, 5000L);
}

/* The whole log once every request answered so far is in it. */
static char *synced_log(struct ar_test_tls_registry *r) {
  cr_assert(r->access_log, "access-log helpers need access_log");
  return ar_test_registry_synced_log(r->dir, get_status, r);
}

int ar_test_tls_registry_count_requests(struct ar_test_tls_registry *r,
                                        const char *method, const char *path,
                                        const char *proto) {
  char *log = synced_log(r);
  int count = ar_test_access_count(log, method, path, proto);
  free(log);
  return count;
}

char *ar_test_tls_registry_access_lines(struct ar_test_tls_registry *r) {
  char *log = synced_log(r);
  size_t cap = strlen(log) + 1, len = 0;
  char *out = malloc(cap);
  cr_assert_not_null(out);
  out[0] = '\0';
  for (const char *line = log; *line;) {
    const char *end = strchr(line, '\n');
    if (!end)
      end = line + strlen(line);
    if (ar_test_access_line_is(line, end, NULL, NULL, NULL)) {
      /* "METHOD PATH PROTO" STATUS ... -> METHOD PATH PROTO STATUS */
      const char *q1 = memchr(line, '"', (size_t)(end - line));
      const char *q2 = memchr(q1 + 1, '"', (size_t)(end - q1 - 1));
      const char *st = q2 + 1;
      while (st < end && *st == ' ')
        st++;
      const char *ste = st;
      while (ste < end && *ste != ' ')
        ste++;
      size_t n1 = (size_t)(q2 - q1 - 1), n2 = (size_t)(ste - st);
      if (len + n1 + n2 + 3 <= cap) {
        memcpy(out + len, q1 + 1, n1);
        len += n1;
        out[len++] = ' ';
        memcpy(out + len, st, n2);
        len += n2;
        out[len++] = '\n';
        out[len] = '\0';
      }
    }
    line = *end ? end + 1 : end;
  }
  free(log);
  return out;
}

static int skopeo(const struct ar_test_tls_registry *r, const char *const *mid,
                  size_t nmid, const char *creds, const char *token,
                  const char *const *tail, size_t ntail, char **out,
                  size_t *out_len, char **err) {
  const char *argv[32];
  char certdir[4300];
  size_t n = 0;
  argv[n++] = "skopeo";
  for (size_t i = 0; i < nmid; i++)
    argv[n++] = mid[i];
  if (r->tls) {
    snprintf(certdir, sizeof certdir, "--cert-dir=%s", r->cert_dir);
    argv[n++] = certdir;
  } else {
    argv[n++] = "--tls-verify=false";
  }
  if (creds) {
    argv[n++] = "--creds";
    argv[n++] = creds;
  }
  if (token) {
    argv[n++] = "--registry-token";
    argv[n++] = token;
  }
  for (size_t i = 0; i < ntail; i++)
    argv[n++] = tail[i];
  argv[n] = NULL;
  cr_assert(n < sizeof argv / sizeof argv[0]);
  return ar_test_run(argv, NULL, 0, out, out_len, err);
}

int ar_test_tls_skopeo_inspect(const struct ar_test_tls_registry *r,
                               const char *name, const char *tag,
                               const char *creds, const char *token, int raw,
                               char **out, size_t *out_len, char **err) {
  char ref[1024];
  int n = snprintf(ref, sizeof ref, "docker://%s/%s:%s", r->ip_hostport,
                   name, tag);
  cr_assert(n > 0 && (size_t)n < sizeof ref);
  const char *mid_raw[] = {"inspect", "--raw"};
  const char *mid[] = {"inspect"};
  const char *tail[] = {ref};
  return skopeo(r, raw ? mid_raw : mid, raw ? 2 : 1, creds, token, tail, 1,
                out, out_len, err);
}

int ar_test_tls_skopeo_copy(const struct ar_test_tls_registry *r,
                            const char *src, const char *dst,
                            const char *creds, char **err) {
  char s[1024], d[1024], sc[4300], dc[4300], screds[512], dcreds[512];
  int n = snprintf(s, sizeof s, "docker://%s/%s", r->ip_hostport, src);
  cr_assert(n > 0 && (size_t)n < sizeof s);
  n = snprintf(d, sizeof d, "docker://%s/%s", r->ip_hostport, dst);
  cr_assert(n > 0 && (size_t)n < sizeof d);
  const char *argv[16];
  size_t k = 0;
  argv[k++] = "skopeo";
  argv[k++] = "copy";
  argv[k++] = "-q";
  if (r->tls) {
    snprintf(sc, sizeof sc, "--src-cert-dir=%s", r->cert_dir);
    snprintf(dc, sizeof dc, "--dest-cert-dir=%s", r->cert_dir);
    argv[k++] = sc;
    argv[k++] = dc;
  } else {
    argv[k++] = "--src-tls-verify=false";
    argv[k++] = "--dest-tls-verify=false";
  }
  if (creds) {
    snprintf(screds, sizeof screds, "--src-creds=%s", creds);
    snprintf(dcreds, sizeof dcreds, "--dest-creds=%s", creds);
    argv[k++] = screds;
    argv[k++] = dcreds;
  }
  argv[k++] = s;
  argv[k++] = d;
  argv[k] = NULL;
  return ar_test_run(argv, NULL, 0, NULL, NULL, err);
}

void ar_test_tls_skopeo_push_image(const struct ar_test_tls_registry *r,
                                   const char *name, const char *tag,
                                   const char *creds, char digest_out[72]) {
  char dir[] = "/tmp/alien-ar-timg-XXXXXX";
  cr_assert_not_null(mkdtemp(dir));
  char layout[4200];
  ar_test_layout_new(dir, layout, sizeof layout);
  static const char config[] =
      "{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":"
      "\"layers\",\"diff_ids\":[]},\"config\":{}}";
  char cdigest[72];
  ar_test_layout_blob(layout, config, sizeof config - 1, cdigest);

  char nonce[17], manifest[1024];
  ar_test_random_hex(nonce, 16);
  int mn = snprintf(
      manifest, sizeof manifest,
      "{\"schemaVersion\":2,\"mediaType\":\"application/"
      "vnd.oci.image.manifest.v1+json\",\"config\":{\"mediaType\":"
      "\"application/vnd.oci.image.config.v1+json\",\"digest\":\"%s\","
      "\"size\":%zu},\"layers\":[],\"annotations\":{\"dev.alien.test\":"
      "\"%s\"}}",
      cdigest, sizeof config - 1, nonce);
  cr_assert(mn > 0 && (size_t)mn < sizeof manifest);
  ar_test_layout_blob(layout, manifest, (size_t)mn, digest_out);
  ar_test_layout_tag_v1(layout, digest_out, (size_t)mn);

  char src[4300], dst[1024], dc[4300], dcreds[512];
  snprintf(src, sizeof src, "oci:%s:v1", layout);
  int n = snprintf(dst, sizeof dst, "docker://%s/%s:%s", r->ip_hostport, name,
               tag);
  cr_assert(n > 0 && (size_t)n < sizeof dst);
  const char *argv[12];
  size_t k = 0;
  argv[k++] = "skopeo";
  argv[k++] = "copy";
  argv[k++] = "-q";
  if (r->tls) {
    snprintf(dc, sizeof dc, "--dest-cert-dir=%s", r->cert_dir);
    argv[k++] = dc;
  } else {
    argv[k++] = "--dest-tls-verify=false";
  }
  if (creds) {
    snprintf(dcreds, sizeof dcreds, "--dest-creds=%s", creds);
    argv[k++] = dcreds;
  }
  argv[k++] = src;
  argv[k++] = dst;
  argv[k] = NULL;
  char *se = NULL;
  int rc = ar_test_run(argv, NULL, 0, NULL, NULL, &se);
  ar_test_rm_rf(dir);
  cr_assert_eq(rc, 0, "skopeo copy to %s failed (%d): %s", dst, rc, se);
  free(se);
}

void ar_test_tls_registry_creds(const struct ar_test_tls_registry *r,
                                char *out, size_t size) {
  int n = snprintf(out, size, "%s:%s", r->username, r->password);
  cr_assert(n > 0 && (size_t)n < size);
}
