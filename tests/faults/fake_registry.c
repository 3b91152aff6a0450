#define _GNU_SOURCE /* strcasestr, memmem */
#include "fake_registry.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <gnutls/crypto.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define HEAD_MAX (64 * 1024)
#define BODY_MAX (32 * 1024 * 1024)

struct fr_rule {
  char *method;
  char *target;
  int times;
  struct fr_response rs; /* headers and body owned */
};

struct fr_conn {
  struct fake_registry *r;
  int fd;
  pthread_t thread;
  int killed; /* reset instead of a clean close */
};

struct fr_blob {
  char *repo;
  char digest[80];
};

struct fr_manifest {
  char *repo;
  char *tag;
  char digest[80];
  char *media_type;
  char *body;
  size_t len;
};

/* A response being sent: the scripted or model answer, with owned copies. */
struct outgoing {
  struct fr_response rs;
  char *headers;
  char *body;
};

static char *dup_n(const char *s, size_t n)
{
  char *d = malloc(n + 1);
  cr_assert_not_null(d);
  if(n)
    memcpy(d, s, n);
  d[n] = '\0';
  return d;
}

static char *dup_s(const char *s)
{
  return s ? dup_n(s, strlen(s)) : NULL;
}

static char *fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));
static char *fmt(const char *f, ...)
{
  va_list ap;
  va_start(ap, f);
  int n = vsnprintf(NULL, 0, f, ap);
  va_end(ap);
  cr_assert(n >= 0);
  char *s = malloc((size_t)n + 1);
  cr_assert_not_null(s);
  va_start(ap, f);
  vsnprintf(s, (size_t)n + 1, f, ap);
  va_end(ap);
  return s;
}

#define GROW(arr, n, cap)                                                     \
  do {                                                                        \
    if((n) == (cap)) {                                                        \
      size_t c_ = (cap) ? (cap) * 2 : 16;                                     \
      void *g_ = realloc((arr), c_ * sizeof(*(arr)));                         \
      cr_assert_not_null(g_);                                                 \
      (arr) = g_;                                                             \
      (cap) = c_;                                                             \
    }                                                                         \
  } while(0)

struct fr_response fr_reply(int status)
{
  struct fr_response rs;
  memset(&rs, 0, sizeof(rs));
  rs.status = status;
  rs.content_length = -1;
  rs.reset_after = -1;
  return rs;
}

static void sleep_ms(long ms)
{
  struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
  while(nanosleep(&ts, &ts) != 0 && errno == EINTR)
    ;
}

/* ---- sockets ---------------------------------------------------------- */

static int listen_on(int port)
{
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  cr_assert(fd >= 0);
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  struct sockaddr_in a;
  memset(&a, 0, sizeof(a));
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons((uint16_t)port);
  cr_assert_eq(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0,
               "bind 127.0.0.1:%d: %s", port, strerror(errno));
  cr_assert_eq(listen(fd, 64), 0);
  return fd;
}

static int send_all(int fd, const char *p, size_t n)
{
  while(n) {
    ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
    if(w < 0 && errno == EINTR)
      continue;
    if(w <= 0)
      return -1;
    p += w;
    n -= (size_t)w;
  }
  return 0;
}

static int send_slowly(int fd, const char *p, size_t n, int ms)
{
  for(size_t i = 0; i < n; i++) {
    if(send_all(fd, p + i, 1) != 0)
      return -1;
    sleep_ms(ms);
  }
  return 0;
}

static void reset_close(int fd)
{
  struct linger lg = { 1, 0 };
  setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
  close(fd);
}

/* ---- requests ---------------------------------------------------------- */

struct request {
  char method[16];
  char target[2048];
  char *head;
  char *body;
  size_t body_len;
};

struct inbuf {
  char *data;
  size_t len, cap;
};

