/* 8 threads share ONE handle for 10,000 mixed operations (create, get,
 * re-create, delete, get of a deleted repository) on per-thread names,
 * with zero errors (concurrency_load.c). tsan.sh runs the same load under
 * ThreadSanitizer. ALIEN_AR_PERF_OPS overrides the total, for quick local
 * runs only. */
#include <criterion/criterion.h>
#include <stdlib.h>

#include "concurrency_load.h"
#include "plugin_loader.h"
#include "registry_fixture.h"

static struct ar_test_registry reg;
static struct ar_test_plugin plugin;
static alien_ar_handle *handle;

static void setup(void) {
  ar_test_registry_start(&reg, NULL);
  ar_test_plugin_load(&plugin);
  handle = ar_test_open_local(&plugin, "b", reg.url, NULL);
}

static void teardown(void) {
  if (plugin.t && handle)
    plugin.t->close(handle);
  handle = NULL;
  ar_test_plugin_unload(&plugin);
  ar_test_registry_stop(&reg);
}

TestSuite(perf_concurrency, .init = setup, .fini = teardown, .timeout = 600);

Test(perf_concurrency, eight_threads_ten_thousand_mixed_ops_one_handle) {
  char run_id[9];
  ar_test_random_hex(run_id, 8);
  const char *env = getenv("ALIEN_AR_PERF_OPS");
  long total = env && *env ? strtol(env, NULL, 10) : CONC_TOTAL_OPS;
  struct conc_result res;
  cr_assert_eq(conc_run(plugin.t, handle, run_id, CONC_THREADS, total, &res),
               0, "threads did not start");
  cr_log_info("%ld ops on one handle from %d threads in %.1f s (%.0f ops/s)",
              res.ops, CONC_THREADS, res.seconds,
              (double)res.ops / res.seconds);
  cr_assert_eq(res.ops, total);
  cr_assert_eq(res.errors, 0, "%ld of %ld operations failed; first: %s",
               res.errors, res.ops, res.first_failure);
}
