#include "config/endpoint.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/str.h"

#define MAX_HOST 253
#define MAX_LABEL 63
#define MAX_ECHO 128

static int is_alnum(char c)
{
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
         || (c >= '0' && c <= '9');
}

/* DNS names and IPv4 addresses: dot-separated labels of letters, digits and
 * inner hyphens. */
static const char *check_reg_name(const char *h, size_t n)
{
  if(n == 0)
    return "the host is empty";
  if(n > MAX_HOST)
    return "the host is longer than 253 characters";
  size_t label = 0;
  for(size_t i = 0; i < n; i++) {
    char c = h[i];
    if(c == '.') {
      if(label == 0 || h[i - 1] == '-')
        return "the host has an empty label or a label ending in '-'";
      label = 0;
      continue;
    }
    if(!is_alnum(c) && c != '-')
      return "the host may only contain letters, digits, '-' and '.'";
    if(c == '-' && label == 0)
      return "a host label may not start with '-'";
    if(++label > MAX_LABEL)
      return "a host label is longer than 63 characters";
  }
  if(label == 0 || h[n - 1] == '-')
    return "the host has an empty label or a label ending in '-'";
  return NULL;
}

static const char *check_ipv6(const char *h, size_t n)
{
  /* h includes the brackets. */
  char inner[INET6_ADDRSTRLEN];
  struct in6_addr addr;
  if(n < 4 || n - 2 >= sizeof(inner))
    return "the bracketed IPv6 address is malformed";
  memcpy(inner, h + 1, n - 2);
  inner[n - 2] = '\0';
  if(inet_pton(AF_INET6, inner, &addr) != 1)
    return "the bracketed IPv6 address is malformed";
  return NULL;
}

static const char *check_port(const char *p, size_t n)
{
  if(n == 0 || n > 5)
    return "the port must be a number from 1 to 65535";
  long v = 0;
  for(size_t i = 0; i < n; i++) {
    if(p[i] < '0' || p[i] > '9')
      return "the port must be a number from 1 to 65535";
    v = v * 10 + (p[i] - '0');
  }
  if(v < 1 || v > 65535)
    return "the port must be a number from 1 to 65535";
  return NULL;
}

/* Splits host[:port] and validates both parts. */
static const char *check_authority(const char *a, size_t n)
{
  size_t host_len = n;
  const char *why;
  if(n && a[0] == '[') {
    const char *close = memchr(a, ']', n);
    if(!close)
      return "the bracketed IPv6 address is malformed";
    host_len = (size_t)(close - a) + 1;
    if((why = check_ipv6(a, host_len)))
      return why;
    if(host_len < n && a[host_len] != ':')
      return "unexpected characters after the IPv6 address";
  }
  else {
    const char *colon = memchr(a, ':', n);
    if(colon)
      host_len = (size_t)(colon - a);
    if((why = check_reg_name(a, host_len)))
      return why;
  }
  if(host_len < n)
    return check_port(a + host_len + 1, n - host_len - 1);
  return NULL;
}

static char *reason(const char *raw, const char *why)
{
  size_t len = strlen(raw);
  return ar_format("Invalid registryUrl '%.*s%s': %s (expected host[:port] "
                   "or http(s)://host[:port])",
                   MAX_ECHO, raw, len > MAX_ECHO ? "..." : "", why);
}

char *ar_endpoint_parse(const char *raw, struct ar_endpoint *out)
{
  return ar_endpoint_parse_scheme(raw, 0, out);
}

char *ar_endpoint_parse_scheme(const char *raw, int default_https,
                               struct ar_endpoint *out)
{
  memset(out, 0, sizeof(*out));
  const char *scheme = default_https ? "https" : "http";
  const char *rest = raw;
  if(ar_starts_with(raw, "http://")) {
    scheme = "http";
    rest = raw + 7;
  }
  else if(ar_starts_with(raw, "https://")) {
    scheme = "https";
    rest = raw + 8;
  }
  else if(strstr(raw, "://"))
    return reason(raw, "only the http and https schemes are supported");
  size_t n = strlen(rest);
  /* One trailing slash is how many people write a base URL; anything after
   * it would be a path, which a registry endpoint cannot have. */
  if(n && rest[n - 1] == '/')
    n--;
  if(memchr(rest, '/', n))
    return reason(raw, "a registry endpoint cannot have a path");
  for(size_t i = 0; i < n; i++) {
    if(rest[i] == '?' || rest[i] == '#')
      return reason(raw, "a registry endpoint cannot have a query or "
                         "fragment");
    if(rest[i] == '@')
      return reason(raw, "a registry endpoint cannot carry credentials");
  }
  const char *why = check_authority(rest, n);
  if(why)
    return reason(raw, why);
  out->hostport = ar_strndup(rest, n);
  out->base_url = ar_format("%s://%.*s", scheme, (int)n, rest);
  out->tls = scheme[4] == 's';
  if(!out->hostport || !out->base_url)
    ar_endpoint_free(out);
  return NULL;
}

void ar_endpoint_free(struct ar_endpoint *ep)
{
  free(ep->base_url);
  free(ep->hostport);
  memset(ep, 0, sizeof(*ep));
}

int ar_host_is_loopback(const char *host, size_t n)
{
  char buf[INET6_ADDRSTRLEN];
  if(n >= 2 && host[0] == '[' && host[n - 1] == ']') {
    host++;
    n -= 2;
  }
  if(n >= sizeof(buf))
    return 0;
  memcpy(buf, host, n);
  buf[n] = '\0';
  struct in_addr v4;
  struct in6_addr v6;
  if(inet_pton(AF_INET, buf, &v4) == 1)
    return (ntohl(v4.s_addr) >> 24) == 127;
  if(inet_pton(AF_INET6, buf, &v6) == 1)
    return IN6_IS_ADDR_LOOPBACK(&v6);
  return strcasecmp(buf, "localhost") == 0;
}

int ar_endpoint_is_loopback(const struct ar_endpoint *ep)
{
  const char *h = ep->hostport;
  size_t n = h[0] == '[' ? strcspn(h, "]") + 1 : strcspn(h, ":");
  return ar_host_is_loopback(h, n);
}
