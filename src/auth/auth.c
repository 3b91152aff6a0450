#include "auth/auth.h"

#include <curl/curl.h>
#include <gnutls/gnutls.h>
#include <json-c/json.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "auth/challenge.h"
#include "util/str.h"

#define MAX_TOKENS 64
#define DEFAULT_EXPIRES_IN 60

struct cached_token {
  char *scope;
  char *token;
  struct timespec valid_until; /* monotonic */
};

struct ar_auth {
  char *username;
  char *password;
  const struct ar_log *log;
  struct ar_http_auth hook;
  pthread_mutex_t lock; /* guards everything below */
  enum ar_auth_scheme scheme;
  char *realm;
  char *service;
  struct cached_token tokens[MAX_TOKENS];
  size_t n_tokens;
};

static struct timespec mono_now(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts;
}

static int before(struct timespec a, struct timespec b)
{
  return a.tv_sec < b.tv_sec || (a.tv_sec == b.tv_sec && a.tv_nsec < b.tv_nsec);
}

/* "Basic base64(user:password)", malloc'd, or NULL. */
static char *basic_value(const struct ar_auth *a)
{
  if(!a->username)
    return NULL;
  char *pair = ar_format("%s:%s", a->username, a->password);
  if(!pair)
    return NULL;
  gnutls_datum_t in = { (unsigned char *)pair, (unsigned int)strlen(pair) };
  gnutls_datum_t out = { NULL, 0 };
  char *value = NULL;
  if(gnutls_base64_encode2(&in, &out) == 0) {
    value = ar_format("Basic %.*s", (int)out.size, (const char *)out.data);
    ar_wipe(out.data, out.size);
    gnutls_free(out.data);
  }
  ar_free_secret(pair);
  return value;
}

/* 1 when every space-separated item of `wanted` is an item of `granted`:
 * a token asked for a mount (two scopes) also serves the manifest PUT that
 * follows it (one of them). */
static int covers(const char *granted, const char *wanted)
{
  for(const char *w = wanted; *w;) {
    size_t n = strcspn(w, " ");
    int found = 0;
    for(const char *g = granted; *g && !found;) {
      size_t m = strcspn(g, " ");
      found = m == n && !strncmp(g, w, n);
      g += m;
      g += strspn(g, " ");
    }
    if(!found)
      return 0;
    w += n;
    w += strspn(w, " ");
  }
  return 1;
}

/* Called with the lock held. */
static struct cached_token *find_token(struct ar_auth *a, const char *scope)
{
  struct timespec now = mono_now();
  for(size_t i = 0; i < a->n_tokens; i++)
    if(covers(a->tokens[i].scope, scope)
       && before(now, a->tokens[i].valid_until))
      return &a->tokens[i];
  return NULL;
}

static void drop_token(struct ar_auth *a, size_t i)
{
  free(a->tokens[i].scope);
  ar_free_secret(a->tokens[i].token);
  a->tokens[i] = a->tokens[--a->n_tokens];
}

/* Called with the lock held; takes `token`. */
static void store_token(struct ar_auth *a, const char *scope, char *token,
                        long expires_in)
{
  for(size_t i = 0; i < a->n_tokens; i++)
    if(!strcmp(a->tokens[i].scope, scope)) {
      drop_token(a, i);
      break;
    }
  if(a->n_tokens == MAX_TOKENS)
    drop_token(a, 0);
  char *key = ar_strdup(scope);
  if(!key) {
    ar_free_secret(token);
    return;
  }
  /* Refresh a little early so a token never expires mid-request. */
  long margin = expires_in / 10 < 30 ? expires_in / 10 : 30;
  struct timespec until = mono_now();
  until.tv_sec += expires_in - margin;
  a->tokens[a->n_tokens++] = (struct cached_token){ key, token, until };
}

static char *authorization(void *ctx, const struct ar_http_request *rq)
{
  struct ar_auth *a = ctx;
  char *value = NULL;
  pthread_mutex_lock(&a->lock);
  if(a->scheme == AR_SCHEME_BEARER) {
    struct cached_token *t = rq->scope ? find_token(a, rq->scope) : NULL;
    if(t)
      value = ar_format("Bearer %s", t->token);
  }
  else if(a->scheme != AR_SCHEME_NONE)
    value = basic_value(a); /* pre-emptive: saves the 401 round trip */
  pthread_mutex_unlock(&a->lock);
  return value;
}

