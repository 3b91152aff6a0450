#define _GNU_SOURCE
#include "registry_fixture.h"

#include <criterion/criterion.h>
#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "registry_process.h"
#include "test_util.h"

#define START_TIMEOUT_S 10.0

/* Status of GET url (0 when the request failed). */
static long http_get_status(const char *url) {
  CURL *c = curl_easy_init();
  long code = 0;
  if (!c)
    return 0;
  curl_easy_setopt(c, CURLOPT_URL, url);
  curl_easy_setopt(c, CURLOPT_PROXY, "");
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, 1000L);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, ar_test_discard_body);
  if (curl_easy_perform(c) == CURLE_OK)
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
  curl_easy_cleanup(c);
  return code;
}

/* Kills and reaps the child, keeps the log text, removes the dir, fails. */
static void start_failed(struct ar_test_registry *r, const char *why) {
  char *log = ar_test_registry_log(r);
  ar_test_registry_stop(r);
  cr_assert_fail("registry start failed: %s\n--- registry.log ---\n%s", why,
                 log);
}

void ar_test_registry_start(struct ar_test_registry *r,
                            const struct ar_test_registry_options *o) {
  static const struct ar_test_registry_options defaults = {0, 0};
  if (!o)
    o = &defaults;
  memset(r, 0, sizeof *r);
  r->access_log = o->access_log;
  static const char tmpl[] = "/tmp/alien-ar-reg-XXXXXX";
  memcpy(r->dir, tmpl, sizeof tmpl);
  cr_assert_not_null(mkdtemp(r->dir), "mkdtemp: %s", strerror(errno));
  ar_test_registry_write_config(r->dir, o->access_log, o->delete_disabled,
                                0, "");
  r->pid = ar_test_registry_spawn(r->dir, 0);

  double deadline = ar_test_now() + START_TIMEOUT_S;
  const char *why = NULL;
  r->port = ar_test_registry_await_port(&r->pid, r->dir, deadline, &why);
  if (!r->port)
    start_failed(r, why);
  snprintf(r->hostport, sizeof r->hostport, "localhost:%d", r->port);
  snprintf(r->ip_hostport, sizeof r->ip_hostport, "127.0.0.1:%d", r->port);
  snprintf(r->url, sizeof r->url, "http://127.0.0.1:%d", r->port);

  char ping[128];
  snprintf(ping, sizeof ping, "%s/v2/", r->url);
  while (http_get_status(ping) != 200) {
    if (ar_test_now() > deadline)
      start_failed(r, "GET /v2/ did not answer 200 within 10 s");
    ar_test_sleep_ms(5);
  }
}

void ar_test_registry_stop(struct ar_test_registry *r) {
  if (!r)
    return;
  ar_test_registry_kill(&r->pid);
  ar_test_rm_rf(r->dir);
  r->dir[0] = '\0';
  r->port = 0;
}

int ar_test_free_port(void) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  cr_assert(fd >= 0, "socket: %s", strerror(errno));
  struct sockaddr_in a;
  memset(&a, 0, sizeof a);
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = 0;
  cr_assert_eq(bind(fd, (struct sockaddr *)&a, sizeof a), 0, "bind: %s",
               strerror(errno));
  socklen_t len = sizeof a;
  cr_assert_eq(getsockname(fd, (struct sockaddr *)&a, &len), 0);
  close(fd);
  return ntohs(a.sin_port);
}

char *ar_test_registry_log(const struct ar_test_registry *r) {
  char logp[4200];
  ar_test_join_path(logp, sizeof logp, r->dir, "registry.log");
  return ar_test_read_file(logp, NULL);
}

static long get_status(const void *ctx, const char *path) {
  const struct ar_test_registry *r = ctx;
  char url[256];
  snprintf(url, sizeof url, "%s%s", r->url, path);
  return http_get_status(url);
}

int ar_test_registry_count_requests(struct ar_test_registry *r,
                                    const char *method, const char *path) {
  cr_assert(r->access_log, "count_requests needs a registry with access_log");
  char *log = ar_test_registry_synced_log(r->dir, get_status, r);
  int count = ar_test_access_count(log, method, path, NULL);
  free(log);
  return count;
}

/* ---- child processes ---------------------------------------------------- */

struct sink {
  char *buf;
  size_t len, cap;
};

static void sink_add(struct sink *s, const char *p, size_t n) {
  if (s->len + n + 1 > s->cap) {
    size_t cap = s->cap ? s->cap : 4096;
    while (cap < s->len + n + 1)
      cap *= 2;
    s->buf = realloc(s->buf, cap);
    cr_assert_not_null(s->buf);
    s->cap = cap;
  }
  memcpy(s->buf + s->len, p, n);
  s->len += n;
  s->buf[s->len] = '\0';
}

