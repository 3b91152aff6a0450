/* The binding config: ar_binding_parse, then ar_handle_open with the
 * plugin's own backend list (local and oci), exactly as the ABI's `open`
 * does. An opened handle is exercised with the calls that make no request
 * (endpoint, prefix, a name the OCI grammar refuses, cross-account) and
 * closed. Input: the config JSON text. */
#include "fuzz_errors.h"

#include "backends.h"
#include "config/binding.h"
#include "core/handle.h"
#include "core/results.h"

#define BINDING "test-alien-artifact-registry"

static void on_log(void *user_data, int32_t level, const char *message)
{
  (void)user_data;
  FUZZ_CHECK(level >= ALIEN_AR_LOG_ERROR && level <= ALIEN_AR_LOG_TRACE);
  FUZZ_CHECK(message != NULL);
  FUZZ_CHECK(strlen(message) < 1024 * 1024);
}

static void expect_status(alien_ar_status st, ar_error *e,
                          alien_ar_status want)
{
  if(st == ALIEN_AR_ERR_NO_MEMORY) {
    ar_error_free(e);
    return;
  }
  FUZZ_CHECK(st == want);
  if(want != ALIEN_AR_OK) {
    FUZZ_CHECK(e != NULL && e->status == want);
    fuzz_check_error(e);
  }
  else
    FUZZ_CHECK(e == NULL);
  ar_error_free(e);
}

static void use_handle(alien_ar_handle *h)
{
  ar_error *e = NULL;
  char *s = NULL;
  alien_ar_status st = ar_handle_registry_endpoint(h, &s, &e);
  expect_status(st, e, ALIEN_AR_OK);
  FUZZ_CHECK(!s || !strncmp(s, "http://", 7) || !strncmp(s, "https://", 8));
  FUZZ_CHECK(!s || fuzz_utf8_ok(s, strlen(s)));
  free(s);
  s = NULL;
  e = NULL;
  st = ar_handle_upstream_repository_prefix(h, &s, &e);
  expect_status(st, e, ALIEN_AR_OK);
  free(s);

  /* Upper case never matches the OCI grammar: refused before any I/O,
   * with the handle's routable prefix in the message. */
  struct alien_ar_repository *r = NULL;
  e = NULL;
  st = ar_handle_create_repository(h, "Not/A/Valid/Name", &r, &e);
  expect_status(st, e, ALIEN_AR_ERR_INVALID_INPUT);
  FUZZ_CHECK(r == NULL);
  e = NULL;
  st = ar_handle_get_repository(h, "UPPER", &r, &e);
  expect_status(st, e, ALIEN_AR_ERR_INVALID_INPUT);
  e = NULL;
  st = ar_handle_delete_repository(h, "UPPER", &e);
  expect_status(st, e, ALIEN_AR_ERR_INVALID_INPUT);

  e = NULL;
  st = ar_handle_get_cross_account_access(h, "app", &s, &e);
  expect_status(st, e, ALIEN_AR_ERR_NOT_SUPPORTED);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  char *config = fuzz_cstr(data, size);

  const char *service = NULL;
  ar_error *e = NULL;
  json_object *root = ar_binding_parse(BINDING, config, &service, &e);
  if(root) {
    FUZZ_CHECK(e == NULL && service != NULL);
    json_object_put(root);
  }
  else {
    FUZZ_CHECK(e != NULL && e->status == ALIEN_AR_ERR_CONFIG);
    fuzz_check_error(e);
    ar_error_free(e);
  }

  struct alien_ar_host host = { sizeof(host), ALIEN_AR_LOG_TRACE, on_log,
                                NULL };
  alien_ar_handle *h = NULL;
  e = NULL;
  alien_ar_status st = ar_handle_open(&ar_plugin_backends, BINDING, config,
                                      &host, &h, &e);
  if(st == ALIEN_AR_OK) {
    FUZZ_CHECK(h != NULL && e == NULL);
    FUZZ_CHECK(ar_handle_backend(h) != NULL);
    use_handle(h);
    ar_handle_close(h);
  }
  else {
    FUZZ_CHECK(h == NULL);
    FUZZ_CHECK(st == ALIEN_AR_ERR_CONFIG || st == ALIEN_AR_ERR_NO_MEMORY);
    if(e) {
      FUZZ_CHECK(e->status == st);
      FUZZ_CHECK(!strcmp(e->code, "BINDING_CONFIG_INVALID")
                 || !strcmp(e->code, "UNSUPPORTED_BINDING_PROVIDER")
                 || !strcmp(e->code, "OUT_OF_MEMORY"));
      fuzz_check_error(e);
    }
    ar_error_free(e);
  }
  free(config);
  return 0;
}
