/* The negotiated table, the exported symbol set and the backend list. */
#include "plugin_loader.h"
#include "registry_fixture.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct ar_test_plugin P;

static void load(void) { ar_test_plugin_load(&P); }
static void unload(void) { ar_test_plugin_unload(&P); }

TestSuite(abi_table, .init = load, .fini = unload);

Test(abi_table, header_fields) {
  const struct alien_ar_plugin *t = P.t;
  cr_assert_geq(t->struct_size, sizeof(struct alien_ar_plugin));
  cr_assert_eq(t->abi_major, 1);
  cr_assert_eq(t->reserved, 0);
  cr_assert_not_null(t->plugin_name);
  cr_assert_not_null(t->plugin_version);
  cr_assert_gt(strlen(t->plugin_name), 0);
  cr_assert_gt(strlen(t->plugin_version), 0);
}

Test(abi_table, every_function_slot_is_set) {
  typedef void (*fn_t)(void);
  const size_t first = offsetof(struct alien_ar_plugin, backend_count);
  const size_t end = sizeof(struct alien_ar_plugin);
  /* 22 slots in ABI 1.0; a miscount here means the header changed. */
  cr_assert_eq((end - first) / sizeof(fn_t), 22);
  const unsigned char *base = (const unsigned char *)P.t;
  for (size_t off = first; off + sizeof(fn_t) <= end; off += sizeof(fn_t)) {
    fn_t f;
    memcpy(&f, base + off, sizeof f);
    cr_assert_not_null(f, "slot %zu (byte offset %zu) is NULL",
                       (off - first) / sizeof(fn_t), off);
  }
}

Test(abi_table, backends) {
  /* `local` is registered first; `oci` follows (ABI 1.0 lists both). */
  cr_assert_eq(P.t->backend_count(), 2);
  const char *name = P.t->backend_name(0);
  cr_assert_not_null(name);
  cr_assert_str_eq(name, "local");
  cr_assert_str_eq(P.t->backend_name(1), "oci");
  cr_assert_null(P.t->backend_name(2));
  cr_assert_null(P.t->backend_name((size_t)-1));
}

Test(abi_table, status_strings_never_null) {
  for (alien_ar_status s = -2; s <= 12; s++) {
    const char *txt = P.t->status_string(s);
    cr_assert_not_null(txt, "status_string(%d)", s);
    cr_assert_gt(strlen(txt), 0, "status_string(%d)", s);
  }
  cr_assert_not_null(P.t->status_string(INT32_MAX));
  cr_assert_not_null(P.t->status_string(INT32_MIN));
  /* Real statuses are told apart. */
  for (alien_ar_status a = ALIEN_AR_OK; a <= ALIEN_AR_ERR_BACKEND; a++)
    for (alien_ar_status b = a + 1; b <= ALIEN_AR_ERR_BACKEND; b++)
      cr_assert_str_neq(P.t->status_string(a), P.t->status_string(b),
                        "statuses %d and %d share a text", a, b);
}

Test(abi_table, exactly_one_exported_symbol) {
  const char *const argv[] = {"nm", "-D", "--defined-only",
                              ALIEN_AR_TEST_PLUGIN_PATH, NULL};
  char *out = NULL, *err = NULL;
  int rc = ar_test_run(argv, NULL, 0, &out, NULL, &err);
  cr_assert_eq(rc, 0, "nm failed (%d): %s", rc, err);
  int found = 0, others = 0;
  char other_list[2048] = "";
  size_t ol = 0;
  char *save = NULL;
  for (char *line = strtok_r(out, "\n", &save); line;
       line = strtok_r(NULL, "\n", &save)) {
    /* "<addr> <type> <name>[@@VERSION]" */
    char *sp1 = strchr(line, ' ');
    if (!sp1 || sp1[1] == '\0' || sp1[2] != ' ')
      continue;
    char type = sp1[1];
    char *name = sp1 + 3;
    char *at = strchr(name, '@');
    if (at)
      *at = '\0';
    if (type == 'A' && strcmp(name, "ALIEN_AR_1") == 0)
      continue;
    if ((type == 'T' || type == 't') &&
        strcmp(name, "alien_ar_plugin_negotiate") == 0) {
      found++;
      continue;
    }
    others++;
    int n = snprintf(other_list + ol, sizeof other_list - ol, " %c:%s", type,
                     name);
    if (n > 0 && (size_t)n < sizeof other_list - ol)
      ol += (size_t)n;
  }
  cr_assert_eq(found, 1, "alien_ar_plugin_negotiate not exported as text");
  cr_assert_eq(others, 0, "unexpected exported symbols:%s", other_list);
  free(out);
  free(err);
}

Test(abi_table, handle_backend_names_local) {
  alien_ar_handle *h = ar_test_open_local(&P, "b", "localhost:5000", NULL);
  const char *b = P.t->handle_backend(h);
  cr_assert_not_null(b);
  cr_assert_str_eq(b, "local");
  P.t->close(h);
}
