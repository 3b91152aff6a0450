#include "http/http.h"

#include <curl/curl.h>
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "config/endpoint.h"
#include "util/str.h"

#define POOL_MAX 32
#define BODY_MAX (16u * 1024u * 1024u)
#define BACKOFF_BASE_MS 100
#define BACKOFF_MAX_MS 5000

struct ar_http_client {
  char *base_url;
  char *ca_file;
  int insecure_tls;
  const struct ar_http_auth *auth;
  char *origin_scheme;
  char *origin_host;
  char *origin_port;
  struct ar_transport_options opt;
  const struct ar_log *log;
  CURLSH *share;
  pthread_mutex_t share_lock;
  pthread_mutex_t pool_lock;
  CURL *idle[POOL_MAX];
  size_t n_idle;
};

static pthread_once_t global_once = PTHREAD_ONCE_INIT;
static CURLcode global_rc = CURLE_FAILED_INIT;

/* libcurl >= 7.84 makes this thread-safe, but a once-guard also keeps the
 * init off every hot path. The plugin never calls curl_global_cleanup: it
 * is linked -z nodelete, so its libcurl lives as long as the process. */
static void global_init(void)
{
  global_rc = curl_global_init(CURL_GLOBAL_DEFAULT);
}

static int64_t now_ms(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_ms(int64_t ms)
{
  struct timespec ts = { (time_t)(ms / 1000), (long)(ms % 1000) * 1000000L };
  while(nanosleep(&ts, &ts) != 0)
    ;
}

/* One lock for the shared DNS cache: lookups are short and rare once the
 * cache is warm, so finer locks would buy nothing. */
static void share_lock(CURL *h, curl_lock_data d, curl_lock_access a, void *u)
{
  (void)h;
  (void)d;
  (void)a;
  pthread_mutex_lock(&((struct ar_http_client *)u)->share_lock);
}

static void share_unlock(CURL *h, curl_lock_data d, void *u)
{
  (void)h;
  (void)d;
  pthread_mutex_unlock(&((struct ar_http_client *)u)->share_lock);
}

static int parse_origin(struct ar_http_client *c)
{
  CURLU *u = curl_url();
  int rc = -1;
  if(u && curl_url_set(u, CURLUPART_URL, c->base_url, 0) == CURLUE_OK
     && curl_url_get(u, CURLUPART_SCHEME, &c->origin_scheme, 0) == CURLUE_OK
     && curl_url_get(u, CURLUPART_HOST, &c->origin_host, 0) == CURLUE_OK
     && curl_url_get(u, CURLUPART_PORT, &c->origin_port, CURLU_DEFAULT_PORT)
            == CURLUE_OK)
    rc = 0;
  curl_url_cleanup(u);
  return rc;
}

struct ar_http_client *ar_http_client_new(const struct ar_http_config *cfg)
{
  pthread_once(&global_once, global_init);
  if(global_rc != CURLE_OK)
    return NULL;
  struct ar_http_client *c = calloc(1, sizeof(*c));
  if(!c)
    return NULL;
  c->opt = *cfg->options;
  c->log = cfg->log;
  c->insecure_tls = cfg->insecure_tls;
  c->auth = cfg->auth;
  pthread_mutex_init(&c->share_lock, NULL);
  pthread_mutex_init(&c->pool_lock, NULL);
  c->base_url = ar_strdup(cfg->base_url);
  c->ca_file = cfg->ca_file ? ar_strdup(cfg->ca_file) : NULL;
  c->share = curl_share_init();
  if(!c->base_url || !c->share || (cfg->ca_file && !c->ca_file)
     || parse_origin(c) != 0) {
    ar_http_client_free(c);
    return NULL;
  }
  curl_share_setopt(c->share, CURLSHOPT_LOCKFUNC, share_lock);
  curl_share_setopt(c->share, CURLSHOPT_UNLOCKFUNC, share_unlock);
  curl_share_setopt(c->share, CURLSHOPT_USERDATA, c);
  curl_share_setopt(c->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
  return c;
}

void ar_http_client_free(struct ar_http_client *c)
{
  if(!c)
    return;
  for(size_t i = 0; i < c->n_idle; i++)
    curl_easy_cleanup(c->idle[i]);
  if(c->share)
    curl_share_cleanup(c->share);
  pthread_mutex_destroy(&c->share_lock);
  pthread_mutex_destroy(&c->pool_lock);
  curl_free(c->origin_scheme);
  curl_free(c->origin_host);
  curl_free(c->origin_port);
  free(c->base_url);
  free(c->ca_file);
  free(c);
}

const char *ar_http_client_base(const struct ar_http_client *c)
{
  return c->base_url;
}

ar_error *ar_http_session_begin(struct ar_http_client *c,
                                struct ar_http_session *s,
                                const char *operation)
{
  memset(s, 0, sizeof(*s));
  s->client = c;
  s->operation = operation;
  pthread_mutex_lock(&c->pool_lock);
  if(c->n_idle)
    s->easy = c->idle[--c->n_idle];
  pthread_mutex_unlock(&c->pool_lock);
  if(!s->easy)
    s->easy = curl_easy_init();
  if(!s->easy)
    return ar_err_generic("could not create an HTTP handle");
  int64_t now = now_ms();
  s->deadline_ms = now + c->opt.operation_timeout_ms;
  s->jitter_state = (unsigned int)now ^ (unsigned int)(uintptr_t)s->easy;
  if(!s->jitter_state)
    s->jitter_state = 1;
  return NULL;
}

void ar_http_session_end(struct ar_http_session *s)
{
  if(!s->easy)
    return;
  struct ar_http_client *c = s->client;
  pthread_mutex_lock(&c->pool_lock);
  if(c->n_idle < POOL_MAX) {
    c->idle[c->n_idle++] = s->easy;
    s->easy = NULL;
  }
  pthread_mutex_unlock(&c->pool_lock);
  if(s->easy)
    curl_easy_cleanup(s->easy);
  s->easy = NULL;
}

struct body_sink {
  char *data;
  size_t len, cap;
  int overflow;
};

static size_t on_body(char *ptr, size_t size, size_t nmemb, void *user)
{
  struct body_sink *b = user;
  size_t n = size * nmemb;
  if(b->len + n > BODY_MAX) {
    b->overflow = 1;
    return 0;
  }
  if(b->len + n + 1 > b->cap) {
    size_t cap = b->cap ? b->cap : 1024;
    while(cap < b->len + n + 1)
      cap *= 2;
    char *grown = realloc(b->data, cap);
    if(!grown)
      return 0;
    b->data = grown;
    b->cap = cap;
  }
  memcpy(b->data + b->len, ptr, n);
  b->len += n;
  b->data[b->len] = '\0';
  return n;
}

static char *header_value(CURL *h, const char *name)
{
  struct curl_header *hdr = NULL;
  if(curl_easy_header(h, name, 0, CURLH_HEADER, -1, &hdr) != CURLHE_OK)
    return NULL;
  return ar_strdup(hdr->value);
}

static struct curl_slist *build_headers(const struct ar_http_request *rq,
                                        const char *authorization)
{
  struct curl_slist *list = NULL, *next;
  char line[512];
  /* An empty "Expect:" stops libcurl from waiting for 100-continue. */
  if(!(list = curl_slist_append(list, "Expect:")))
    return NULL;
  if(authorization) {
    char *auth = ar_format("Authorization: %s", authorization);
    next = auth ? curl_slist_append(list, auth) : NULL;
    if(auth)
      ar_wipe(auth, strlen(auth));
    free(auth);
    if(!next)
      goto fail;
    list = next;
  }
  if(rq->accept) {
    snprintf(line, sizeof(line), "Accept: %s", rq->accept);
    if(!(next = curl_slist_append(list, line)))
      goto fail;
    list = next;
  }
  if(rq->content_type || rq->body || !strcmp(rq->method, "POST")) {
    /* Without a type libcurl would label POST bodies as form data. */
    snprintf(line, sizeof(line), "Content-Type: %s",
             rq->content_type ? rq->content_type : "application/octet-stream");
    if(!(next = curl_slist_append(list, line)))
      goto fail;
    list = next;
  }
  return list;
fail:
  curl_slist_free_all(list);
  return NULL;
}

static long remaining_ms(const struct ar_http_session *s)
{
  int64_t left = s->deadline_ms - now_ms();
  return left > 0 ? (long)left : 0;
}

/* One attempt. Returns the curl code; fills `rs` and `errbuf`. */
static CURLcode send_once(struct ar_http_session *s,
                          const struct ar_http_request *rq,
                          struct curl_slist *headers,
                          struct ar_http_response *rs, char *errbuf,
                          int *overflow)
{
  struct ar_http_client *c = s->client;
  CURL *h = s->easy;
  struct body_sink sink = { 0 };
  long left = remaining_ms(s);
  long total = c->opt.request_timeout_ms < left ? c->opt.request_timeout_ms
                                                : left;
  curl_easy_reset(h);
  errbuf[0] = '\0';
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
  curl_easy_setopt(h, CURLOPT_URL, rq->url);
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
  /* A registry endpoint is configured explicitly; a proxy from the
   * environment must not reroute it. */
  curl_easy_setopt(h, CURLOPT_PROXY, "");
  curl_easy_setopt(h, CURLOPT_SHARE, c->share);
  curl_easy_setopt(h, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt(h, CURLOPT_TCP_NODELAY, 1L);
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS,
                   c->opt.connect_timeout_ms < total ? c->opt.connect_timeout_ms
                                                     : total);
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, total);
  curl_easy_setopt(h, CURLOPT_USERAGENT, "alien-artifact-registry/1.0");
  if(c->ca_file)
    curl_easy_setopt(h, CURLOPT_CAINFO, c->ca_file);
  if(c->insecure_tls) {
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 0L);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 0L);
  }
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &sink);
  if(!strcmp(rq->method, "HEAD"))
    curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
  else if(!strcmp(rq->method, "GET"))
    curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
  else {
    curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, rq->method);
    if(strcmp(rq->method, "DELETE") != 0) {
      curl_easy_setopt(h, CURLOPT_POSTFIELDS, rq->body ? rq->body : "");
      curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE,
                       (curl_off_t)rq->body_len);
    }
  }
  s->requests++;
  CURLcode rc = total > 0 ? curl_easy_perform(h) : CURLE_OPERATION_TIMEDOUT;
  if(total <= 0)
    snprintf(errbuf, CURL_ERROR_SIZE, "the operation deadline of %ld ms "
             "was reached", c->opt.operation_timeout_ms);
  *overflow = sink.overflow;
  if(rc == CURLE_OK) {
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &rs->status);
    rs->body = sink.data;
    rs->body_len = sink.len;
    rs->location = header_value(h, "Location");
    rs->content_digest = header_value(h, "Docker-Content-Digest");
    rs->link = header_value(h, "Link");
    if(rs->status == 401)
      rs->challenge = header_value(h, "WWW-Authenticate");
  }
  else
    free(sink.data);
  return rc;
}

