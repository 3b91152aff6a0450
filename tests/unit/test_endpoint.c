/* registryUrl parsing (config/endpoint.h): what requests go to and what
 * prefixes repository URIs, and every form that must be refused before any
 * request is made. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/endpoint.h"

#define REASON_PREFIX "Invalid registryUrl"

static void assert_parses(const char *raw, const char *base_url,
                          const char *hostport, int tls)
{
  struct ar_endpoint ep;
  char *why = ar_endpoint_parse(raw, &ep);
  cr_assert_null(why, "'%s' was rejected: %s", raw, why ? why : "");
  cr_assert_not_null(ep.base_url, "'%s': base_url", raw);
  cr_assert_not_null(ep.hostport, "'%s': hostport", raw);
  cr_assert_str_eq(ep.base_url, base_url, "'%s': base_url", raw);
  cr_assert_str_eq(ep.hostport, hostport, "'%s': hostport", raw);
  cr_assert_eq(ep.tls, tls, "'%s': tls", raw);
  ar_endpoint_free(&ep);
  cr_assert_null(ep.base_url);
  cr_assert_null(ep.hostport);
}

/* Returns the reason (caller frees) after checking the common shape. */
static char *rejected(const char *raw)
{
  struct ar_endpoint ep;
  memset(&ep, 0x5a, sizeof(ep));
  char *why = ar_endpoint_parse(raw, &ep);
  cr_assert_not_null(why, "'%s' was accepted (base_url %s)", raw,
                     ep.base_url ? ep.base_url : "(null)");
  cr_assert(strncmp(why, REASON_PREFIX, strlen(REASON_PREFIX)) == 0,
            "'%s': reason '%s' does not start with '" REASON_PREFIX "'", raw,
            why);
  cr_assert_null(ep.base_url, "'%s': out not zeroed", raw);
  cr_assert_null(ep.hostport, "'%s': out not zeroed", raw);
  cr_assert_eq(ep.tls, 0, "'%s': out not zeroed", raw);
  return why;
}

static void assert_rejected(const char *raw)
{
  free(rejected(raw));
}

static void assert_rejected_because(const char *raw, const char *detail)
{
  char *why = rejected(raw);
  cr_assert_not_null(strstr(why, detail), "'%s': reason '%s' lacks '%s'",
                     raw, why, detail);
  free(why);
}

static char *host_of_length(size_t n, size_t label)
{
  /* labels of `label` chars separated by dots, total length n */
  char *h = malloc(n + 16);
  cr_assert_not_null(h);
  for(size_t i = 0; i < n; i++)
    h[i] = (i % (label + 1) == label) ? '.' : 'a';
  h[n] = '\0';
  if(h[n - 1] == '.')
    h[n - 1] = 'a';
  return h;
}

Test(endpoint, bare_host_and_port_from_alien)
{
  assert_parses("localhost:5000", "http://localhost:5000", "localhost:5000",
                0);
  assert_parses("localhost:54321", "http://localhost:54321",
                "localhost:54321", 0);
}

Test(endpoint, docker_rewritten_host)
{
  assert_parses("host.docker.internal:54321",
                "http://host.docker.internal:54321",
                "host.docker.internal:54321", 0);
}

Test(endpoint, ipv4_address_and_extreme_ports)
{
  assert_parses("127.0.0.1:1", "http://127.0.0.1:1", "127.0.0.1:1", 0);
  assert_parses("127.0.0.1:65535", "http://127.0.0.1:65535",
                "127.0.0.1:65535", 0);
}

Test(endpoint, bracketed_ipv6)
{
  assert_parses("[::1]:5000", "http://[::1]:5000", "[::1]:5000", 0);
  assert_parses("[::1]", "http://[::1]", "[::1]", 0);
}

Test(endpoint, explicit_http_scheme)
{
  assert_parses("http://x:1", "http://x:1", "x:1", 0);
  assert_parses("http://localhost:5000", "http://localhost:5000",
                "localhost:5000", 0);
}

Test(endpoint, https_without_port)
{
  assert_parses("https://reg.example", "https://reg.example", "reg.example",
                1);
  assert_parses("https://reg.example:8443", "https://reg.example:8443",
                "reg.example:8443", 1);
}