static int fill_more(int fd, struct inbuf *b)
{
  if(b->len == b->cap) {
    size_t cap = b->cap ? b->cap * 2 : 8192;
    char *g = realloc(b->data, cap);
    cr_assert_not_null(g);
    b->data = g;
    b->cap = cap;
  }
  ssize_t n;
  do
    n = recv(fd, b->data + b->len, b->cap - b->len, 0);
  while(n < 0 && errno == EINTR);
  if(n <= 0)
    return -1;
  b->len += (size_t)n;
  return 0;
}

static void consume(struct inbuf *b, size_t n)
{
  memmove(b->data, b->data + n, b->len - n);
  b->len -= n;
}

/* 0 and a request, or -1 at end of connection. */
static int read_request(int fd, struct inbuf *b, struct request *q)
{
  memset(q, 0, sizeof(*q));
  char *end;
  while(!(end = b->len ? memmem(b->data, b->len, "\r\n\r\n", 4) : NULL)) {
    if(b->len > HEAD_MAX || fill_more(fd, b) != 0)
      return -1;
  }
  size_t head_len = (size_t)(end - b->data) + 4;
  q->head = dup_n(b->data, head_len);
  consume(b, head_len);
  if(sscanf(q->head, "%15s %2047s", q->method, q->target) != 2) {
    free(q->head);
    return -1;
  }
  size_t cl = 0;
  const char *h = strcasestr(q->head, "\r\ncontent-length:");
  if(h)
    cl = (size_t)strtoul(h + 17, NULL, 10);
  if(cl > BODY_MAX) {
    free(q->head);
    return -1;
  }
  while(b->len < cl)
    if(fill_more(fd, b) != 0) {
      free(q->head);
      return -1;
    }
  q->body = dup_n(b->data, cl);
  q->body_len = cl;
  consume(b, cl);
  return 0;
}

/* ---- the registry model (called with the lock held) -------------------- */

static void digest_of(const void *data, size_t len, char out[80])
{
  unsigned char h[32];
  cr_assert_eq(gnutls_hash_fast(GNUTLS_DIG_SHA256, data, len, h), 0);
  int o = snprintf(out, 80, "sha256:");
  for(size_t i = 0; i < sizeof(h); i++)
    o += snprintf(out + o, (size_t)(80 - o), "%02x", h[i]);
}

static struct fr_manifest *find_manifest(struct fake_registry *r,
                                         const char *repo, const char *ref)
{
  for(size_t i = 0; i < r->nmanifests; i++) {
    struct fr_manifest *m = &r->manifests[i];
    if(!strcmp(m->repo, repo)
       && (!strcmp(m->tag, ref) || !strcmp(m->digest, ref)))
      return m;
  }
  return NULL;
}

static void put_manifest(struct fake_registry *r, const char *repo,
                         const char *tag, const char *media_type,
                         const char *body, size_t len)
{
  for(size_t i = 0; i < r->nmanifests; i++) {
    struct fr_manifest *m = &r->manifests[i];
    if(!strcmp(m->repo, repo) && !strcmp(m->tag, tag)) {
      free(m->body);
      free(m->media_type);
      m->body = dup_n(body, len);
      m->len = len;
      m->media_type = dup_s(media_type);
      digest_of(body, len, m->digest);
      return;
    }
  }
  GROW(r->manifests, r->nmanifests, r->capmanifests);
  struct fr_manifest *m = &r->manifests[r->nmanifests++];
  m->repo = dup_s(repo);
  m->tag = dup_s(tag);
  m->media_type = dup_s(media_type);
  m->body = dup_n(body, len);
  m->len = len;
  digest_of(body, len, m->digest);
}

static int has_blob(struct fake_registry *r, const char *repo,
                    const char *digest)
{
  for(size_t i = 0; i < r->nblobs; i++)
    if(!strcmp(r->blobs[i].repo, repo) && !strcmp(r->blobs[i].digest, digest))
      return 1;
  return 0;
}

static void add_blob(struct fake_registry *r, const char *repo,
                     const char *digest)
{
  if(has_blob(r, repo, digest))
    return;
  GROW(r->blobs, r->nblobs, r->capblobs);
  r->blobs[r->nblobs].repo = dup_s(repo);
  snprintf(r->blobs[r->nblobs].digest, sizeof(r->blobs[0].digest), "%s",
           digest);
  r->nblobs++;
}

