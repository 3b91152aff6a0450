/* Secrets never leak: an `oci` binding with a username and password, the
 * host log at TRACE, and every log line and every error JSON the plugin
 * produced scanned for the password, base64("user:password") (what a Basic
 * header carries) and every token the token service handed out, on
 * success and on each failure: wrong password, token refused, TLS failure.
 * Real servers (distribution with TLS and htpasswd, the test token issuer)
 * and, for what a real registry will not do, the fake registry. */
#include "fake_registry.h"
#include "plugin_loader.h"
#include "registry_fixture.h"
#include "tls_registry.h"
#include "token_issuer.h"

#include <criterion/criterion.h>
#include <gnutls/gnutls.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct ar_test_plugin P;
static struct ar_test_log L;
static struct ar_test_tls_registry REG;
static struct ar_test_token_issuer TI;
static struct fake_registry FAKE;

/* Secrets the scans look for (plain and base64("user:secret")). */
#define MAX_SECRETS 8
static char *secrets[MAX_SECRETS];
static size_t nsecrets;
static char *fake_token; /* the fake realm's token */
static int scans;        /* texts scanned, so no scan is vacuous */

static void add_secret(const char *s)
{
  cr_assert_lt(nsecrets, MAX_SECRETS);
  secrets[nsecrets++] = strdup(s);
}

static void add_credentials(const char *user, const char *password)
{
  add_secret(password);
  char pair[256];
  snprintf(pair, sizeof pair, "%s:%s", user, password);
  gnutls_datum_t in = { (unsigned char *)pair, (unsigned int)strlen(pair) };
  gnutls_datum_t out = { NULL, 0 };
  cr_assert_eq(gnutls_base64_encode2(&in, &out), 0);
  char *b64 = strndup((const char *)out.data, out.size);
  gnutls_free(out.data);
  add_secret(b64);
  free(b64);
}

static void scan(const char *text, const char *what)
{
  scans++;
  for(size_t i = 0; i < nsecrets; i++)
    cr_assert(!strstr(text, secrets[i]), "%s contains secret #%zu:\n%s", what,
              i, text);
  if(TI.port)
    cr_assert(!ar_test_token_issuer_leaked_in(&TI, text),
              "%s contains a token the issuer handed out:\n%s", what, text);
  if(fake_token)
    cr_assert(!strstr(text, fake_token), "%s contains the fake token:\n%s",
              what, text);
}

/* Scans an error's JSON (the whole source chain) and frees it. */
static void scan_error(struct alien_ar_error *err, const char *what)
{
  if(!err)
    return;
  char *json = ar_test_error_json(&P, err);
  scan(json, what);
  for(const struct alien_ar_error *e = err; e; e = e->source) {
    scan(e->message, what);
    if(e->context_json)
      scan(e->context_json, what);
    if(e->hint)
      scan(e->hint, what);
  }
  free(json);
  P.t->error_free(err);
}

static void scan_log(void)
{
  cr_assert_gt(ar_test_log_total(&L), 0, "no log line: the scan is vacuous");
  char *log = ar_test_log_text(&L);
  scan(log, "the host log");
  free(log);
}

static void setup(void)
{
  ar_test_plugin_load(&P);
  ar_test_log_init(&L, ALIEN_AR_LOG_TRACE);
}

static void teardown(void)
{
  ar_test_plugin_unload(&P);
  ar_test_log_destroy(&L);
  ar_test_tls_registry_stop(&REG);
  ar_test_token_issuer_stop(&TI);
  fr_stop(&FAKE);
  for(size_t i = 0; i < nsecrets; i++)
    free(secrets[i]);
  nsecrets = 0;
  free(fake_token);
  fake_token = NULL;
}

TestSuite(host_secrets, .init = setup, .fini = teardown, .timeout = 120);

static alien_ar_handle *open_oci(const char *url, const char *user,
                                 const char *password, const char *ca_file)
{
  char cfg[2048];
  int n = snprintf(cfg, sizeof cfg,
                   "{\"service\":\"oci\",\"registryUrl\":\"%s\","
                   "\"namespace\":\"team\",\"requestTimeoutMs\":5000,"
                   "\"maxRetries\":0",
                   url);
  if(user)
    n += snprintf(cfg + n, sizeof cfg - (size_t)n,
                  ",\"username\":\"%s\",\"password\":\"%s\"", user, password);
  if(ca_file)
    n += snprintf(cfg + n, sizeof cfg - (size_t)n, ",\"caFile\":\"%s\"",
                  ca_file);
  snprintf(cfg + n, sizeof cfg - (size_t)n, "}");
  alien_ar_handle *h = NULL;
  struct alien_ar_error *err = NULL;
  alien_ar_status st = P.t->open("secrets", cfg, &L.host, &h, &err);
  scan_error(err, "open's error");
  cr_assert_eq(st, ALIEN_AR_OK, "open failed (%d)", st);
  return h;
}

