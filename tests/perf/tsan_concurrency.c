/* The concurrency load as a plain program, for tests/perf/tsan.sh:
 *   perf_concurrency_driver PLUGIN_PATH REGISTRY_URL [TOTAL_OPS]
 * Loads the plugin as a host does, opens one handle, runs the load from
 * 8 threads. Exit 0 when every operation gave the expected outcome. */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "concurrency_load.h"

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: %s PLUGIN_PATH REGISTRY_URL [TOTAL_OPS]\n",
            argv[0]);
    return 2;
  }
  void *dl = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
  alien_ar_negotiate_fn negotiate = NULL;
  const struct alien_ar_plugin *t = NULL;
  if (dl)
    *(void **)&negotiate = dlsym(dl, ALIEN_AR_ENTRY_SYMBOL);
  if (!negotiate ||
      negotiate(ALIEN_AR_ABI_MAJOR, ALIEN_AR_ABI_MINOR, NULL, &t) !=
          ALIEN_AR_OK) {
    fprintf(stderr, "cannot load %s: %s\n", argv[1], dl ? "" : dlerror());
    return 2;
  }
  char cfg[256];
  snprintf(cfg, sizeof cfg,
           "{\"service\":\"local\",\"registryUrl\":\"%s\",\"dataDir\":null}",
           argv[2]);
  alien_ar_handle *h = NULL;
  if (t->open("b", cfg, NULL, &h, NULL) != ALIEN_AR_OK) {
    fprintf(stderr, "open failed for %s\n", argv[2]);
    return 2;
  }
  char run_id[16];
  snprintf(run_id, sizeof run_id, "%08lx",
           (unsigned long)time(NULL) & 0xffffffffUL);
  long total = argc > 3 ? strtol(argv[3], NULL, 10) : CONC_TOTAL_OPS;
  struct conc_result res;
  int rc = conc_run(t, h, run_id, CONC_THREADS, total, &res);
  t->close(h);
  printf("%ld ops on one handle from %d threads in %.1f s, %ld error(s)%s%s\n",
         res.ops, CONC_THREADS, res.seconds, res.errors,
         res.first_failure[0] ? "; first: " : "", res.first_failure);
  return rc == 0 && res.errors == 0 && res.ops == total ? 0 : 1;
}
