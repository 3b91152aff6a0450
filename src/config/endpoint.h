/* The registryUrl of a binding: `host[:port]` or `http(s)://host[:port]`,
 * checked before any request is made. */
#ifndef AR_CONFIG_ENDPOINT_H
#define AR_CONFIG_ENDPOINT_H

#include <stddef.h>

struct ar_endpoint {
  char *base_url; /* scheme://host[:port], what requests go to */
  char *hostport; /* host[:port], the prefix of repository URIs */
  int tls;        /* 1 for https */
};

/* Parses `raw`. On failure returns a malloc'd reason (alien's wording
 * style) and leaves `out` zeroed; on success returns NULL. A NULL return
 * with `out->base_url` NULL means out of memory. */
char *ar_endpoint_parse(const char *raw, struct ar_endpoint *out);
/* The same, with https as the scheme of a bare host[:port] when
 * `default_https` is set. */
char *ar_endpoint_parse_scheme(const char *raw, int default_https,
                               struct ar_endpoint *out);
void ar_endpoint_free(struct ar_endpoint *ep);
/* 1 when the `n` bytes at `host` (a name, an IPv4 address, or an IPv6
 * address with or without brackets) are loopback: localhost, 127/8, ::1. */
int ar_host_is_loopback(const char *host, size_t n);
/* 1 when the endpoint's host is a loopback name or address. */
int ar_endpoint_is_loopback(const struct ar_endpoint *ep);

#endif