static ar_error *refused(const struct ar_http_session *s, const char *details)
{
  return ar_err_authentication(s->operation ? s->operation : "request",
                               details);
}

/* Token request URL: realm?service=S&scope=A&scope=B (realm may already
 * carry a query). */
static char *token_url(const char *realm, const char *service,
                       const char *scopes)
{
  CURLU *u = curl_url();
  char *out = NULL, *copy = NULL;
  int ok = u && curl_url_set(u, CURLUPART_URL, realm, 0) == CURLUE_OK;
  if(ok && service) {
    char *q = ar_format("service=%s", service);
    ok = q && curl_url_set(u, CURLUPART_QUERY, q,
                           CURLU_APPENDQUERY | CURLU_URLENCODE)
                  == CURLUE_OK;
    free(q);
  }
  char *list = scopes ? ar_strdup(scopes) : NULL;
  char *save = NULL;
  for(char *sc = list ? strtok_r(list, " ", &save) : NULL; ok && sc;
      sc = strtok_r(NULL, " ", &save)) {
    char *q = ar_format("scope=%s", sc);
    ok = q && curl_url_set(u, CURLUPART_QUERY, q,
                           CURLU_APPENDQUERY | CURLU_URLENCODE)
                  == CURLUE_OK;
    free(q);
  }
  free(list);
  if(ok && curl_url_get(u, CURLUPART_URL, &out, 0) == CURLUE_OK)
    copy = ar_strdup(out);
  curl_free(out);
  curl_url_cleanup(u);
  return copy;
}

/* Asks the realm for a token covering `scopes`. */
static ar_error *fetch_token(struct ar_auth *a, struct ar_http_session *s,
                             const char *realm, const char *service,
                             const char *scopes, char **token,
                             long *expires_in)
{
  *token = NULL;
  *expires_in = DEFAULT_EXPIRES_IN;
  if(a->username && !ar_http_url_may_carry_secrets(realm))
    return refused(s, "the token service is plain http on a non-loopback "
                      "host; credentials are not sent there");
  char *url = token_url(realm, service, scopes);
  char *basic = basic_value(a);
  if(!url || (a->username && !basic)) {
    free(url);
    ar_free_secret(basic);
    return ar_err_generic("out of memory");
  }
  struct ar_http_request rq = { .method = "GET",
                                .url = url,
                                .accept = "application/json",
                                .idempotent = 1,
                                .authorization = basic,
                                .no_auth = 1 };
  struct ar_http_response rs;
  ar_error *e = ar_http_perform(s, &rq, &rs);
  ar_free_secret(basic);
  AR_LOG_DEBUG(a->log, "token request for '%s' -> %ld", scopes ? scopes : "",
               e ? -1L : rs.status);
  json_object *root = NULL, *v;
  if(!e && (rs.status == 401 || rs.status == 403))
    e = refused(s, a->username ? "the token service refused the configured "
                                 "username and password"
                               : "the token service requires credentials "
                                 "and none are configured (set username "
                                 "and password)");
  else if(!e && rs.status != 200)
    e = ar_err_generic("the token service answered HTTP %ld", rs.status);
  else if(!e && !(root = rs.body ? json_tokener_parse(rs.body) : NULL))
    e = ar_err_generic("the token service's answer is not JSON");
  if(!e) {
    const char *t = NULL;
    if((json_object_object_get_ex(root, "token", &v)
        || json_object_object_get_ex(root, "access_token", &v))
       && json_object_is_type(v, json_type_string))
      t = json_object_get_string(v);
    if(json_object_object_get_ex(root, "expires_in", &v)
       && json_object_is_type(v, json_type_int)
       && json_object_get_int64(v) > 0 && json_object_get_int64(v) < 86400 * 365)
      *expires_in = (long)json_object_get_int64(v);
    if(!t || !*t)
      e = ar_err_generic("the token service's answer has no token");
    else if(!(*token = ar_strdup(t)))
      e = ar_err_generic("out of memory");
  }
  json_object_put(root);
  if(rs.body)
    ar_wipe(rs.body, rs.body_len);
  ar_http_response_free(&rs);
  free(url);
  return e;
}