/* Value of query parameter `key` in `query` (malloc'd, not decoded). */
static char *query_param(const char *query, const char *key)
{
  size_t k = strlen(key);
  for(const char *p = query; p && *p;) {
    if(!strncmp(p, key, k) && p[k] == '=') {
      const char *v = p + k + 1;
      return dup_n(v, strcspn(v, "&"));
    }
    p = strchr(p, '&');
    if(p)
      p++;
  }
  return NULL;
}

static char *header_of(const char *head, const char *name)
{
  char needle[64];
  snprintf(needle, sizeof(needle), "\r\n%s:", name);
  const char *h = strcasestr(head, needle);
  if(!h)
    return NULL;
  h += strlen(needle);
  while(*h == ' ')
    h++;
  return dup_n(h, strcspn(h, "\r\n"));
}

static const char manifest_unknown[] =
    "{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\",\"message\":\"manifest "
    "unknown\"}]}";

static void model(struct fake_registry *r, const struct request *q,
                  struct outgoing *o)
{
  o->rs = fr_reply(404);
  char *path = dup_n(q->target, strcspn(q->target, "?"));
  const char *query = strchr(q->target, '?');
  query = query ? query + 1 : "";
  const char *name = path + 4; /* after "/v2/" */
  char *mark;
  if(strncmp(path, "/v2/", 4) != 0) {
    o->body = dup_s("404 page not found\n");
  }
  else if(!strcmp(path, "/v2/")) {
    o->rs.status = 200;
    o->body = dup_s("{}");
  }
  else if((mark = strstr(path, "/manifests/"))) {
    *mark = '\0';
    const char *ref = mark + 11;
    struct fr_manifest *m = find_manifest(r, name, ref);
    if(!strcmp(q->method, "PUT")) {
      char *ct = header_of(q->head, "Content-Type");
      put_manifest(r, name, ref, ct ? ct : "", q->body, q->body_len);
      m = find_manifest(r, name, ref);
      o->rs.status = 201;
      o->headers = fmt("Docker-Content-Digest: %s\r\nLocation: "
                       "/v2/%s/manifests/%s\r\n",
                       m->digest, name, m->digest);
      free(ct);
    }
    else if(!strcmp(q->method, "DELETE")) {
      int any = 0;
      for(size_t i = 0; i < r->nmanifests;) {
        struct fr_manifest *x = &r->manifests[i];
        if(!strcmp(x->repo, name) && !strcmp(x->digest, ref)) {
          free(x->repo);
          free(x->tag);
          free(x->media_type);
          free(x->body);
          r->manifests[i] = r->manifests[--r->nmanifests];
          any = 1;
        }
        else
          i++;
      }
      o->rs.status = any ? 202 : 404;
      if(!any)
        o->body = dup_s(manifest_unknown);
    }
    else if(m) {
      o->rs.status = 200;
      o->headers = fmt("Content-Type: %s\r\nDocker-Content-Digest: %s\r\n",
                       m->media_type, m->digest);
      o->body = dup_n(m->body, m->len);
      o->rs.body_len = m->len;
    }
    else
      o->body = dup_s(manifest_unknown);
  }
  else if((mark = strstr(path, "/blobs/uploads/"))) {
    *mark = '\0';
    char *digest = query_param(query, "digest");
    char *mount = query_param(query, "mount");
    char *from = query_param(query, "from");
    if(!strcmp(q->method, "POST")) {
      if(mount && from && has_blob(r, from, mount)) {
        add_blob(r, name, mount);
        o->rs.status = 201;
        o->headers = fmt("Docker-Content-Digest: %s\r\n", mount);
      }
      else {
        unsigned long id = ++r->uploads;
        o->rs.status = 202;
        o->headers = r->relative_location
                         ? fmt("Location: /v2/%s/blobs/uploads/u%lu?_state=s"
                               "\r\nRange: 0-0\r\n",
                               name, id)
                         : fmt("Location: %s/v2/%s/blobs/uploads/u%lu?"
                               "_state=s\r\nRange: 0-0\r\n",
                               r->origin, name, id);
      }
    }
    else if(!strcmp(q->method, "PUT") && digest) {
      char actual[80];
      digest_of(q->body, q->body_len, actual);
      if(!strcmp(actual, digest)) {
        add_blob(r, name, digest);
        o->rs.status = 201;
        o->headers = fmt("Docker-Content-Digest: %s\r\n", digest);
      }
      else {
        o->rs.status = 400;
        o->body = dup_s("{\"errors\":[{\"code\":\"DIGEST_INVALID\","
                        "\"message\":\"provided digest did not match "
                        "uploaded content\"}]}");
      }
    }
    free(digest);
    free(mount);
    free(from);
  }
  else if((mark = strstr(path, "/tags/list")) && !mark[10]) {
    *mark = '\0';
    char *list = dup_s("");
    int n = 0, known = 0;
    for(size_t i = 0; i < r->nmanifests; i++)
      if(!strcmp(r->manifests[i].repo, name)) {
        char *grown = fmt("%s%s\"%s\"", list, n++ ? "," : "",
                          r->manifests[i].tag);
        free(list);
        list = grown;
      }
    for(size_t i = 0; i < r->nblobs; i++)
      known |= !strcmp(r->blobs[i].repo, name);
    if(n || known) {
      o->rs.status = 200;
      o->body = n ? fmt("{\"name\":\"%s\",\"tags\":[%s]}", name, list)
                  : fmt("{\"name\":\"%s\",\"tags\":null}", name);
    }
    else
      o->body = dup_s("{\"errors\":[{\"code\":\"NAME_UNKNOWN\",\"message\":"
                      "\"repository name not known to registry\"}]}");
    free(list);
  }
  if(o->body && !o->rs.body_len)
    o->rs.body_len = strlen(o->body);
  free(path);
}