/* Failures where the request cannot have reached the server: safe to resend
 * whatever the method. */
static int never_sent(CURLcode rc)
{
  return rc == CURLE_COULDNT_CONNECT || rc == CURLE_COULDNT_RESOLVE_HOST;
}

static int transient(CURLcode rc)
{
  return never_sent(rc) || rc == CURLE_SEND_ERROR || rc == CURLE_RECV_ERROR
         || rc == CURLE_GOT_NOTHING || rc == CURLE_PARTIAL_FILE;
}

long ar_http_parse_retry_after(const char *value)
{
  if(!value)
    return -1;
  char *end;
  errno = 0;
  long secs = strtol(value, &end, 10);
  if(end == value || *end != '\0' || errno || secs < 0 || secs > 3600)
    return -1; /* HTTP-date or garbage: fall back to our own backoff */
  return secs * 1000;
}

static long retry_after_ms(CURL *h)
{
  struct curl_header *hdr = NULL;
  if(curl_easy_header(h, "Retry-After", 0, CURLH_HEADER, -1, &hdr)
     != CURLHE_OK)
    return -1;
  return ar_http_parse_retry_after(hdr->value);
}

static int64_t backoff_ms(struct ar_http_session *s, unsigned int attempt)
{
  int64_t base = (int64_t)BACKOFF_BASE_MS << (attempt < 6 ? attempt : 6);
  if(base > BACKOFF_MAX_MS)
    base = BACKOFF_MAX_MS;
  /* xorshift: cheap per-session jitter, no shared RNG state. */
  unsigned int x = s->jitter_state;
  x ^= x << 13;
  x ^= x >> 17;
  x ^= x << 5;
  s->jitter_state = x;
  return base / 2 + (int64_t)(x % (unsigned int)(base / 2 + 1));
}