/* Scopes for a token request: the request's, plus any the challenge names
 * that the request did not (space-separated, duplicates dropped). */
static char *merge_scopes(const char *mine, const char *theirs)
{
  if(!theirs || !*theirs)
    return mine ? ar_strdup(mine) : NULL;
  if(!mine || !*mine)
    return ar_strdup(theirs);
  char *out = ar_strdup(mine);
  char *list = ar_strdup(theirs);
  char *save = NULL;
  for(char *sc = list ? strtok_r(list, " ", &save) : NULL; out && sc;
      sc = strtok_r(NULL, " ", &save)) {
    if(covers(out, sc))
      continue;
    char *grown = ar_format("%s %s", out, sc);
    free(out);
    out = grown;
  }
  free(list);
  return out;
}

static enum ar_http_auth_verdict challenge(void *ctx,
                                           struct ar_http_session *s,
                                           const struct ar_http_request *rq,
                                           const char *header, int had_auth,
                                           unsigned int round, ar_error **err)
{
  struct ar_auth *a = ctx;
  struct ar_challenge ch;
  if(ar_challenge_parse(header, &ch) != 0) {
    *err = refused(s, "the registry answered 401 without a usable "
                      "WWW-Authenticate challenge");
    return AR_AUTH_REFUSED;
  }
  enum ar_http_auth_verdict verdict = AR_AUTH_REFUSED;
  if(!strcmp(ch.scheme, "basic")) {
    pthread_mutex_lock(&a->lock);
    a->scheme = AR_SCHEME_BASIC;
    pthread_mutex_unlock(&a->lock);
    if(!a->username)
      *err = refused(s, "the registry requires credentials and none are "
                        "configured (set username and password)");
    else if(had_auth)
      *err = refused(s, "the registry refused the configured username and "
                        "password");
    else
      verdict = AR_AUTH_RETRY;
  }
  else if(!strcmp(ch.scheme, "bearer") && ch.realm) {
    pthread_mutex_lock(&a->lock);
    a->scheme = AR_SCHEME_BEARER;
    char *realm = ar_strdup(ch.realm);
    char *service = ch.service ? ar_strdup(ch.service) : NULL;
    free(a->realm);
    free(a->service);
    a->realm = realm;
    a->service = service;
    pthread_mutex_unlock(&a->lock);
    if(had_auth && round > 0)
      *err = refused(s, "the registry refused a token it had just issued "
                        "(insufficient scope?)");
    else {
      if(had_auth && rq->scope) {
        /* The token we sent was refused (expired early, key rotated):
         * forget every cached token that would be picked for it again. */
        pthread_mutex_lock(&a->lock);
        for(size_t i = a->n_tokens; i-- > 0;)
          if(covers(a->tokens[i].scope, rq->scope))
            drop_token(a, i);
        pthread_mutex_unlock(&a->lock);
      }
      char *scopes = merge_scopes(rq->scope, ch.scope);
      char *token = NULL;
      long expires_in = 0;
      *err = realm ? fetch_token(a, s, realm, service, scopes, &token,
                                 &expires_in)
                   : ar_err_generic("out of memory");
      if(!*err) {
        pthread_mutex_lock(&a->lock);
        store_token(a, scopes ? scopes : "", token, expires_in);
        pthread_mutex_unlock(&a->lock);
        verdict = AR_AUTH_RETRY;
      }
      free(scopes);
    }
  }
  else
    *err = refused(s, "the registry asks for an authentication scheme this "
                      "plugin does not support");
  ar_challenge_free(&ch);
  return verdict;
}

static void mask(char *text, const char *secret)
{
  size_t n = secret ? strlen(secret) : 0;
  if(n == 0)
    return;
  for(char *hit = strstr(text, secret); hit; hit = strstr(hit + n, secret))
    memset(hit, '*', n);
}

