/* The minimal host from the README, built and run by the test suite so the
 * README's example cannot rot. Usage: minimal_host PLUGIN REGISTRY_HOSTPORT */
#include <alien/artifact_registry.h>
#include <dlfcn.h>
#include <stdio.h>

static void on_log(void *user, int32_t level, const char *message)
{
  (void)user;
  fprintf(stderr, "[%d] %s\n", (int)level, message);
}

int main(int argc, char **argv)
{
  if(argc != 3)
    return 2;
  void *dl = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
  if(!dl)
    return 1;
  alien_ar_negotiate_fn negotiate;
  *(void **)&negotiate = dlsym(dl, ALIEN_AR_ENTRY_SYMBOL);
  const struct alien_ar_plugin *ar = NULL;
  if(!negotiate
     || negotiate(ALIEN_AR_ABI_MAJOR, ALIEN_AR_ABI_MINOR, NULL, &ar)
            != ALIEN_AR_OK)
    return 1;

  char config[256];
  snprintf(config, sizeof(config),
           "{\"service\":\"local\",\"registryUrl\":\"%s\",\"dataDir\":null}",
           argv[2]);
  struct alien_ar_host host = { sizeof(host), ALIEN_AR_LOG_INFO, on_log,
                                NULL };
  alien_ar_handle *h = NULL;
  struct alien_ar_error *err = NULL;
  struct alien_ar_repository *repo = NULL;
  if(ar->open("demo", config, &host, &h, &err) == ALIEN_AR_OK
     && ar->create_repository(h, "my-app", &repo, &err) == ALIEN_AR_OK) {
    printf("created %s at %s\n", repo->name, repo->uri);
    ar->repository_free(repo);
  }
  int rc = 0;
  if(err) {
    char *json = NULL;
    ar->error_to_json(err, &json);
    fprintf(stderr, "%s\n", json ? json : err->message);
    ar->string_free(json);
    ar->error_free(err);
    rc = 1;
  }
  ar->close(h);
  dlclose(dl);
  return rc;
}