/* The Authorization value for one attempt of `rq`, or NULL. */
static char *authorization_for(struct ar_http_session *s,
                               const struct ar_http_request *rq)
{
  const struct ar_http_auth *auth = s->client->auth;
  if(rq->authorization)
    return ar_strdup(rq->authorization);
  if(rq->no_auth || !auth)
    return NULL;
  return auth->authorization(auth->ctx, rq);
}

static const char *tls_hint(CURLcode rc)
{
  if(rc == CURLE_PEER_FAILED_VERIFICATION || rc == CURLE_SSL_CACERT_BADFILE)
    return " (the registry's TLS certificate could not be verified: set "
           "caFile to the CA certificate that signed it, or insecure: true "
           "to skip verification)";
  return "";
}

ar_error *ar_http_perform(struct ar_http_session *s,
                          const struct ar_http_request *rq,
                          struct ar_http_response *rs)
{
  memset(rs, 0, sizeof(*rs));
  const struct ar_log *log = s->client->log;
  const struct ar_http_auth *auth = s->client->auth;
  char errbuf[CURL_ERROR_SIZE];
  ar_error *err = NULL;
  unsigned int attempt = 0, auth_rounds = 0;
  for(;;) {
    char *authz = authorization_for(s, rq);
    struct curl_slist *headers = build_headers(rq, authz);
    int had_auth = authz != NULL;
    ar_free_secret(authz);
    if(!headers)
      return ar_err_generic("out of memory");
    int overflow = 0;
    int64_t started = now_ms();
    CURLcode rc = send_once(s, rq, headers, rs, errbuf, &overflow);
    curl_slist_free_all(headers);
    int64_t wait = -1;
    if(rc == CURLE_OK) {
      AR_LOG_TRACE(log, "%s %s -> %ld (%lld ms)", rq->method, rq->url,
                   rs->status, (long long)(now_ms() - started));
      if(rs->status == 401 && auth && !rq->no_auth && !rq->authorization
         && auth_rounds < 2) {
        /* The hook may send requests of its own on this session, so the
         * challenge is taken out of the response first. */
        char *challenge = rs->challenge;
        rs->challenge = NULL;
        ar_http_response_free(rs);
        enum ar_http_auth_verdict v = auth->challenge(auth->ctx, s, rq,
                                                      challenge, had_auth,
                                                      auth_rounds, &err);
        free(challenge);
        if(v == AR_AUTH_REFUSED)
          break;
        auth_rounds++;
        continue;
      }
      if((rs->status == 429 || rs->status == 503) && rq->idempotent) {
        wait = retry_after_ms(s->easy);
        if(wait < 0)
          wait = backoff_ms(s, attempt);
      }
      else
        break;
    }
    else if(overflow) {
      err = ar_err_generic("%s %s: the response body is larger than %u "
                           "bytes",
                           rq->method, rq->url, BODY_MAX);
      break;
    }
    else {
      AR_LOG_DEBUG(log, "%s %s failed: %s", rq->method, rq->url,
                   errbuf[0] ? errbuf : curl_easy_strerror(rc));
      if(transient(rc) && (rq->idempotent || never_sent(rc)))
        wait = backoff_ms(s, attempt);
    }
    int last = wait < 0 || attempt >= (unsigned int)s->client->opt.max_retries
               || wait >= remaining_ms(s);
    if(last) {
      if(rc != CURLE_OK)
        err = ar_err_generic("%s %s: %s%s%s%s", rq->method, rq->url,
                             curl_easy_strerror(rc), errbuf[0] ? ": " : "",
                             errbuf, tls_hint(rc));
      break;
    }
    AR_LOG_DEBUG(log, "retrying %s %s in %lld ms (attempt %u of %ld)",
                 rq->method, rq->url, (long long)wait, attempt + 2,
                 s->client->opt.max_retries + 1);
    ar_http_response_free(rs);
    sleep_ms(wait);
    attempt++;
  }
  if(err)
    ar_http_response_free(rs);
  return err;
}