/* What each call must return. */
struct expect {
  alien_ar_status create, get, creds, del, get_after;
};
#define ALL(st) ((struct expect){ st, st, st, st, st })

/* Every operation; each error is scanned. */
static void every_operation(alien_ar_handle *h, struct expect x)
{
  char name[64], id[96];
  snprintf(name, sizeof name, "sec-");
  ar_test_random_hex(name + 4, 16);
  snprintf(id, sizeof id, "team/%s", name);
  struct alien_ar_repository *repo = NULL;
  struct alien_ar_error *err = NULL;
  alien_ar_status st;

  st = P.t->create_repository(h, name, &repo, &err);
  cr_assert_eq(st, x.create, "create: %d", st);
  P.t->repository_free(repo);
  repo = NULL;
  scan_error(err, "create's error");
  err = NULL;

  st = P.t->get_repository(h, id, &repo, &err);
  cr_assert_eq(st, x.get, "get: %d", st);
  P.t->repository_free(repo);
  repo = NULL;
  scan_error(err, "get's error");
  err = NULL;

  /* The credentials result carries the password or a token by design;
   * only its error is scanned. */
  struct alien_ar_credentials *creds = NULL;
  st = P.t->generate_credentials(h, id, ALIEN_AR_PERMISSIONS_PULL, 60, &creds,
                                 &err);
  cr_assert_eq(st, x.creds, "credentials: %d", st);
  P.t->credentials_free(creds);
  scan_error(err, "generate_credentials' error");
  err = NULL;

  char *access = NULL;
  st = P.t->get_cross_account_access(h, id, &access, &err);
  cr_assert_eq(st, ALIEN_AR_ERR_NOT_SUPPORTED);
  scan_error(err, "get_cross_account_access' error");
  err = NULL;

  st = P.t->delete_repository(h, id, &err);
  cr_assert_eq(st, x.del, "delete: %d", st);
  scan_error(err, "delete's error");
  err = NULL;

  st = P.t->get_repository(h, id, &repo, &err);
  cr_assert_eq(st, x.get_after, "get after delete: %d", st);
  P.t->repository_free(repo);
  scan_error(err, "get's error after delete");
}

/* ---- Basic auth over TLS ------------------------------------------------ */

static void start_basic(void)
{
  struct ar_test_tls_registry_options o = { .auth = AR_TEST_AUTH_BASIC };
  ar_test_tls_registry_start(&REG, &o);
  add_credentials(REG.username, REG.password);
}

Test(host_secrets, basic_success) {
  start_basic();
  alien_ar_handle *h = open_oci(REG.url, REG.username, REG.password,
                                REG.ca_file);
  every_operation(h, (struct expect){ ALIEN_AR_OK, ALIEN_AR_OK, ALIEN_AR_OK,
                                      ALIEN_AR_OK, ALIEN_AR_ERR_NOT_FOUND });
  P.t->close(h);
  scan_log();
}

Test(host_secrets, basic_wrong_password) {
  start_basic();
  char wrong[64] = "wrong-";
  ar_test_random_hex(wrong + 6, 24);
  add_credentials(REG.username, wrong);
  alien_ar_handle *h = open_oci(REG.url, REG.username, wrong, REG.ca_file);
  /* Credentials for a Basic registry are the configured ones, unchecked. */
  struct expect x = ALL(ALIEN_AR_ERR_AUTH);
  x.creds = ALIEN_AR_OK;
  every_operation(h, x);
  P.t->close(h);
  scan_log();
}

Test(host_secrets, tls_failure) {
  start_basic();
  /* No caFile: the self-signed certificate cannot be verified. */
  alien_ar_handle *h = open_oci(REG.url, REG.username, REG.password, NULL);
  every_operation(h, ALL(ALIEN_AR_ERR_BACKEND));
  P.t->close(h);
  scan_log();
}

/* ---- token auth ----------------------------------------------------------- */