int ar_test_run(const char *const argv[], const char *input, size_t input_len,
                char **out, size_t *out_len, char **err) {
  int in_p[2], out_p[2], err_p[2];
  if (pipe2(in_p, O_CLOEXEC) || pipe2(out_p, O_CLOEXEC) ||
      pipe2(err_p, O_CLOEXEC))
    return -1;
  pid_t pid = fork();
  if (pid < 0)
    return -1;
  if (pid == 0) {
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    dup2(in_p[0], 0);
    dup2(out_p[1], 1);
    dup2(err_p[1], 2);
    ar_test_close_fds_from(3);
    execvp(argv[0], (char *const *)argv);
    _exit(127);
  }
  close(in_p[0]);
  close(out_p[1]);
  close(err_p[1]);
  /* The child may exit without reading stdin; do not die of SIGPIPE. */
  struct sigaction ign, old;
  memset(&ign, 0, sizeof ign);
  ign.sa_handler = SIG_IGN;
  sigaction(SIGPIPE, &ign, &old);

  struct sink so = {0}, se = {0};
  sink_add(&so, "", 0);
  sink_add(&se, "", 0);
  size_t written = 0;
  int in_fd = in_p[1];
  if (input_len == 0) {
    close(in_fd);
    in_fd = -1;
  }
  int open_outs = 2;
  while (open_outs > 0 || in_fd >= 0) {
    struct pollfd fds[3] = {{out_p[0], POLLIN, 0}, {err_p[0], POLLIN, 0},
                            {in_fd, POLLOUT, 0}};
    if (poll(fds, 3, 30000) <= 0)
      break;
    for (int i = 0; i < 2; i++) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR)))
        continue;
      char buf[8192];
      ssize_t n = read(fds[i].fd, buf, sizeof buf);
      if (n > 0) {
        sink_add(i == 0 ? &so : &se, buf, (size_t)n);
      } else {
        close(fds[i].fd);
        if (i == 0)
          out_p[0] = -1;
        else
          err_p[0] = -1;
        open_outs--;
      }
    }
    if (in_fd >= 0 && (fds[2].revents & (POLLOUT | POLLERR | POLLHUP))) {
      ssize_t n = write(in_fd, input + written, input_len - written);
      if (n > 0)
        written += (size_t)n;
      if (n <= 0 || written == input_len) {
        close(in_fd);
        in_fd = -1;
      }
    }
  }
  if (in_fd >= 0)
    close(in_fd);
  if (out_p[0] >= 0)
    close(out_p[0]);
  if (err_p[0] >= 0)
    close(err_p[0]);
  sigaction(SIGPIPE, &old, NULL);

  int st = 0;
  while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {
  }
  if (out) {
    *out = so.buf;
    if (out_len)
      *out_len = so.len;
  } else {
    free(so.buf);
  }
  if (err)
    *err = se.buf;
  else
    free(se.buf);
  if (WIFEXITED(st))
    return WEXITSTATUS(st);
  if (WIFSIGNALED(st))
    return 128 + WTERMSIG(st);
  return -1;
}

void ar_test_sha256_digest(const void *data, size_t len, char out[72]) {
  const char *const argv[] = {"sha256sum", NULL};
  char *so = NULL, *se = NULL;
  int rc = ar_test_run(argv, data, len, &so, NULL, &se);
  cr_assert_eq(rc, 0, "sha256sum failed (%d): %s", rc, se);
  cr_assert(strlen(so) >= 64, "sha256sum output: %s", so);
  memcpy(out, "sha256:", 7);
  memcpy(out + 7, so, 64);
  out[71] = '\0';
  free(so);
  free(se);
}

void ar_test_random_hex(char *out, size_t nhex) {
  static const char hex[] = "0123456789abcdef";
  unsigned char raw[128];
  size_t nbytes = (nhex + 1) / 2;
  cr_assert(nbytes <= sizeof raw);
  int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
  cr_assert(fd >= 0);
  ssize_t n = read(fd, raw, nbytes);
  close(fd);
  cr_assert_eq(n, (ssize_t)nbytes);
  for (size_t i = 0; i < nhex; i++)
    out[i] = hex[(raw[i / 2] >> ((i % 2) ? 0 : 4)) & 0xf];
  out[nhex] = '\0';
}

/* ---- skopeo ------------------------------------------------------------- */

void ar_test_layout_new(const char *dir, char *layout, size_t size) {
  char path[4400];
  ar_test_join_path(layout, size, dir, "layout");
  cr_assert_eq(mkdir(layout, 0700), 0);
  ar_test_join_path(path, sizeof path, layout, "blobs");
  cr_assert_eq(mkdir(path, 0700), 0);
  ar_test_join_path(path, sizeof path, layout, "blobs/sha256");
  cr_assert_eq(mkdir(path, 0700), 0);
}

