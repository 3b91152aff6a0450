/* Version negotiation through the one exported symbol. */
#include "plugin_loader.h"

#include <criterion/criterion.h>
#include <dlfcn.h>
#include <string.h>

static void *dl;
static alien_ar_negotiate_fn negotiate;
/* A recognisable non-NULL value, to see that failures reset *out. */
static const struct alien_ar_plugin sentinel_table;

static void load(void) {
  dl = dlopen(ALIEN_AR_TEST_PLUGIN_PATH, RTLD_NOW | RTLD_LOCAL);
  cr_assert_not_null(dl, "dlopen: %s", dlerror());
  void *sym = dlsym(dl, ALIEN_AR_ENTRY_SYMBOL);
  cr_assert_not_null(sym, "dlsym: %s", dlerror());
  memcpy(&negotiate, &sym, sizeof negotiate);
}

static void unload(void) {
  if (dl)
    dlclose(dl);
  dl = NULL;
}

TestSuite(abi_negotiate, .init = load, .fini = unload);

Test(abi_negotiate, major1_minor0_agrees_on_0) {
  uint32_t agreed = 99;
  const struct alien_ar_plugin *t = NULL;
  cr_assert_eq(negotiate(1, 0, &agreed, &t), ALIEN_AR_OK);
  cr_assert_not_null(t);
  cr_assert_eq(agreed, 0);
  cr_assert_eq(t->abi_major, 1);
}

Test(abi_negotiate, newer_host_minor_agrees_on_plugin_minor) {
  uint32_t agreed = 99;
  const struct alien_ar_plugin *t = NULL;
  cr_assert_eq(negotiate(1, 7, &agreed, &t), ALIEN_AR_OK);
  cr_assert_not_null(t);
  cr_assert_eq(agreed, 0);
  cr_assert_eq(agreed, t->abi_minor, "agreed = min(host 7, plugin %u)",
               t->abi_minor);
}

Test(abi_negotiate, agreed_minor_may_be_null) {
  const struct alien_ar_plugin *t = NULL;
  cr_assert_eq(negotiate(1, 0, NULL, &t), ALIEN_AR_OK);
  cr_assert_not_null(t);
}

Test(abi_negotiate, wrong_major_is_mismatch_and_clears_out) {
  const uint32_t majors[] = {0, 2, 3, UINT32_MAX};
  for (size_t i = 0; i < sizeof majors / sizeof majors[0]; i++) {
    uint32_t agreed = 0;
    const struct alien_ar_plugin *t = &sentinel_table;
    alien_ar_status st = negotiate(majors[i], 0, &agreed, &t);
    cr_assert_eq(st, ALIEN_AR_ERR_ABI_MISMATCH, "major %u: status %d",
                 majors[i], st);
    cr_assert_null(t, "major %u: *out must be NULL on failure", majors[i]);
  }
}

Test(abi_negotiate, null_out_is_invalid_argument) {
  uint32_t agreed = 0;
  cr_assert_eq(negotiate(1, 0, &agreed, NULL), ALIEN_AR_ERR_INVALID_ARGUMENT);
  cr_assert_eq(negotiate(1, 0, NULL, NULL), ALIEN_AR_ERR_INVALID_ARGUMENT);
}

Test(abi_negotiate, idempotent_same_table) {
  const struct alien_ar_plugin *a = NULL, *b = NULL;
  cr_assert_eq(negotiate(1, 0, NULL, &a), ALIEN_AR_OK);
  cr_assert_eq(negotiate(1, 0, NULL, &b), ALIEN_AR_OK);
  cr_assert_eq(a, b);
}