/* ---- connections -------------------------------------------------------- */

static int rule_matches(const struct fr_rule *rule, const struct request *q)
{
  return rule->times != 0
         && (!rule->method || !strcmp(rule->method, q->method))
         && (!rule->target || strstr(q->target, rule->target));
}

/* Chooses the answer to `q` (lock held): a rule, else the model. */
static void choose(struct fake_registry *r, const struct request *q,
                   struct outgoing *o)
{
  memset(o, 0, sizeof(*o));
  for(size_t i = 0; i < r->nrules; i++) {
    struct fr_rule *rule = &r->rules[i];
    if(!rule_matches(rule, q))
      continue;
    if(rule->times > 0)
      rule->times--;
    o->rs = rule->rs;
    o->headers = dup_s(rule->rs.headers);
    o->body = rule->rs.body ? dup_n(rule->rs.body, rule->rs.body_len) : NULL;
    if(rule->rs.echo_header) {
      char *v = header_of(q->head, rule->rs.echo_header);
      free(o->body);
      o->body = fmt("{\"errors\":[{\"code\":\"DENIED\",\"message\":"
                    "\"%s: %s\"}]}",
                    rule->rs.echo_header, v ? v : "(absent)");
      o->rs.body_len = strlen(o->body);
      o->rs.echo_header = NULL;
      free(v);
    }
    return;
  }
  model(r, q, o);
}

static const char *reason_of(int status)
{
  switch(status) {
  case 200: return "OK";
  case 201: return "Created";
  case 202: return "Accepted";
  case 301: return "Moved Permanently";
  case 302: return "Found";
  case 307: return "Temporary Redirect";
  case 400: return "Bad Request";
  case 401: return "Unauthorized";
  case 404: return "Not Found";
  case 429: return "Too Many Requests";
  case 500: return "Internal Server Error";
  case 502: return "Bad Gateway";
  case 503: return "Service Unavailable";
  default: return "Whatever";
  }
}

/* Sends `o` as the answer to a request with method `method`. 0 to keep the
 * connection, -1 to close it (cleanly), -2 to reset it. */
