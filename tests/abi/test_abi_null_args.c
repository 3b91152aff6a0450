/* NULL where a pointer is required is INVALID_ARGUMENT, never a crash, and
 * never reaches the network. */
#include "plugin_loader.h"
#include "registry_fixture.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>

static struct ar_test_plugin P;
static alien_ar_handle *H;
static char CFG[128];

static const char AWS_ACCESS[] =
    "{\"platform\":\"aws\",\"accountIds\":[\"123456789012\"],\"regions\":[],"
    "\"allowedServiceTypes\":[\"worker\"],\"roleArns\":[]}";

static void setup(void) {
  ar_test_plugin_load(&P);
  /* Nothing listens there: a call that wrongly did I/O would fail with a
   * backend error instead of INVALID_ARGUMENT. */
  snprintf(CFG, sizeof CFG,
           "{\"service\":\"local\",\"registryUrl\":\"127.0.0.1:%d\","
           "\"dataDir\":null}",
           ar_test_free_port());
  struct alien_ar_error *err = NULL;
  ar_test_expect_ok(&P, P.t->open("nulls", CFG, NULL, &H, &err), err, "open");
}

static void teardown(void) {
  if (P.t && H)
    P.t->close(H);
  H = NULL;
  ar_test_plugin_unload(&P);
}

TestSuite(abi_null_args, .init = setup, .fini = teardown);

/* Runs CALL once with an error slot and once without; both must be
 * INVALID_ARGUMENT. ERRVAR is the name CALL uses for its error pointer. */
#define EXPECT_INVALID_ARG(what, errvar, call)                                \
  do {                                                                        \
    struct alien_ar_error *e_slot = NULL;                                     \
    struct alien_ar_error **errvar = &e_slot;                                 \
    alien_ar_status st_ = (call);                                             \
    ar_test_expect_error(&P, st_, e_slot, ALIEN_AR_ERR_INVALID_ARGUMENT,      \
                         "INVALID_ARGUMENT", what);                           \
    errvar = NULL;                                                            \
    st_ = (call);                                                             \
    cr_assert_eq(st_, ALIEN_AR_ERR_INVALID_ARGUMENT, "%s with err NULL: %d",  \
                 what, st_);                                                  \
  } while (0)

Test(abi_null_args, open) {
  alien_ar_handle *h = (alien_ar_handle *)&P;
  EXPECT_INVALID_ARG("open(NULL binding)", e,
                     P.t->open(NULL, CFG, NULL, &h, e));
  cr_assert_null(h, "*out must be NULL on failure");
  h = (alien_ar_handle *)&P;
  EXPECT_INVALID_ARG("open(NULL config)", e,
                     P.t->open("b", NULL, NULL, &h, e));
  cr_assert_null(h, "*out must be NULL on failure");
  EXPECT_INVALID_ARG("open(NULL out)", e, P.t->open("b", CFG, NULL, NULL, e));
}

Test(abi_null_args, open_with_too_small_host) {
  struct alien_ar_host host = {0, ALIEN_AR_LOG_TRACE, NULL, NULL};
  alien_ar_handle *h = NULL;
  EXPECT_INVALID_ARG("open(host struct_size 0)", e,
                     P.t->open("b", CFG, &host, &h, e));
  cr_assert_null(h);
  host.struct_size = 4;
  EXPECT_INVALID_ARG("open(host struct_size 4)", e,
                     P.t->open("b", CFG, &host, &h, e));
  cr_assert_null(h);
}

Test(abi_null_args, endpoint_and_prefix) {
  char *s = NULL;
  EXPECT_INVALID_ARG("registry_endpoint(NULL handle)", e,
                     P.t->registry_endpoint(NULL, &s, e));
  EXPECT_INVALID_ARG("registry_endpoint(NULL out)", e,
                     P.t->registry_endpoint(H, NULL, e));
  EXPECT_INVALID_ARG("upstream_repository_prefix(NULL handle)", e,
                     P.t->upstream_repository_prefix(NULL, &s, e));
  EXPECT_INVALID_ARG("upstream_repository_prefix(NULL out)", e,
                     P.t->upstream_repository_prefix(H, NULL, e));
}

Test(abi_null_args, create_get_delete) {
  struct alien_ar_repository *r = NULL;
  EXPECT_INVALID_ARG("create(NULL handle)", e,
                     P.t->create_repository(NULL, "x", &r, e));
  EXPECT_INVALID_ARG("create(NULL name)", e,
                     P.t->create_repository(H, NULL, &r, e));
  EXPECT_INVALID_ARG("create(NULL out)", e,
                     P.t->create_repository(H, "x", NULL, e));
  EXPECT_INVALID_ARG("get(NULL handle)", e,
                     P.t->get_repository(NULL, "x", &r, e));
  EXPECT_INVALID_ARG("get(NULL id)", e, P.t->get_repository(H, NULL, &r, e));
  EXPECT_INVALID_ARG("get(NULL out)", e, P.t->get_repository(H, "x", NULL, e));
  EXPECT_INVALID_ARG("delete(NULL handle)", e,
                     P.t->delete_repository(NULL, "x", e));
  EXPECT_INVALID_ARG("delete(NULL id)", e, P.t->delete_repository(H, NULL, e));
  cr_assert_null(r);
}