static void redact(void *ctx, char *text)
{
  struct ar_auth *a = ctx;
  char *basic = basic_value(a);
  /* The base64 part alone, as a registry would echo it. */
  mask(text, basic ? basic + 6 : NULL);
  ar_free_secret(basic);
  mask(text, a->password);
  pthread_mutex_lock(&a->lock);
  for(size_t i = 0; i < a->n_tokens; i++)
    mask(text, a->tokens[i].token);
  pthread_mutex_unlock(&a->lock);
}

struct ar_auth *ar_auth_new(const char *username, const char *password,
                            const struct ar_log *log)
{
  struct ar_auth *a = calloc(1, sizeof(*a));
  if(!a)
    return NULL;
  pthread_mutex_init(&a->lock, NULL);
  a->log = log;
  a->scheme = AR_SCHEME_UNKNOWN;
  if(username) {
    a->username = ar_strdup(username);
    a->password = ar_strdup(password ? password : "");
    if(!a->username || !a->password) {
      ar_auth_free(a);
      return NULL;
    }
  }
  a->hook.authorization = authorization;
  a->hook.challenge = challenge;
  a->hook.redact = redact;
  a->hook.ctx = a;
  return a;
}

void ar_auth_free(struct ar_auth *a)
{
  if(!a)
    return;
  while(a->n_tokens)
    drop_token(a, 0);
  free(a->realm);
  free(a->service);
  ar_free_secret(a->username);
  ar_free_secret(a->password);
  pthread_mutex_destroy(&a->lock);
  free(a);
}

const struct ar_http_auth *ar_auth_hook(struct ar_auth *a)
{
  return &a->hook;
}

const char *ar_auth_username(const struct ar_auth *a)
{
  return a->username;
}

const char *ar_auth_password(const struct ar_auth *a)
{
  return a->password;
}

ar_error *ar_auth_scheme(struct ar_auth *a, struct ar_http_session *s,
                         enum ar_auth_scheme *scheme)
{
  pthread_mutex_lock(&a->lock);
  *scheme = a->scheme;
  pthread_mutex_unlock(&a->lock);
  if(*scheme != AR_SCHEME_UNKNOWN)
    return NULL;
  char *url = ar_format("%s/v2/", ar_http_client_base(s->client));
  if(!url)
    return ar_err_generic("out of memory");
  struct ar_http_request rq = { .method = "GET",
                                .url = url,
                                .idempotent = 1,
                                .no_auth = 1 };
  struct ar_http_response rs;
  ar_error *e = ar_http_perform(s, &rq, &rs);
  struct ar_challenge ch;
  memset(&ch, 0, sizeof(ch));
  if(!e && rs.status == 200)
    *scheme = AR_SCHEME_NONE;
  else if(!e && rs.status == 401 && ar_challenge_parse(rs.challenge, &ch) == 0
          && (!strcmp(ch.scheme, "basic")
              || (!strcmp(ch.scheme, "bearer") && ch.realm)))
    *scheme = ch.scheme[0] == 'b' && ch.scheme[1] == 'a' ? AR_SCHEME_BASIC
                                                         : AR_SCHEME_BEARER;
  else if(!e)
    e = ar_err_generic("the registry answered HTTP %ld to GET %s", rs.status,
                       url);
  if(!e) {
    pthread_mutex_lock(&a->lock);
    a->scheme = *scheme;
    if(*scheme == AR_SCHEME_BEARER) {
      free(a->realm);
      free(a->service);
      a->realm = ch.realm;
      a->service = ch.service;
      ch.realm = ch.service = NULL;
    }
    pthread_mutex_unlock(&a->lock);
  }
  ar_challenge_free(&ch);
  ar_http_response_free(&rs);
  free(url);
  return e;
}

ar_error *ar_auth_issue_token(struct ar_auth *a, struct ar_http_session *s,
                              const char *scope, char **token,
                              time_t *expires_at)
{
  pthread_mutex_lock(&a->lock);
  char *realm = a->realm ? ar_strdup(a->realm) : NULL;
  char *service = a->service ? ar_strdup(a->service) : NULL;
  pthread_mutex_unlock(&a->lock);
  long expires_in = 0;
  ar_error *e = realm ? fetch_token(a, s, realm, service, scope, token,
                                    &expires_in)
                      : ar_err_generic("the registry named no token service");
  *expires_at = time(NULL) + expires_in;
  free(realm);
  free(service);
  return e;
}