static int answer(struct fr_conn *c, const char *method,
                  const struct outgoing *o)
{
  const struct fr_response *rs = &o->rs;
  if(rs->delay_ms)
    sleep_ms(rs->delay_ms);
  size_t body_len = o->body ? rs->body_len : rs->fill_len;
  long declared = rs->content_length >= 0 ? rs->content_length
                                          : (long)body_len;
  char *head = fmt("HTTP/1.1 %d %s\r\nContent-Length: %ld\r\n%s%s\r\n",
                   rs->status, reason_of(rs->status), declared,
                   o->headers ? o->headers : "",
                   rs->close ? "Connection: close\r\n" : "");
  int rc = rs->trickle_headers_ms
               ? send_slowly(c->fd, head, strlen(head), rs->trickle_headers_ms)
               : send_all(c->fd, head, strlen(head));
  free(head);
  if(rc != 0)
    return -1;
  if(!strcmp(method, "HEAD"))
    return rs->close ? -1 : 0;
  size_t limit = rs->reset_after >= 0 && (size_t)rs->reset_after < body_len
                     ? (size_t)rs->reset_after
                     : body_len;
  if(o->body)
    rc = rs->trickle_ms ? send_slowly(c->fd, o->body, limit, rs->trickle_ms)
                        : send_all(c->fd, o->body, limit);
  else if(rs->fill_len) {
    char chunk[65536];
    memset(chunk, rs->fill, sizeof(chunk));
    for(size_t sent = 0; rc == 0 && sent < limit;) {
      size_t n = limit - sent < sizeof(chunk) ? limit - sent : sizeof(chunk);
      rc = rs->trickle_ms ? send_slowly(c->fd, chunk, n, rs->trickle_ms)
                          : send_all(c->fd, chunk, n);
      sent += n;
    }
  }
  if(rc != 0)
    return -1;
  if(rs->reset_after >= 0)
    return -2;
  return rs->close || declared != (long)body_len ? -1 : 0;
}

/* Waits until the peer closes or the connection is killed. */
static void hang(struct fr_conn *c)
{
  struct pollfd p = { c->fd, POLLIN, 0 };
  char buf[4096];
  for(;;) {
    int n = poll(&p, 1, 100);
    if(n < 0 && errno != EINTR)
      return;
    pthread_mutex_lock(&c->r->mu);
    int stop = c->r->stopping || c->killed;
    pthread_mutex_unlock(&c->r->mu);
    if(stop)
      return;
    if(n > 0 && recv(c->fd, buf, sizeof(buf), 0) <= 0)
      return;
  }
}

static void kill_connections(struct fake_registry *r, const struct fr_conn *except);

static void *serve(void *arg)
{
  struct fr_conn *c = arg;
  struct fake_registry *r = c->r;
  struct inbuf b = { NULL, 0, 0 };
  int reset = 0;
  struct request q;
  while(read_request(c->fd, &b, &q) == 0) {
    struct outgoing o;
    pthread_mutex_lock(&r->mu);
    GROW(r->records, r->nrecords, r->caprecords);
    struct fr_record *rec = &r->records[r->nrecords++];
    snprintf(rec->method, sizeof(rec->method), "%s", q.method);
    snprintf(rec->target, sizeof(rec->target), "%s", q.target);
    rec->body_len = q.body_len;
    choose(r, &q, &o);
    pthread_mutex_unlock(&r->mu);
    int rc = 0;
    switch(o.rs.action) {
    case FR_RESPOND:
      rc = answer(c, q.method, &o);
      if(o.rs.die_after) {
        fr_kill(r);
        rc = -2;
      }
      break;
    case FR_CLOSE:
      rc = -1;
      break;
    case FR_RESET:
      rc = -2;
      break;
    case FR_HANG:
      hang(c);
      rc = -1;
      break;
    case FR_DIE:
      fr_kill(r);
      rc = -2;
      break;
    }
    free(o.headers);
    free(o.body);
    free(q.head);
    free(q.body);
    if(rc == -2)
      reset = 1;
    if(rc != 0)
      break;
  }
  free(b.data);
  pthread_mutex_lock(&r->mu);
  reset |= c->killed;
  pthread_mutex_unlock(&r->mu);
  if(reset)
    reset_close(c->fd);
  else
    close(c->fd);
  pthread_mutex_lock(&r->mu);
  c->fd = -1;
  pthread_mutex_unlock(&r->mu);
  return NULL;
}

