/* Location handling of the HTTP transport (http/http.h): upload URLs the
 * registry sends are resolved against the request and never leave the
 * registry's origin. No network I/O happens here. */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http/http.h"

#define BASE "http://127.0.0.1:5000"
#define REQ BASE "/v2/b/app/blobs/uploads/"
#define DIGEST                                                                 \
  "sha256:7a19147749ce097f32b13072bccba494b5e717d4f23fbde50f7514059e109ad1"

static struct ar_log quiet_log = { 0, NULL, NULL };
static struct ar_http_client *client;

static struct ar_http_client *new_client(const char *base,
                                         const struct ar_transport_options *o)
{
  struct ar_http_config cfg = { .base_url = base,
                                .options = o,
                                .log = &quiet_log };
  return ar_http_client_new(&cfg);
}

static void make_client(void)
{
  struct ar_transport_options o;
  ar_transport_options_default(&o);
  client = new_client(BASE, &o);
  cr_assert_not_null(client);
}

static void free_client(void)
{
  ar_http_client_free(client);
  client = NULL;
}

TestSuite(location, .init = make_client, .fini = free_client);

static void assert_resolves(const char *location, const char *query,
                            const char *expected)
{
  ar_error *err = (ar_error *)(uintptr_t)1;
  char *url = ar_http_resolve_location(client, REQ, location, query, &err);
  cr_assert_null(err, "'%s' refused: %s", location, err ? err->message : "");
  cr_assert_not_null(url, "'%s'", location);
  cr_assert_str_eq(url, expected, "'%s' + '%s'", location,
                   query ? query : "(null)");
  free(url);
}

/* Returns the error (caller frees). */
static ar_error *refused(const char *location, const char *query)
{
  ar_error *err = NULL;
  char *url = ar_http_resolve_location(client, REQ, location, query, &err);
  cr_assert_null(url, "'%s' was followed to %s", location ? location : "",
                 url ? url : "");
  cr_assert_not_null(err);
  cr_assert_str_eq(err->code, "GENERIC_ERROR");
  cr_assert_eq(err->status, ALIEN_AR_ERR_BACKEND);
  cr_assert_null(ar_error_variant(err));
  return err;
}

static void assert_other_origin(const char *location)
{
  ar_error *err = refused(location, NULL);
  cr_assert_str_eq(err->message,
                   "the registry sent a Location on another origin; refusing "
                   "to follow it away from " BASE);
  ar_error_free(err);
  /* with a query to append, too */
  err = refused(location, "digest=" DIGEST);
  ar_error_free(err);
}

Test(location, client_keeps_its_base_and_log)
{
  cr_assert_str_eq(ar_http_client_base(client), BASE);
  cr_assert_eq(ar_http_client_log(client), &quiet_log);
}

Test(location, absolute_same_origin_is_kept)
{
  assert_resolves(BASE "/v2/b/app/blobs/uploads/u1?_state=abc", NULL,
                  BASE "/v2/b/app/blobs/uploads/u1?_state=abc");
  assert_resolves(BASE "/v2/b/app/blobs/uploads/u1", NULL,
                  BASE "/v2/b/app/blobs/uploads/u1");
}

Test(location, relative_with_query_gets_the_digest_appended_with_ampersand)
{
  assert_resolves("/v2/x/blobs/uploads/u?_state=a", "digest=" DIGEST,
                  BASE "/v2/x/blobs/uploads/u?_state=a&digest=" DIGEST);
}

Test(location, relative_without_query_gets_a_question_mark)
{
  assert_resolves("/v2/x/blobs/uploads/u", "digest=" DIGEST,
                  BASE "/v2/x/blobs/uploads/u?digest=" DIGEST);
}

Test(location, absolute_with_query_gets_the_digest_appended)
{
  assert_resolves(BASE "/v2/x/blobs/uploads/u?_state=a&b=c", "digest=" DIGEST,
                  BASE "/v2/x/blobs/uploads/u?_state=a&b=c&digest=" DIGEST);
}

Test(location, path_relative_location_resolves_against_the_request)
{
  assert_resolves("u?_state=a", NULL, BASE "/v2/b/app/blobs/uploads/u?_state=a");
  assert_resolves("../other", NULL, BASE "/v2/b/app/blobs/other");
}