Test(endpoint, host_without_port)
{
  assert_parses("localhost", "http://localhost", "localhost", 0);
}

Test(endpoint, one_trailing_slash_is_dropped)
{
  assert_parses("http://localhost:5000/", "http://localhost:5000",
                "localhost:5000", 0);
  assert_parses("localhost:5000/", "http://localhost:5000", "localhost:5000",
                0);
  assert_parses("https://reg.example/", "https://reg.example", "reg.example",
                1);
}

Test(endpoint, longest_legal_host_and_label)
{
  char base[300];
  char *h = host_of_length(253, 63);
  cr_assert_eq(strlen(h), 253);
  snprintf(base, sizeof(base), "http://%s", h);
  assert_parses(h, base, h, 0);
  free(h);

  char label[80];
  memset(label, 'b', 63);
  memcpy(label + 63, ".example:5000", sizeof(".example:5000"));
  snprintf(base, sizeof(base), "http://%s", label);
  assert_parses(label, base, label, 0);
}

Test(endpoint, labels_with_inner_hyphens_and_digits)
{
  assert_parses("my-registry.internal-1:5000",
                "http://my-registry.internal-1:5000",
                "my-registry.internal-1:5000", 0);
  assert_parses("a--b.c:7", "http://a--b.c:7", "a--b.c:7", 0);
}

Test(endpoint, failure_leaves_out_zeroed_and_echoes_the_value)
{
  char *why = rejected("localhost:0");
  cr_assert_str_eq(why, "Invalid registryUrl 'localhost:0': the port must be "
                        "a number from 1 to 65535 (expected host[:port] or "
                        "http(s)://host[:port])");
  free(why);
}

Test(endpoint, long_values_are_truncated_in_the_reason)
{
  char raw[400];
  memset(raw, 'a', 300);
  memcpy(raw + 300, ":0", 3);
  char *why = rejected(raw);
  cr_assert_lt(strlen(why), 300);
  cr_assert_not_null(strstr(why, "...'"));
  free(why);
}

Test(endpoint, spaces_are_rejected)
{
  assert_rejected("local host:5000");
  assert_rejected(" localhost:5000");
  assert_rejected("localhost:5000 ");
  assert_rejected("localhost: 5000");
  assert_rejected("localhost:5000\n");
}

Test(endpoint, a_path_is_rejected)
{
  assert_rejected_because("localhost:5000/v2", "cannot have a path");
  assert_rejected_because("http://localhost:5000/v2/", "cannot have a path");
  assert_rejected_because("localhost:5000//", "cannot have a path");
  assert_rejected("/");
}

Test(endpoint, query_and_fragment_are_rejected)
{
  assert_rejected_because("localhost:5000?x=1", "query or fragment");
  assert_rejected_because("localhost:5000#frag", "query or fragment");
  assert_rejected_because("http://localhost:5000?", "query or fragment");
}

Test(endpoint, userinfo_is_rejected)
{
  assert_rejected_because("user:pw@localhost:5000", "credentials");
  assert_rejected_because("http://user@localhost:5000", "credentials");
}

Test(endpoint, bad_ports_are_rejected)
{
  assert_rejected_because("localhost:0", "port");
  assert_rejected_because("localhost:65536", "port");
  assert_rejected_because("localhost:123456", "port");
  assert_rejected_because("localhost:5k", "port");
  assert_rejected_because("localhost:", "port");
  assert_rejected_because("localhost:-1", "port");
  assert_rejected_because("localhost:+80", "port");
  assert_rejected_because("localhost:1:2", "port");
  assert_rejected_because("[::1]:0", "port");
  assert_rejected_because("[::1]:", "port");
}

Test(endpoint, empty_host_is_rejected)
{
  assert_rejected_because(":5000", "host is empty");
  assert_rejected_because("http://", "host is empty");
  assert_rejected_because("https://", "host is empty");
  assert_rejected_because("http://:1", "host is empty");
}