static void *acceptor(void *arg)
{
  struct fake_registry *r = arg;
  struct pollfd p[2] = { { r->listen_fd, POLLIN, 0 }, { r->wake[0], POLLIN, 0 } };
  for(;;) {
    if(poll(p, 2, -1) < 0) {
      if(errno == EINTR)
        continue;
      return NULL;
    }
    if(p[1].revents)
      return NULL;
    int fd = accept4(r->listen_fd, NULL, NULL, SOCK_CLOEXEC);
    if(fd < 0)
      continue;
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    struct fr_conn *c = calloc(1, sizeof(*c));
    cr_assert_not_null(c);
    c->r = r;
    c->fd = fd;
    pthread_mutex_lock(&r->mu);
    GROW(r->conns, r->nconns, r->capconns);
    r->conns[r->nconns++] = c;
    pthread_mutex_unlock(&r->mu);
    cr_assert_eq(pthread_create(&c->thread, NULL, serve, c), 0);
  }
}

static void start_listening(struct fake_registry *r, int port)
{
  r->listen_fd = listen_on(port);
  struct sockaddr_in a;
  socklen_t len = sizeof(a);
  cr_assert_eq(getsockname(r->listen_fd, (struct sockaddr *)&a, &len), 0);
  r->port = ntohs(a.sin_port);
  cr_assert_eq(pipe2(r->wake, O_CLOEXEC), 0);
  r->listening = 1;
  cr_assert_eq(pthread_create(&r->acceptor, NULL, acceptor, r), 0);
  r->acceptor_running = 1;
}

static void stop_listening(struct fake_registry *r)
{
  pthread_mutex_lock(&r->mu);
  int was = r->acceptor_running;
  r->acceptor_running = 0;
  r->listening = 0;
  pthread_mutex_unlock(&r->mu);
  if(!was)
    return;
  char x = 1;
  if(write(r->wake[1], &x, 1) != 1)
    cr_log_warn("fake registry: wake pipe");
  pthread_join(r->acceptor, NULL);
  close(r->listen_fd);
  close(r->wake[0]);
  close(r->wake[1]);
  r->listen_fd = -1;
}

static void kill_connections(struct fake_registry *r, const struct fr_conn *except)
{
  pthread_mutex_lock(&r->mu);
  for(size_t i = 0; i < r->nconns; i++) {
    struct fr_conn *c = r->conns[i];
    if(c == except || c->fd < 0)
      continue;
    c->killed = 1;
    shutdown(c->fd, SHUT_RDWR);
  }
  pthread_mutex_unlock(&r->mu);
}

void fr_start(struct fake_registry *r)
{
  memset(r, 0, sizeof(*r));
  pthread_mutex_init(&r->mu, NULL);
  pthread_cond_init(&r->cv, NULL);
  start_listening(r, 0);
  snprintf(r->url, sizeof(r->url), "127.0.0.1:%d", r->port);
  snprintf(r->origin, sizeof(r->origin), "http://127.0.0.1:%d", r->port);
}

void fr_kill(struct fake_registry *r)
{
  stop_listening(r);
  kill_connections(r, NULL);
}

void fr_revive(struct fake_registry *r)
{
  pthread_mutex_lock(&r->mu);
  int running = r->acceptor_running;
  pthread_mutex_unlock(&r->mu);
  if(!running)
    start_listening(r, r->port);
}

