/* Load/open/close/unload cycles must not leak descriptors, and handles are
 * independent of each other. */
#include "plugin_loader.h"

#include <criterion/criterion.h>
#include <dirent.h>
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int fd_count(void) {
  DIR *d = opendir("/proc/self/fd");
  cr_assert_not_null(d);
  int n = 0;
  struct dirent *e;
  while ((e = readdir(d)) != NULL)
    if (e->d_name[0] != '.')
      n++;
  closedir(d);
  return n;
}

static void one_cycle(int i) {
  void *dl = dlopen(ALIEN_AR_TEST_PLUGIN_PATH, RTLD_NOW | RTLD_LOCAL);
  cr_assert_not_null(dl, "cycle %d: dlopen: %s", i, dlerror());
  void *sym = dlsym(dl, ALIEN_AR_ENTRY_SYMBOL);
  cr_assert_not_null(sym, "cycle %d", i);
  alien_ar_negotiate_fn negotiate;
  memcpy(&negotiate, &sym, sizeof negotiate);
  const struct alien_ar_plugin *t = NULL;
  cr_assert_eq(negotiate(ALIEN_AR_ABI_MAJOR, ALIEN_AR_ABI_MINOR, NULL, &t),
               ALIEN_AR_OK, "cycle %d", i);
  alien_ar_handle *h = NULL;
  struct alien_ar_error *err = NULL;
  alien_ar_status st = t->open(
      "cycle-binding",
      "{\"service\":\"local\",\"registryUrl\":\"localhost:5000\","
      "\"dataDir\":null}",
      NULL, &h, &err);
  cr_assert_eq(st, ALIEN_AR_OK, "cycle %d: open %d", i, st);
  cr_assert_null(err);
  t->close(h);
  cr_assert_eq(dlclose(dl), 0, "cycle %d: dlclose: %s", i, dlerror());
}

Test(abi_lifecycle, three_hundred_cycles_keep_fd_count_flat) {
  /* The first cycle may initialise process-wide state (libcurl, GnuTLS). */
  one_cycle(-1);
  int before = fd_count();
  for (int i = 0; i < 300; i++)
    one_cycle(i);
  int after = fd_count();
  cr_assert_eq(after, before, "fds before %d, after 300 cycles %d", before,
               after);
}

Test(abi_lifecycle, many_handles_open_at_once) {
  struct ar_test_plugin p;
  ar_test_plugin_load(&p);
  enum { N = 64 };
  alien_ar_handle *h[N];
  for (int i = 0; i < N; i++) {
    char url[32];
    snprintf(url, sizeof url, "localhost:%d", 20000 + i);
    h[i] = ar_test_open_local(&p, "many", url, NULL);
  }
  for (int i = 0; i < N; i++) {
    char want[48];
    snprintf(want, sizeof want, "http://localhost:%d", 20000 + i);
    char *ep = NULL;
    struct alien_ar_error *err = NULL;
    ar_test_expect_ok(&p, p.t->registry_endpoint(h[i], &ep, &err), err,
                      "registry_endpoint");
    cr_assert_str_eq(ep, want, "handle %d", i);
    p.t->string_free(ep);
  }
  for (int i = N - 1; i >= 0; i--)
    p.t->close(h[i]);
  ar_test_plugin_unload(&p);
}