Test(abi_null_args, credentials) {
  struct alien_ar_credentials *c = NULL;
  EXPECT_INVALID_ARG("generate_credentials(NULL handle)", e,
                     P.t->generate_credentials(NULL, "x",
                                               ALIEN_AR_PERMISSIONS_PULL,
                                               ALIEN_AR_TTL_NONE, &c, e));
  EXPECT_INVALID_ARG("generate_credentials(NULL id)", e,
                     P.t->generate_credentials(H, NULL,
                                               ALIEN_AR_PERMISSIONS_PULL,
                                               ALIEN_AR_TTL_NONE, &c, e));
  EXPECT_INVALID_ARG("generate_credentials(NULL out)", e,
                     P.t->generate_credentials(H, "x",
                                               ALIEN_AR_PERMISSIONS_PULL,
                                               ALIEN_AR_TTL_NONE, NULL, e));
  cr_assert_null(c);
}

Test(abi_null_args, cross_account) {
  char *s = NULL;
  EXPECT_INVALID_ARG("add_cross_account_access(NULL handle)", e,
                     P.t->add_cross_account_access(NULL, "x", AWS_ACCESS, e));
  EXPECT_INVALID_ARG("add_cross_account_access(NULL id)", e,
                     P.t->add_cross_account_access(H, NULL, AWS_ACCESS, e));
  EXPECT_INVALID_ARG("add_cross_account_access(NULL access)", e,
                     P.t->add_cross_account_access(H, "x", NULL, e));
  EXPECT_INVALID_ARG(
      "remove_cross_account_access(NULL handle)", e,
      P.t->remove_cross_account_access(NULL, "x", AWS_ACCESS, e));
  EXPECT_INVALID_ARG("remove_cross_account_access(NULL id)", e,
                     P.t->remove_cross_account_access(H, NULL, AWS_ACCESS, e));
  EXPECT_INVALID_ARG("remove_cross_account_access(NULL access)", e,
                     P.t->remove_cross_account_access(H, "x", NULL, e));
  EXPECT_INVALID_ARG("get_cross_account_access(NULL handle)", e,
                     P.t->get_cross_account_access(NULL, "x", &s, e));
  EXPECT_INVALID_ARG("get_cross_account_access(NULL id)", e,
                     P.t->get_cross_account_access(H, NULL, &s, e));
  EXPECT_INVALID_ARG("get_cross_account_access(NULL out)", e,
                     P.t->get_cross_account_access(H, "x", NULL, e));
  cr_assert_null(s);
}

Test(abi_null_args, serialisers) {
  char *s = NULL;
  cr_assert_eq(P.t->error_to_json(NULL, &s), ALIEN_AR_ERR_INVALID_ARGUMENT);
  cr_assert_eq(P.t->repository_to_json(NULL, &s),
               ALIEN_AR_ERR_INVALID_ARGUMENT);
  cr_assert_eq(P.t->credentials_to_json(NULL, &s),
               ALIEN_AR_ERR_INVALID_ARGUMENT);
  cr_assert_null(s);

  /* A real error object, then a NULL output slot. */
  struct alien_ar_error *err = NULL;
  char *ep = NULL;
  cr_assert_eq(P.t->registry_endpoint(NULL, &ep, &err),
               ALIEN_AR_ERR_INVALID_ARGUMENT);
  cr_assert_not_null(err);
  cr_assert_eq(P.t->error_to_json(err, NULL), ALIEN_AR_ERR_INVALID_ARGUMENT);
  P.t->error_free(err);

  struct alien_ar_credentials *c = NULL;
  err = NULL;
  ar_test_expect_ok(&P,
                    P.t->generate_credentials(H, "x",
                                              ALIEN_AR_PERMISSIONS_PULL,
                                              ALIEN_AR_TTL_NONE, &c, &err),
                    err, "generate_credentials");
  cr_assert_eq(P.t->credentials_to_json(c, NULL),
               ALIEN_AR_ERR_INVALID_ARGUMENT);
  P.t->credentials_free(c);
}

Test(abi_null_args, frees_and_close_accept_null) {
  P.t->close(NULL);
  P.t->string_free(NULL);
  P.t->repository_free(NULL);
  P.t->credentials_free(NULL);
  P.t->error_free(NULL);
  cr_assert_null(P.t->handle_backend(NULL));
}