static void start_token(char *user, char *password)
{
  snprintf(user, 64, "tokenuser");
  snprintf(password, 64, "tk-");
  ar_test_random_hex(password + 3, 24);
  struct ar_test_token_issuer_options io = { .username = user,
                                             .password = password };
  ar_test_token_issuer_start(&TI, &io);
  struct ar_test_tls_registry_options o = { .auth = AR_TEST_AUTH_TOKEN,
                                            .issuer = &TI };
  ar_test_tls_registry_start(&REG, &o);
  add_credentials(user, password);
}

Test(host_secrets, token_success) {
  char user[64], password[64];
  start_token(user, password);
  alien_ar_handle *h = open_oci(REG.url, user, password, REG.ca_file);
  every_operation(h, (struct expect){ ALIEN_AR_OK, ALIEN_AR_OK, ALIEN_AR_OK,
                                      ALIEN_AR_OK, ALIEN_AR_ERR_NOT_FOUND });
  P.t->close(h);
  cr_assert_gt(ar_test_token_issuer_granted(&TI), 0, "no token was issued");
  scan_log();
}

Test(host_secrets, token_wrong_password) {
  char user[64], password[64];
  start_token(user, password);
  char wrong[64] = "wrong-";
  ar_test_random_hex(wrong + 6, 24);
  add_credentials(user, wrong);
  alien_ar_handle *h = open_oci(REG.url, user, wrong, REG.ca_file);
  every_operation(h, ALL(ALIEN_AR_ERR_AUTH));
  P.t->close(h);
  cr_assert_gt(ar_test_token_issuer_refused(&TI), 0);
  scan_log();
}

/* ---- what a real registry will not do -------------------------------------- */

/* A registry that asks for a bearer token, gets one from its (fake) realm,
 * and refuses it anyway. */
Test(host_secrets, issued_token_refused) {
  fr_start(&FAKE);
  char hex[33];
  ar_test_random_hex(hex, 32);
  char token_body[160];
  fake_token = malloc(64);
  snprintf(fake_token, 64, "faketoken-%s", hex);
  snprintf(token_body, sizeof token_body,
           "{\"token\":\"%s\",\"expires_in\":300}", fake_token);
  char challenge[256];
  snprintf(challenge, sizeof challenge,
           "WWW-Authenticate: Bearer realm=\"%s/token\",service=\"fake\"\r\n",
           FAKE.origin);
  struct fr_response refuse = fr_reply(401);
  refuse.headers = challenge;
  refuse.body = "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":"
                "\"authentication required\"}]}";
  fr_script(&FAKE, NULL, "/v2/", -1, &refuse);
  struct fr_response grant = fr_reply(200);
  grant.headers = "Content-Type: application/json\r\n";
  grant.body = token_body;
  fr_script(&FAKE, "GET", "/token", -1, &grant);
  char user[] = "fakeuser", password[64] = "fp-";
  ar_test_random_hex(password + 3, 24);
  add_credentials(user, password);
  alien_ar_handle *h = open_oci(FAKE.origin, user, password, NULL);
  /* generate_credentials hands the realm's token out by design. */
  struct expect x = ALL(ALIEN_AR_ERR_AUTH);
  x.creds = ALIEN_AR_OK;
  every_operation(h, x);
  P.t->close(h);
  cr_assert_gt(fr_count(&FAKE, "GET", "/token"), 0, "no token was fetched");
  scan_log();
}

/* A registry (or a proxy in front of it) whose error pages reflect the
 * request's Authorization header: the plugin pastes registry error text
 * into its errors, so that text must be scrubbed of credentials.
 * KNOWN BUG (reported to the lead; enable when fixed): the excerpt is
 * pasted as is, "Basic base64(user:password)" included. */
Test(host_secrets, reflected_authorization_header) {
  fr_start(&FAKE);
  struct fr_response echo = fr_reply(400);
  echo.headers = "Content-Type: application/json\r\n";
  echo.echo_header = "Authorization";
  fr_script(&FAKE, NULL, "/v2/team/", -1, &echo);
  struct fr_response basic = fr_reply(401);
  basic.headers = "WWW-Authenticate: Basic realm=\"fake\"\r\n";
  fr_script(&FAKE, "GET", "/v2/", -1, &basic);
  char user[] = "fakeuser", password[64] = "fp-";
  ar_test_random_hex(password + 3, 24);
  add_credentials(user, password);
  alien_ar_handle *h = open_oci(FAKE.origin, user, password, NULL);
  /* HEAD answers carry no body; the tag list GET of delete reads the
   * reflecting error page. */
  struct expect x = ALL(ALIEN_AR_ERR_BACKEND);
  x.creds = ALIEN_AR_OK;
  every_operation(h, x);
  P.t->close(h);
  scan_log();
}