void ar_test_layout_blob(const char *layout, const void *data, size_t len,
                         char digest[72]) {
  char path[4300];
  ar_test_sha256_digest(data, len, digest);
  int n = snprintf(path, sizeof path, "%s/blobs/sha256/%s", layout,
                   digest + 7);
  cr_assert(n > 0 && (size_t)n < sizeof path);
  cr_assert_eq(ar_test_write_file(path, data, len), 0, "cannot write %s", path);
}

void ar_test_layout_tag_v1(const char *layout, const char *manifest_digest,
                           size_t manifest_len) {
  char path[4400];
  static const char oci_layout[] = "{\"imageLayoutVersion\":\"1.0.0\"}";
  ar_test_join_path(path, sizeof path, layout, "oci-layout");
  cr_assert_eq(ar_test_write_file(path, oci_layout, sizeof oci_layout - 1), 0);
  char index[1024];
  int in = snprintf(
      index, sizeof index,
      "{\"schemaVersion\":2,\"mediaType\":\"application/"
      "vnd.oci.image.index.v1+json\",\"manifests\":[{\"mediaType\":"
      "\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"%s\","
      "\"size\":%zu,\"annotations\":{\"org.opencontainers.image.ref.name\":"
      "\"v1\"}}]}",
      manifest_digest, manifest_len);
  cr_assert(in > 0 && (size_t)in < sizeof index);
  ar_test_join_path(path, sizeof path, layout, "index.json");
  cr_assert_eq(ar_test_write_file(path, index, (size_t)in), 0);
}

static void run_ok(const char *const argv[], const char *what) {
  char *se = NULL;
  int rc = ar_test_run(argv, NULL, 0, NULL, NULL, &se);
  cr_assert_eq(rc, 0, "%s failed (%d): %s", what, rc, se);
  free(se);
}

/* Builds DIR/layout (OCI image layout, tag v1) holding one tiny gzipped
 * layer; see runbook section 4. */
static void build_layout(const char *dir, char manifest_digest[72]) {
  char rootfs[4200], layout[4200], path[4400], tarp[4200];
  ar_test_join_path(rootfs, sizeof rootfs, dir, "rootfs");
  ar_test_join_path(tarp, sizeof tarp, dir, "layer.tar");
  cr_assert_eq(mkdir(rootfs, 0700), 0);
  ar_test_layout_new(dir, layout, sizeof layout);

  char hello[64], token[17];
  ar_test_random_hex(token, 16);
  int hn = snprintf(hello, sizeof hello, "hello from a hand-made layer %s\n",
                    token);
  ar_test_join_path(path, sizeof path, rootfs, "hello.txt");
  cr_assert_eq(ar_test_write_file(path, hello, (size_t)hn), 0);

  const char *const tar_argv[] = {
      "tar", "--sort=name", "--mtime=@0", "--owner=0", "--group=0",
      "--numeric-owner", "-cf", tarp, "-C", rootfs, ".", NULL};
  run_ok(tar_argv, "tar");
  size_t tar_len;
  char *tar = ar_test_read_file(tarp, &tar_len);
  char diff_id[72];
  ar_test_sha256_digest(tar, tar_len, diff_id);
  free(tar);

  const char *const gz_argv[] = {"gzip", "-n", "-9", "-c", tarp, NULL};
  char *gz = NULL, *se = NULL;
  size_t gz_len = 0;
  int rc = ar_test_run(gz_argv, NULL, 0, &gz, &gz_len, &se);
  cr_assert_eq(rc, 0, "gzip failed: %s", se);
  free(se);
  char layer_digest[72];
  ar_test_layout_blob(layout, gz, gz_len, layer_digest);
  free(gz);

  char config[512];
  int cn = snprintf(config, sizeof config,
                    "{\"created\":\"1970-01-01T00:00:00Z\",\"architecture\":"
                    "\"amd64\",\"os\":\"linux\",\"config\":{\"Cmd\":[\"/"
                    "hello.txt\"]},\"rootfs\":{\"type\":\"layers\","
                    "\"diff_ids\":[\"%s\"]}}",
                    diff_id);
  cr_assert(cn > 0 && (size_t)cn < sizeof config);
  char config_digest[72];
  ar_test_layout_blob(layout, config, (size_t)cn, config_digest);

  char manifest[1024];
  int mn = snprintf(
      manifest, sizeof manifest,
      "{\"schemaVersion\":2,\"mediaType\":\"application/"
      "vnd.oci.image.manifest.v1+json\",\"config\":{\"mediaType\":"
      "\"application/vnd.oci.image.config.v1+json\",\"digest\":\"%s\","
      "\"size\":%d},\"layers\":[{\"mediaType\":\"application/"
      "vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"%s\",\"size\":%zu}]}",
      config_digest, cn, layer_digest, gz_len);
  cr_assert(mn > 0 && (size_t)mn < sizeof manifest);
  ar_test_layout_blob(layout, manifest, (size_t)mn, manifest_digest);

  ar_test_layout_tag_v1(layout, manifest_digest, (size_t)mn);
}

