#include "host.h"

#include <dlfcn.h>
#include <stdatomic.h>
#include <stdio.h>

const struct alien_ar_plugin *bench_ar;

int bench_host_load(const char *path) {
  void *dl = dlopen(path, RTLD_NOW | RTLD_LOCAL);
  if (!dl) {
    fprintf(stderr, "cannot load the plugin: %s\n", dlerror());
    return -1;
  }
  alien_ar_negotiate_fn negotiate;
  *(void **)&negotiate = dlsym(dl, ALIEN_AR_ENTRY_SYMBOL);
  uint32_t agreed = 0;
  if (!negotiate ||
      negotiate(ALIEN_AR_ABI_MAJOR, ALIEN_AR_ABI_MINOR, &agreed, &bench_ar) !=
          ALIEN_AR_OK ||
      !bench_ar) {
    fprintf(stderr, "the plugin at %s does not speak ABI %d\n", path,
            ALIEN_AR_ABI_MAJOR);
    return -1;
  }
  /* The plugin stays loaded until exit: hosts keep it, and it is linked
   * -z nodelete anyway. */
  return 0;
}

alien_ar_handle *bench_host_open(const char *hostport) {
  char cfg[256];
  snprintf(cfg, sizeof cfg,
           "{\"service\":\"local\",\"registryUrl\":\"%s\",\"dataDir\":null}",
           hostport);
  alien_ar_handle *h = NULL;
  struct alien_ar_error *err = NULL;
  if (bench_ar->open("bench", cfg, NULL, &h, &err) != ALIEN_AR_OK) {
    bench_host_report("open", err);
    return NULL;
  }
  return h;
}

void bench_host_report(const char *what, struct alien_ar_error *err) {
  /* Errors are counted by the caller; printing every one would flood. */
  static atomic_int printed;
  if (err && atomic_fetch_add(&printed, 1) < 5) {
    char *json = NULL;
    bench_ar->error_to_json(err, &json);
    fprintf(stderr, "%s failed: %s\n", what, json ? json : "(no JSON)");
    bench_ar->string_free(json);
  }
  bench_ar->error_free(err);
}