Test(endpoint, other_schemes_are_rejected)
{
  assert_rejected_because("ftp://x", "http and https");
  assert_rejected_because("oci://localhost:5000", "http and https");
  assert_rejected("HTTP://localhost:5000");
}

Test(endpoint, host_longer_than_253_is_rejected)
{
  char *h = host_of_length(254, 63);
  cr_assert_eq(strlen(h), 254);
  assert_rejected_because(h, "longer than 253");
  free(h);
}

Test(endpoint, label_longer_than_63_is_rejected)
{
  char raw[100];
  memset(raw, 'b', 64);
  memcpy(raw + 64, ".example:5000", sizeof(".example:5000"));
  assert_rejected_because(raw, "longer than 63");
}

Test(endpoint, labels_must_not_start_or_end_with_a_hyphen)
{
  assert_rejected("-a.example:5000");
  assert_rejected("a-.example:5000");
  assert_rejected("a.-b.example:5000");
  assert_rejected("example-:5000");
  assert_rejected("-:5000");
}

Test(endpoint, empty_labels_are_rejected)
{
  assert_rejected("a..b:5000");
  assert_rejected(".a:5000");
  assert_rejected("a.:5000");
}

Test(endpoint, other_host_characters_are_rejected)
{
  assert_rejected("a_b:5000");
  assert_rejected("h\xc3\xbcst:5000");
  assert_rejected("a!b:5000");
  assert_rejected("a%2eb:5000");
}

Test(endpoint, malformed_bracketed_addresses_are_rejected)
{
  assert_rejected("[zz]:1");
  assert_rejected("[]:1");
  assert_rejected("[::1");
  assert_rejected("[::1]x");
  assert_rejected("[::1]5000");
}

/* A bracketed host that is not an IPv6 address cannot be turned into a
 * request URL later (libcurl refuses it), so it has to be refused here as
 * an invalid registryUrl rather than fail afterwards with another error. */
Test(endpoint, bracketed_non_ipv6_addresses_are_rejected)
{
  assert_rejected("[....]:5000");
  assert_rejected("[::1::2]:5000");
  assert_rejected("[1:2:3:4:5:6:7:8:9]:5000");
  assert_rejected("[1.2.3.4]:5000");
}

static int loopback(const char *raw)
{
  struct ar_endpoint ep;
  char *why = ar_endpoint_parse(raw, &ep);
  cr_assert_null(why, "'%s' was rejected: %s", raw, why ? why : "");
  int r = ar_endpoint_is_loopback(&ep);
  ar_endpoint_free(&ep);
  return r;
}

Test(endpoint, loopback_names_and_addresses)
{
  cr_assert_eq(loopback("localhost:5000"), 1);
  cr_assert_eq(loopback("localhost"), 1);
  cr_assert_eq(loopback("http://localhost:5000"), 1);
  cr_assert_eq(loopback("127.0.0.1:1"), 1);
  cr_assert_eq(loopback("127.1.2.3:5000"), 1);
  cr_assert_eq(loopback("[::1]:5000"), 1);
  cr_assert_eq(loopback("[::1]"), 1);
}

Test(endpoint, non_loopback_hosts)
{
  cr_assert_eq(loopback("host.docker.internal:54321"), 0);
  cr_assert_eq(loopback("https://reg.example"), 0);
  cr_assert_eq(loopback("localhostx:5000"), 0);
  cr_assert_eq(loopback("localhost.example:5000"), 0);
  cr_assert_eq(loopback("10.0.0.1:5000"), 0);
  cr_assert_eq(loopback("[::2]:5000"), 0);
  cr_assert_eq(loopback("[::1:2]:5000"), 0);
}

/* "127.evil.example" is a DNS name that can resolve anywhere; only an IPv4
 * literal in 127.0.0.0/8 is a loopback address. */
Test(endpoint, dns_name_starting_with_127_is_not_loopback)
{
  cr_assert_eq(loopback("127.evil.example:5000"), 0);
}

/* Host names are case-insensitive: LOCALHOST is the loopback name. */
Test(endpoint, uppercase_localhost_is_loopback)
{
  cr_assert_eq(loopback("LOCALHOST:5000"), 1);
}