Test(location, state_tokens_keep_their_bytes)
{
  /* distribution's _state is base64url with '=' padding */
  assert_resolves("/v2/x/blobs/uploads/u?_state=AbC-_xyz%3D%3D", NULL,
                  BASE "/v2/x/blobs/uploads/u?_state=AbC-_xyz%3D%3D");
}

Test(location, same_origin_with_explicit_case_differences)
{
  assert_resolves("HTTP://127.0.0.1:5000/v2/x", NULL, BASE "/v2/x");
}

Test(location, other_host_is_refused)
{
  assert_other_origin("http://evil.example/v2/x/blobs/uploads/u");
  assert_other_origin("http://evil.example:5000/v2/x/blobs/uploads/u");
  assert_other_origin("//evil.example:5000/v2/x/blobs/uploads/u");
  assert_other_origin("http://localhost:5000/v2/x/blobs/uploads/u");
  assert_other_origin("http://127.0.0.2:5000/v2/x/blobs/uploads/u");
}

Test(location, userinfo_trick_is_refused)
{
  assert_other_origin("http://127.0.0.1:5000@evil.example/v2/x");
}

Test(location, other_scheme_is_refused)
{
  assert_other_origin("https://127.0.0.1:5000/v2/x/blobs/uploads/u");
}

Test(location, other_port_is_refused)
{
  assert_other_origin("http://127.0.0.1:5001/v2/x/blobs/uploads/u");
  assert_other_origin("http://127.0.0.1/v2/x/blobs/uploads/u");
}

Test(location, empty_or_missing_location_is_refused)
{
  ar_error *err = refused("", NULL);
  cr_assert_str_eq(err->message, "the registry sent no Location header");
  ar_error_free(err);
  err = refused(NULL, "digest=" DIGEST);
  cr_assert_str_eq(err->message, "the registry sent no Location header");
  ar_error_free(err);
}

Test(location, unusable_location_is_refused)
{
  ar_error *err = refused("http://[zz]:5000/v2/x", NULL);
  cr_assert_str_eq(err->message,
                   "the registry sent an unusable Location header");
  ar_error_free(err);
}

/* Header injection or a malformed URL from the registry never becomes a
 * request target. */
Test(location, control_characters_are_refused)
{
  ar_error *err = refused("/v2/x/blobs/uploads/u\r\nX-Injected: 1", NULL);
  ar_error_free(err);
  err = refused("/v2/x/blobs/uploads/u\x01", NULL);
  ar_error_free(err);
}

Test(client, default_port_counts_as_the_same_origin)
{
  struct ar_transport_options o;
  ar_transport_options_default(&o);
  struct ar_http_client *c = new_client("http://127.0.0.1", &o);
  cr_assert_not_null(c);
  ar_error *err = NULL;
  char *url = ar_http_resolve_location(c, "http://127.0.0.1/v2/x/blobs/"
                                          "uploads/",
                                       "http://127.0.0.1:80/v2/x/u", NULL,
                                       &err);
  cr_assert_null(err);
  cr_assert_not_null(url);
  cr_assert_str_eq(url, "http://127.0.0.1:80/v2/x/u");
  free(url);
  ar_http_client_free(c);
}

Test(client, ipv6_base_url)
{
  struct ar_transport_options o;
  ar_transport_options_default(&o);
  struct ar_http_client *c = new_client("http://[::1]:5000", &o);
  cr_assert_not_null(c);
  ar_error *err = NULL;
  char *url = ar_http_resolve_location(c, "http://[::1]:5000/v2/x/blobs/"
                                          "uploads/",
                                       "/v2/x/blobs/uploads/u?_state=a",
                                       "digest=" DIGEST, &err);
  cr_assert_null(err);
  cr_assert_str_eq(url, "http://[::1]:5000/v2/x/blobs/uploads/u?_state=a&"
                        "digest=" DIGEST);
  free(url);
  url = ar_http_resolve_location(c, "http://[::1]:5000/v2/x/blobs/uploads/",
                                 "http://127.0.0.1:5000/v2/x", NULL, &err);
  cr_assert_null(url);
  cr_assert_not_null(err);
  ar_error_free(err);
  ar_http_client_free(c);
}

Test(client, unparsable_base_url_gives_no_client)
{
  struct ar_transport_options o;
  ar_transport_options_default(&o);
  cr_assert_null(new_client("http://[zz]:1", &o));
  cr_assert_null(new_client("", &o));
}

Test(client, free_null_is_a_no_op)
{
  ar_http_client_free(NULL);
}