void fr_stop(struct fake_registry *r)
{
  if(!r->port)
    return;
  pthread_mutex_lock(&r->mu);
  r->stopping = 1;
  pthread_mutex_unlock(&r->mu);
  fr_kill(r);
  /* No new connections can appear now; join every connection thread. */
  for(size_t i = 0; i < r->nconns; i++) {
    pthread_join(r->conns[i]->thread, NULL);
    free(r->conns[i]);
  }
  free(r->conns);
  fr_clear_script(r);
  free(r->rules);
  free(r->records);
  for(size_t i = 0; i < r->nblobs; i++)
    free(r->blobs[i].repo);
  free(r->blobs);
  for(size_t i = 0; i < r->nmanifests; i++) {
    free(r->manifests[i].repo);
    free(r->manifests[i].tag);
    free(r->manifests[i].media_type);
    free(r->manifests[i].body);
  }
  free(r->manifests);
  pthread_mutex_destroy(&r->mu);
  pthread_cond_destroy(&r->cv);
  memset(r, 0, sizeof(*r));
}

void fr_script(struct fake_registry *r, const char *method,
               const char *target, int times, const struct fr_response *rs)
{
  pthread_mutex_lock(&r->mu);
  GROW(r->rules, r->nrules, r->caprules);
  struct fr_rule *rule = &r->rules[r->nrules++];
  rule->method = dup_s(method);
  rule->target = dup_s(target);
  rule->times = times;
  rule->rs = *rs;
  rule->rs.headers = dup_s(rs->headers);
  rule->rs.echo_header = dup_s(rs->echo_header);
  if(rs->body) {
    size_t n = rs->body_len ? rs->body_len : strlen(rs->body);
    rule->rs.body = dup_n(rs->body, n);
    rule->rs.body_len = n;
  }
  pthread_mutex_unlock(&r->mu);
}

void fr_clear_script(struct fake_registry *r)
{
  pthread_mutex_lock(&r->mu);
  for(size_t i = 0; i < r->nrules; i++) {
    free(r->rules[i].method);
    free(r->rules[i].target);
    free((char *)r->rules[i].rs.headers);
    free((char *)r->rules[i].rs.body);
    free((char *)r->rules[i].rs.echo_header);
  }
  r->nrules = 0;
  pthread_mutex_unlock(&r->mu);
}

/* The 318-byte marker manifest's shape; the exact bytes do not matter to
 * the model. */
void fr_seed_repository(struct fake_registry *r, const char *name)
{
  static const char body[] =
      "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image."
      "manifest.v1+json\",\"config\":{\"mediaType\":\"application/vnd.oci."
      "image.config.v1+json\",\"digest\":\"sha256:7a19147749ce097f32b13072bc"
      "cba494b5e717d4f23fbde50f7514059e109ad1\",\"size\":90},\"layers\":[]}";
  pthread_mutex_lock(&r->mu);
  put_manifest(r, name, "latest", "application/vnd.oci.image.manifest.v1+json",
               body, sizeof(body) - 1);
  pthread_mutex_unlock(&r->mu);
}

int fr_has_manifest(struct fake_registry *r, const char *name,
                    const char *tag)
{
  pthread_mutex_lock(&r->mu);
  int has = find_manifest(r, name, tag) != NULL;
  pthread_mutex_unlock(&r->mu);
  return has;
}

int fr_count(struct fake_registry *r, const char *method, const char *target)
{
  int n = 0;
  pthread_mutex_lock(&r->mu);
  for(size_t i = 0; i < r->nrecords; i++)
    if((!method || !strcmp(r->records[i].method, method))
       && (!target || strstr(r->records[i].target, target)))
      n++;
  pthread_mutex_unlock(&r->mu);
  return n;
}

char *fr_describe(struct fake_registry *r)
{
  char *out = dup_s("");
  pthread_mutex_lock(&r->mu);
  for(size_t i = 0; i < r->nrecords; i++) {
    char *grown = fmt("%s%s %s (%zu bytes)\n", out, r->records[i].method,
                      r->records[i].target, r->records[i].body_len);
    free(out);
    out = grown;
  }
  pthread_mutex_unlock(&r->mu);
  return out;
}
