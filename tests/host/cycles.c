#include "cycles.h"

#define ALIEN_AR_NO_PROTOTYPES
#include <alien/artifact_registry.h>

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

static void on_log(void *user_data, int32_t level, const char *message)
{
  (void)user_data;
  (void)level;
  (void)message;
}

int host_cycle(const char *plugin_path, const char *hostport, int tid, int i,
               char *why, size_t whylen)
{
  void *dl = dlopen(plugin_path, RTLD_NOW | RTLD_LOCAL);
  if(!dl) {
    snprintf(why, whylen, "dlopen: %s", dlerror());
    return -1;
  }
  void *sym = dlsym(dl, ALIEN_AR_ENTRY_SYMBOL);
  alien_ar_negotiate_fn negotiate = NULL;
  const struct alien_ar_plugin *t = NULL;
  int rc = -1;
  if(sym)
    memcpy(&negotiate, &sym, sizeof negotiate);
  if(!negotiate
     || negotiate(ALIEN_AR_ABI_MAJOR, ALIEN_AR_ABI_MINOR, NULL, &t)
            != ALIEN_AR_OK) {
    snprintf(why, whylen, "negotiate failed");
    dlclose(dl);
    return -1;
  }
  char cfg[256], name[32];
  snprintf(cfg, sizeof cfg,
           "{\"service\":\"local\",\"registryUrl\":\"%s\",\"dataDir\":null}",
           hostport);
  snprintf(name, sizeof name, "cycle-t%d-%d", tid, i % 8);
  struct alien_ar_host host = { sizeof host, ALIEN_AR_LOG_DEBUG, on_log,
                                NULL };
  alien_ar_handle *h = NULL;
  struct alien_ar_error *err = NULL;
  struct alien_ar_repository *repo = NULL;
  alien_ar_status st = t->open("cyc", cfg, &host, &h, &err);
  if(st == ALIEN_AR_OK)
    st = (i % 2) ? t->create_repository(h, name, &repo, &err)
                 : t->get_repository(h, name, &repo, &err);
  /* A get before the first create of that name is NOT_FOUND: fine. */
  if(st == ALIEN_AR_OK || st == ALIEN_AR_ERR_NOT_FOUND)
    rc = 0;
  else {
    char *json = NULL;
    if(err)
      t->error_to_json(err, &json);
    snprintf(why, whylen, "thread %d cycle %d: status %d %s", tid, i, st,
             json ? json : "");
    t->string_free(json);
  }
  t->repository_free(repo);
  t->error_free(err);
  t->close(h);
  dlclose(dl);
  return rc;
}

struct worker {
  pthread_t thread;
  const char *plugin, *hostport;
  int tid, n, failures;
  char why[1024];
};

static void *work(void *arg)
{
  struct worker *w = arg;
  for(int i = 0; i < w->n; i++)
    if(host_cycle(w->plugin, w->hostport, w->tid, i, w->why, sizeof w->why)
       != 0)
      w->failures++;
  return NULL;
}

int host_cycles_threads(const char *plugin_path, const char *hostport,
                        int nthreads, int n, char *why, size_t whylen)
{
  struct worker w[8];
  int started = 0, failures = 0;
  memset(w, 0, sizeof w);
  if(nthreads > 8)
    nthreads = 8;
  for(int k = 0; k < nthreads; k++) {
    w[k].plugin = plugin_path;
    w[k].hostport = hostport;
    w[k].tid = k;
    w[k].n = n;
    if(pthread_create(&w[k].thread, NULL, work, &w[k]) != 0) {
      snprintf(why, whylen, "pthread_create failed");
      failures++;
      break;
    }
    started++;
  }
  for(int k = 0; k < started; k++) {
    pthread_join(w[k].thread, NULL);
    if(w[k].failures) {
      failures += w[k].failures;
      snprintf(why, whylen, "%s", w[k].why);
    }
  }
  return failures;
}