void ar_http_redact(const struct ar_http_client *c, char *text)
{
  if(text && c->auth && c->auth->redact)
    c->auth->redact(c->auth->ctx, text);
}

int ar_http_url_may_carry_secrets(const char *url)
{
  CURLU *u = curl_url();
  char *scheme = NULL, *host = NULL;
  int ok = 0;
  if(u && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK
     && curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK
     && curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK) {
    if(!strcasecmp(scheme, "https"))
      ok = 1;
    else if(!strcasecmp(scheme, "http"))
      ok = ar_host_is_loopback(host, strlen(host));
  }
  curl_free(scheme);
  curl_free(host);
  curl_url_cleanup(u);
  return ok;
}

void ar_http_response_free(struct ar_http_response *rs)
{
  free(rs->body);
  free(rs->location);
  free(rs->content_digest);
  free(rs->link);
  free(rs->challenge);
  memset(rs, 0, sizeof(*rs));
}

/* Userinfo would make curl send credentials the registry chose; a zone id
 * would pick another interface for a link-local address. */
static int has_extras(CURLU *u)
{
  char *part = NULL;
  int extras = 0;
  if(curl_url_get(u, CURLUPART_USER, &part, 0) == CURLUE_OK)
    extras = 1;
  curl_free(part);
  part = NULL;
  if(curl_url_get(u, CURLUPART_ZONEID, &part, 0) == CURLUE_OK)
    extras = 1;
  curl_free(part);
  return extras;
}

