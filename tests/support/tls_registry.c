#define _GNU_SOURCE
#include "tls_registry.h"
#include "registry_fixture.h"

#include <criterion/criterion.h>
#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
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
#define STOP_GRACE_S 2.0

static const char ACCEPT_MANIFESTS[] =
    "Accept: application/vnd.oci.image.manifest.v1+json, "
    "application/vnd.oci.image.index.v1+json, "
    "application/vnd.docker.distribution.manifest.v2+json, "
    "application/vnd.docker.distribution.manifest.list.v2+json";

static void sleep_ms(long ms) {
  struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
  while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
  }
}

static void join_path(char *out, size_t size, const char *dir,
                      const char *name) {
  int n = snprintf(out, size, "%s/%s", dir, name);
  cr_assert(n > 0 && (size_t)n < size, "path too long: %s/%s", dir, name);
}

static int write_file(const char *path, const void *data, size_t len) {
  FILE *f = fopen(path, "wb");
  if (!f)
    return -1;
  size_t n = fwrite(data, 1, len, f);
  int rc = fclose(f);
  return (n == len && rc == 0) ? 0 : -1;
}

static char *read_file(const char *path) {
  FILE *f = fopen(path, "rb");
  size_t cap = 4096, len = 0;
  char *buf = malloc(cap);
  cr_assert_not_null(buf);
  if (f) {
    size_t n;
    while ((n = fread(buf + len, 1, cap - len - 1, f)) > 0) {
      len += n;
      if (cap - len - 1 == 0) {
        cap *= 2;
        buf = realloc(buf, cap);
        cr_assert_not_null(buf);
      }
    }
    fclose(f);
  }
  buf[len] = '\0';
  return buf;
}

static int rm_entry(const char *path, const struct stat *sb, int type,
                    struct FTW *ftw) {
  (void)sb;
  (void)type;
  (void)ftw;
  remove(path);
  return 0;
}

static void close_fds_from(int first) {
  long max = sysconf(_SC_OPEN_MAX);
  if (max < 0 || max > 4096)
    max = 4096;
  for (int fd = first; fd < (int)max; fd++)
    close(fd);
}

static size_t discard_body(char *p, size_t size, size_t n, void *ud) {
  (void)p;
  (void)ud;
  return size * n;
}

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
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard_body);
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
  join_path(r->key_file, sizeof r->key_file, r->dir, "key.pem");
  join_path(r->ca_file, sizeof r->ca_file, r->dir, "cert.pem");
  const char *const argv[] = {
      "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
      "-keyout", r->key_file, "-out", r->ca_file, "-days", "2",
      "-subj", "/CN=127.0.0.1", "-addext",
      "subjectAltName=IP:127.0.0.1,DNS:localhost", NULL};
  run_ok(argv, NULL, 0, "openssl req (registry certificate)");
  join_path(r->cert_dir, sizeof r->cert_dir, r->dir, "certs");
  cr_assert_eq(mkdir(r->cert_dir, 0700), 0, "mkdir %s: %s", r->cert_dir,
               strerror(errno));
  char ca_crt[4300];
  join_path(ca_crt, sizeof ca_crt, r->cert_dir, "ca.crt");
  char *pem = read_file(r->ca_file);
  cr_assert_eq(write_file(ca_crt, pem, strlen(pem)), 0);
  free(pem);
}

static void make_htpasswd(struct ar_test_tls_registry *r) {
  char path[4200];
  join_path(path, sizeof path, r->dir, "htpasswd");
  /* -i: the password comes from stdin, never on a command line */
  const char *const argv[] = {"htpasswd", "-iBn", r->username, NULL};
  char *out = NULL, *se = NULL;
  int rc = ar_test_run(argv, r->password, strlen(r->password), &out, NULL,
                       &se);
  cr_assert_eq(rc, 0, "htpasswd failed (%d): %s", rc, se);
  cr_assert(strncmp(strchr(out, ':') ? strchr(out, ':') + 1 : "", "$2y$",
                    4) == 0,
            "htpasswd did not produce a bcrypt entry: %s", out);
  cr_assert_eq(write_file(path, out, strlen(out)), 0);
  free(out);
  free(se);
}

static void write_config(const struct ar_test_tls_registry *r) {
  char path[4200], cfg[16384], tls[9000] = "", auth[9000] = "";
  join_path(path, sizeof path, r->dir, "config.yml");
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
  n = snprintf(cfg, sizeof cfg,
               "version: 0.1\n"
               "log:\n"
               "  level: info\n"
               "  accesslog:\n"
               "    disabled: %s\n"
               "storage:\n"
               "  filesystem:\n"
               "    rootdirectory: %s/data\n"
               "  delete:\n"
               "    enabled: %s\n"
               "  maintenance:\n"
               "    uploadpurging:\n"
               "      enabled: false\n"
               "http:\n"
               "  addr: 127.0.0.1:%d\n"
               "  secret: alien-ar-test-only-secret\n"
               "%s%s",
               r->access_log ? "false" : "true", r->dir,
               r->delete_disabled ? "false" : "true", r->port, tls, auth);
  cr_assert(n > 0 && (size_t)n < sizeof cfg);
  cr_assert_eq(write_file(path, cfg, (size_t)n), 0, "cannot write %s", path);
}

