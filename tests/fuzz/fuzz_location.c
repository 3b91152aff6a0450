/* The Location header of an upload session (POST .../blobs/uploads/ ->
 * 202): ar_http_resolve_location against the URL of the request that got
 * it. Oracle: a URL is only ever returned on the registry's own origin,
 * with the digest query appended, and free of spaces and control bytes.
 * Input: the header value; the first byte picks the client (plain http on
 * a port, https on the default port, an IPv6 literal). */
#include "fuzz_errors.h"

#include <strings.h>

#include "http/http.h"

static const struct {
  const char *base;
  const char *request;
  /* what a same-origin result starts with (case aside) */
  const char *origin_prefix[2];
} clients[] = {
  { "http://127.0.0.1:5000", "http://127.0.0.1:5000/v2/b/app/blobs/uploads/",
    { "http://127.0.0.1:5000/", NULL } },
  { "https://localhost", "https://localhost/v2/ns/a/b/blobs/uploads/",
    { "https://localhost/", "https://localhost:443/" } },
  { "http://[::1]:8080", "http://[::1]:8080/v2/x/blobs/uploads/",
    { "http://[::1]:8080/", NULL } },
};
#define NCLIENTS (sizeof(clients) / sizeof(clients[0]))

static struct ar_http_client *client[NCLIENTS];

static void init_clients(void)
{
  static struct ar_transport_options opt;
  static struct ar_log log;
  ar_transport_options_default(&opt);
  for(size_t i = 0; i < NCLIENTS; i++) {
    struct ar_http_config cfg = { .base_url = clients[i].base,
                                  .options = &opt,
                                  .log = &log };
    client[i] = ar_http_client_new(&cfg);
    FUZZ_CHECK(client[i] != NULL);
  }
}

/* `url` without a "user[:pass]@" right after the scheme, and without an
 * IPv6 zone ID ("[::1%25eth0]" -> "[::1]"). Neither is part of the origin
 * the plugin compares, and both are kept in the URL it returns (reported:
 * userinfo makes curl send the registry's own Basic credentials back to
 * it and shows in TRACE logs; a zone ID can name another interface, and
 * curl re-encodes it, "%26" becoming "%2526"). */
static char *strip_userinfo(const char *url)
{
  const char *authority = strstr(url, "://");
  char *copy = fuzz_cstr((const uint8_t *)url, strlen(url));
  if(!authority)
    return copy;
  size_t at_off = (size_t)(authority + 3 - url);
  char *a = copy + at_off;
  char *at = strchr(a, '@');
  char *slash = strchr(a, '/');
  if(at && (!slash || at < slash))
    memmove(a, at + 1, strlen(at + 1) + 1);
  if(*a == '[') {
    char *close = strchr(a, ']');
    char *zone = strchr(a, '%');
    if(close && zone && zone < close)
      memmove(zone, close, strlen(close) + 1);
  }
  return copy;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  if(!client[0])
    init_clients();
  size_t which = size ? data[0] % NCLIENTS : 0;
  char *location = fuzz_cstr(size ? data + 1 : data, size ? size - 1 : 0);
  static const char query[] =
      "digest=sha256:"
      "7a19147749ce097f32b13072bccba494b5e717d4f23fbde50f7514059e109ad1";
  for(int with_query = 0; with_query < 2; with_query++) {
    ar_error *e = NULL;
    char *url = ar_http_resolve_location(client[which],
                                         clients[which].request, location,
                                         with_query ? query : NULL, &e);
    if(url) {
      FUZZ_CHECK(e == NULL);
      /* userinfo ("user:pass@") does not change the origin, and is kept
       * (reported: curl would then send the registry's own Basic
       * credentials back to it, and the URL is logged at TRACE). */
      char *origin = strip_userinfo(url);
      int same = 0;
      for(int k = 0; k < 2; k++) {
        const char *want = clients[which].origin_prefix[k];
        same |= want && !strncasecmp(origin, want, strlen(want));
      }
      free(origin);
      if(!same) {
        fprintf(stderr, "Location %s resolved off origin: %s\n", location,
                url);
        abort();
      }
      for(const char *p = url; *p; p++)
        FUZZ_CHECK(*p > 0x20 && *p < 0x7f);
      if(with_query)
        FUZZ_CHECK(strstr(url, query) != NULL);
      free(url);
    }
    else {
      FUZZ_CHECK(e != NULL);
      fuzz_check_error(e);
      ar_error_free(e);
    }
  }
  free(location);
  return 0;
}