static int same_origin(const struct ar_http_client *c, CURLU *u)
{
  char *scheme = NULL, *host = NULL, *port = NULL;
  int same = curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK
             && curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK
             && curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT)
                    == CURLUE_OK
             && !strcasecmp(scheme, c->origin_scheme)
             && !strcasecmp(host, c->origin_host)
             && !strcmp(port, c->origin_port);
  curl_free(scheme);
  curl_free(host);
  curl_free(port);
  return same;
}

char *ar_http_resolve_location(const struct ar_http_client *c,
                               const char *request_url, const char *location,
                               const char *query, ar_error **err)
{
  *err = NULL;
  if(location)
    location += strspn(location, " \t");
  if(!location || !*location) {
    *err = ar_err_generic("the registry sent no Location header");
    return NULL;
  }
  for(const unsigned char *p = (const unsigned char *)location; *p; p++)
    if(*p <= 0x20 || *p >= 0x7f) {
      /* A header value with spaces or control bytes is a broken or hostile
       * server; curl would quietly percent-encode it. */
      *err = ar_err_generic("the registry sent a Location header with "
                            "spaces or control characters");
      return NULL;
    }
  CURLU *u = curl_url();
  char *out = NULL;
  if(!u) {
    *err = ar_err_generic("out of memory");
    return NULL;
  }
  if(curl_url_set(u, CURLUPART_URL, request_url, 0) != CURLUE_OK
     || curl_url_set(u, CURLUPART_URL, location, 0) != CURLUE_OK)
    *err = ar_err_generic("the registry sent an unusable Location header");
  else if(!same_origin(c, u))
    *err = ar_err_generic("the registry sent a Location on another origin; "
                          "refusing to follow it away from %s",
                          c->base_url);
  else if(has_extras(u))
    *err = ar_err_generic("the registry sent a Location with credentials or "
                          "an IPv6 zone id; refusing to follow it");
  else if(query
          && curl_url_set(u, CURLUPART_QUERY, query, CURLU_APPENDQUERY)
                 != CURLUE_OK)
    *err = ar_err_generic("could not add the query to the upload URL");
  else if(curl_url_get(u, CURLUPART_URL, &out, 0) != CURLUE_OK)
    *err = ar_err_generic("could not build the upload URL");
  curl_url_cleanup(u);
  if(*err)
    return NULL;
  char *copy = ar_strdup(out);
  curl_free(out);
  if(!copy)
    *err = ar_err_generic("out of memory");
  return copy;
}

const struct ar_log *ar_http_client_log(const struct ar_http_client *c)
{
  return c->log;
}