static pid_t spawn_registry(const char *dir, int append_log) {
  char cfg[4200], logp[4200];
  join_path(cfg, sizeof cfg, dir, "config.yml");
  join_path(logp, sizeof logp, dir, "registry.log");
  pid_t parent = getpid();
  pid_t pid = fork();
  cr_assert_neq(pid, -1, "fork: %s", strerror(errno));
  if (pid == 0) {
    /* A crashed test process must never leave a registry behind. */
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent)
      _exit(126);
    int logfd = open(logp, O_WRONLY | O_CREAT |
                               (append_log ? O_APPEND : O_TRUNC),
                     0600);
    int nullfd = open("/dev/null", O_RDONLY);
    if (logfd < 0 || nullfd < 0)
      _exit(126);
    dup2(nullfd, 0);
    dup2(logfd, 1);
    dup2(logfd, 2);
    close_fds_from(3);
    execlp("docker-registry", "docker-registry", "serve", cfg, (char *)NULL);
    _exit(127);
  }
  return pid;
}

static int parse_listen_port(const char *log) {
  static const char marker[] = "listening on 127.0.0.1:";
  const char *p = strstr(log, marker);
  if (!p)
    return 0;
  char *end = NULL;
  errno = 0;
  long port = strtol(p + sizeof marker - 1, &end, 10);
  if (errno || end == p + sizeof marker - 1 || port <= 0 || port > 65535)
    return 0;
  return (int)port;
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
  while (!known_port && !r->port) {
    char *log = ar_test_tls_registry_log(r);
    r->port = parse_listen_port(log);
    free(log);
    if (r->port)
      break;
    int st;
    if (waitpid(r->pid, &st, WNOHANG) == r->pid) {
      r->pid = 0;
      start_failed(r, "docker-registry exited before listening");
    }
    if (ar_test_now() > deadline)
      start_failed(r, "no 'listening on' line in time");
    sleep_ms(5);
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
    sleep_ms(10);
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
  r->pid = spawn_registry(r->dir, 0);
  wait_ready(r, 0);
}

static void kill_registry(struct ar_test_tls_registry *r) {
  if (r->pid > 0) {
    int st;
    kill(r->pid, SIGTERM);
    double deadline = ar_test_now() + STOP_GRACE_S;
    pid_t w;
    while ((w = waitpid(r->pid, &st, WNOHANG)) == 0 &&
           ar_test_now() < deadline)
      sleep_ms(10);
    if (w == 0) {
      kill(r->pid, SIGKILL);
      waitpid(r->pid, &st, 0);
    }
    r->pid = 0;
  }
}

void ar_test_tls_registry_stop(struct ar_test_tls_registry *r) {
  if (!r)
    return;
  kill_registry(r);
  if (r->dir[0])
    nftw(r->dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
  r->dir[0] = '\0';
  r->port = 0;
}

void ar_test_tls_registry_restart(struct ar_test_tls_registry *r) {
  cr_assert(r->dir[0] && r->port, "restart of a registry never started");
  kill_registry(r);
  write_config(r); /* same port, the issuer's current certificate */
  r->pid = spawn_registry(r->dir, 1);
  wait_ready(r, 1);
}

char *ar_test_tls_registry_log(const struct ar_test_tls_registry *r) {
  char logp[4200];
  join_path(logp, sizeof logp, r->dir, "registry.log");
  return read_file(logp);
}

/* Access log lines look like:
 * 127.0.0.1 - - [date] "HEAD /v2/b/x/manifests/latest HTTP/2.0" 200 ... */
static int line_matches(const char *line, const char *end, const char *method,
                        const char *path, const char *proto) {
  const char *q = memchr(line, '"', (size_t)(end - line));
  if (!q)
    return 0;
  const char *m = q + 1;
  const char *sp = memchr(m, ' ', (size_t)(end - m));
  if (!sp)
    return 0;
  const char *p = sp + 1;
  const char *sp2 = memchr(p, ' ', (size_t)(end - p));
  if (!sp2 || (size_t)(end - sp2) < 6 || memcmp(sp2 + 1, "HTTP/", 5) != 0)
    return 0;
  const char *pr = sp2 + 1;
  const char *pre = memchr(pr, '"', (size_t)(end - pr));
  if (!pre)
    return 0;
  if (memmem(p, (size_t)(sp2 - p), "alien-sync=", 11))
    return 0;
  if (method && ((size_t)(sp - m) != strlen(method) ||
                 memcmp(m, method, (size_t)(sp - m)) != 0))
    return 0;
  if (path && ((size_t)(sp2 - p) != strlen(path) ||
               memcmp(p, path, (size_t)(sp2 - p)) != 0))
    return 0;
  if (proto && ((size_t)(pre - pr) != strlen(proto) ||
                memcmp(pr, proto, (size_t)(pre - pr)) != 0))
    return 0;
  return 1;
}

/* Makes a sync probe, waits until the access log shows it and returns the
 * whole log (every request completed before the probe is in it). */
static char *synced_log(struct ar_test_tls_registry *r) {
  cr_assert(r->access_log, "access-log helpers need access_log");
  char token[17], sync[128], marker[64];
  ar_test_random_hex(token, 16);
  snprintf(sync, sizeof sync, "/v2/?alien-sync=%s", token);
  snprintf(marker, sizeof marker, "alien-sync=%s", token);
  long st = request_status(r, "GET", sync, NULL, 5000L);
  cr_assert(st == 200 || st == 401, "sync probe failed (%ld)", st);
  double deadline = ar_test_now() + 5.0;
  char *log = ar_test_tls_registry_log(r);
  while (!strstr(log, marker)) {
    free(log);
    cr_assert(ar_test_now() < deadline, "sync probe never logged");
    sleep_ms(5);
    log = ar_test_tls_registry_log(r);
  }
  sleep_ms(20);
  free(log);
  return ar_test_tls_registry_log(r);
}

int ar_test_tls_registry_count_requests(struct ar_test_tls_registry *r,
                                        const char *method, const char *path,
                                        const char *proto) {
  char *log = synced_log(r);
  int count = 0;
  for (const char *line = log; *line;) {
    const char *end = strchr(line, '\n');
    if (!end)
      end = line + strlen(line);
    if (strncmp(line, "time=", 5) != 0 &&
        line_matches(line, end, method, path, proto))
      count++;
    line = *end ? end + 1 : end;
  }
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
    if (strncmp(line, "time=", 5) != 0 &&
        line_matches(line, end, NULL, NULL, NULL)) {
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
  char layout[4200], path[4400];
  join_path(layout, sizeof layout, dir, "layout");
  cr_assert_eq(mkdir(layout, 0700), 0);
  join_path(path, sizeof path, layout, "blobs");
  cr_assert_eq(mkdir(path, 0700), 0);
  join_path(path, sizeof path, layout, "blobs/sha256");
  cr_assert_eq(mkdir(path, 0700), 0);

  static const char config[] =
      "{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":"
      "\"layers\",\"diff_ids\":[]},\"config\":{}}";
  char cdigest[72];
  ar_test_sha256_digest(config, sizeof config - 1, cdigest);
  int n = snprintf(path, sizeof path, "%s/blobs/sha256/%s", layout,
                   cdigest + 7);
  cr_assert(n > 0 && (size_t)n < sizeof path);
  cr_assert_eq(write_file(path, config, sizeof config - 1), 0);

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
  ar_test_sha256_digest(manifest, (size_t)mn, digest_out);
  n = snprintf(path, sizeof path, "%s/blobs/sha256/%s", layout,
               digest_out + 7);
  cr_assert(n > 0 && (size_t)n < sizeof path);
  cr_assert_eq(write_file(path, manifest, (size_t)mn), 0);
  join_path(path, sizeof path, layout, "oci-layout");
  static const char ol[] = "{\"imageLayoutVersion\":\"1.0.0\"}";
  cr_assert_eq(write_file(path, ol, sizeof ol - 1), 0);
  char index[1024];
  int in = snprintf(
      index, sizeof index,
      "{\"schemaVersion\":2,\"mediaType\":\"application/"
      "vnd.oci.image.index.v1+json\",\"manifests\":[{\"mediaType\":"
      "\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"%s\","
      "\"size\":%d,\"annotations\":{\"org.opencontainers.image.ref.name\":"
      "\"v1\"}}]}",
      digest_out, mn);
  cr_assert(in > 0 && (size_t)in < sizeof index);
  join_path(path, sizeof path, layout, "index.json");
  cr_assert_eq(write_file(path, index, (size_t)in), 0);

  char src[4300], dst[1024], dc[4300], dcreds[512];
  snprintf(src, sizeof src, "oci:%s:v1", layout);
  n = snprintf(dst, sizeof dst, "docker://%s/%s:%s", r->ip_hostport, name,
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
  nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
  cr_assert_eq(rc, 0, "skopeo copy to %s failed (%d): %s", dst, rc, se);
  free(se);
}

void ar_test_tls_registry_creds(const struct ar_test_tls_registry *r,
                                char *out, size_t size) {
  int n = snprintf(out, size, "%s:%s", r->username, r->password);
  cr_assert(n > 0 && (size_t)n < size);
}