static void push_image(const struct ar_test_registry *r, const char *name,
                       const char *tag, int v2s2, char digest_out[72]) {
  char dir[] = "/tmp/alien-ar-img-XXXXXX";
  cr_assert_not_null(mkdtemp(dir));
  build_layout(dir, digest_out);
  char src[4200], dst[1024];
  snprintf(src, sizeof src, "oci:%s/layout:v1", dir);
  int n = snprintf(dst, sizeof dst, "docker://%s/%s:%s", r->ip_hostport,
                   name, tag);
  cr_assert(n > 0 && (size_t)n < sizeof dst);
  const char *const oci_argv[] = {"skopeo", "copy", "-q",
                                  "--dest-tls-verify=false", src, dst, NULL};
  const char *const v2_argv[] = {"skopeo", "copy", "-q", "--format", "v2s2",
                                 "--dest-tls-verify=false", src, dst, NULL};
  char *se = NULL;
  int rc = ar_test_run(v2s2 ? v2_argv : oci_argv, NULL, 0, NULL, NULL, &se);
  ar_test_rm_rf(dir);
  cr_assert_eq(rc, 0, "skopeo copy to %s failed (%d): %s", dst, rc, se);
  free(se);
  if (v2s2) { /* conversion rewrites the manifest: hash what is stored */
    char *raw = NULL;
    size_t len = 0;
    rc = ar_test_skopeo_inspect_raw(r, name, tag, &raw, &len, &se);
    cr_assert_eq(rc, 0, "skopeo inspect after push failed: %s", se);
    cr_assert(strstr(raw, "application/vnd.docker.distribution.manifest.v2"
                          "+json") != NULL,
              "not a Docker schema 2 manifest: %s", raw);
    ar_test_sha256_digest(raw, len, digest_out);
    free(raw);
    free(se);
  }
}

void ar_test_skopeo_push_image(const struct ar_test_registry *r,
                               const char *name, const char *tag,
                               char digest_out[72]) {
  push_image(r, name, tag, 0, digest_out);
}

void ar_test_skopeo_push_image_v2s2(const struct ar_test_registry *r,
                                    const char *name, const char *tag,
                                    char digest_out[72]) {
  push_image(r, name, tag, 1, digest_out);
}

struct upload {
  const char *p;
  size_t left;
};

static size_t read_body(char *dst, size_t size, size_t n, void *ud) {
  struct upload *u = ud;
  size_t k = size * n < u->left ? size * n : u->left;
  memcpy(dst, u->p, k);
  u->p += k;
  u->left -= k;
  return k;
}

long ar_test_registry_put_manifest(const struct ar_test_registry *r,
                                   const char *name, const char *ref,
                                   const char *media_type, const char *body,
                                   size_t len) {
  char url[1024], ct[256];
  snprintf(url, sizeof url, "%s/v2/%s/manifests/%s", r->url, name, ref);
  snprintf(ct, sizeof ct, "Content-Type: %s", media_type);
  CURL *c = curl_easy_init();
  cr_assert_not_null(c);
  struct curl_slist *hdrs = curl_slist_append(NULL, ct);
  struct upload u = {body, len};
  long code = 0;
  curl_easy_setopt(c, CURLOPT_URL, url);
  curl_easy_setopt(c, CURLOPT_PROXY, "");
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, 5000L);
  curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, (curl_off_t)len);
  curl_easy_setopt(c, CURLOPT_READFUNCTION, read_body);
  curl_easy_setopt(c, CURLOPT_READDATA, &u);
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, ar_test_discard_body);
  if (curl_easy_perform(c) == CURLE_OK)
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
  curl_slist_free_all(hdrs);
  curl_easy_cleanup(c);
  return code;
}

int ar_test_skopeo_inspect_raw(const struct ar_test_registry *r,
                               const char *name, const char *tag, char **out,
                               size_t *out_len, char **err) {
  char ref[1024];
  int n = snprintf(ref, sizeof ref, "docker://%s/%s:%s", r->ip_hostport, name,
                   tag);
  cr_assert(n > 0 && (size_t)n < sizeof ref);
  const char *const argv[] = {"skopeo", "inspect", "--tls-verify=false",
                              "--raw", ref, NULL};
  return ar_test_run(argv, NULL, 0, out, out_len, err);
}
