/* A host built only against the *installed* SDK (the header found through
 * pkg-config or find_package): dlopen()s the installed plugin and runs
 * create, get, delete and get-after-delete against a real registry.
 *
 * Usage: pkg_host PLUGIN REGISTRY_HOSTPORT   (PLUGIN "-" = the path the
 * build system passed as ALIEN_AR_INSTALLED_PLUGIN) */
#include <alien/artifact_registry.h>
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

static int fail(const struct alien_ar_plugin *ar, const char *what,
                struct alien_ar_error *err)
{
  char *json = NULL;
  if(err)
    ar->error_to_json(err, &json);
  fprintf(stderr, "FAIL %s: %s\n", what, json ? json : "(no error)");
  ar->string_free(json);
  ar->error_free(err);
  return 1;
}

int main(int argc, char **argv)
{
  if(argc != 3)
    return 2;
  const char *path = argv[1];
#ifdef ALIEN_AR_INSTALLED_PLUGIN
  if(strcmp(path, "-") == 0)
    path = ALIEN_AR_INSTALLED_PLUGIN;
#endif
  void *dl = dlopen(path, RTLD_NOW | RTLD_LOCAL);
  if(!dl) {
    fprintf(stderr, "FAIL dlopen %s: %s\n", path, dlerror());
    return 1;
  }
  alien_ar_negotiate_fn negotiate;
  *(void **)&negotiate = dlsym(dl, ALIEN_AR_ENTRY_SYMBOL);
  const struct alien_ar_plugin *ar = NULL;
  uint32_t minor = 99;
  if(!negotiate
     || negotiate(ALIEN_AR_ABI_MAJOR, ALIEN_AR_ABI_MINOR, &minor, &ar)
            != ALIEN_AR_OK
     || !ar || ar->struct_size < sizeof(*ar)) {
    fprintf(stderr, "FAIL negotiate\n");
    return 1;
  }
  printf("loaded %s %s from %s (ABI %u.%u)\n", ar->plugin_name,
         ar->plugin_version, path, (unsigned)ar->abi_major, (unsigned)minor);

  char config[256];
  snprintf(config, sizeof(config),
           "{\"service\":\"local\",\"registryUrl\":\"%s\",\"dataDir\":null}",
           argv[2]);
  alien_ar_handle *h = NULL;
  struct alien_ar_error *err = NULL;
  struct alien_ar_repository *repo = NULL;
  if(ar->open("pkgtest", config, NULL, &h, &err) != ALIEN_AR_OK)
    return fail(ar, "open", err);
  if(ar->create_repository(h, "installed-app", &repo, &err) != ALIEN_AR_OK)
    return fail(ar, "create", err);
  printf("created %s at %s\n", repo->name, repo->uri);
  ar->repository_free(repo);
  repo = NULL;
  if(ar->get_repository(h, "pkgtest/installed-app", &repo, &err)
     != ALIEN_AR_OK)
    return fail(ar, "get", err);
  printf("got %s\n", repo->name);
  ar->repository_free(repo);
  repo = NULL;
  if(ar->delete_repository(h, "pkgtest/installed-app", &err) != ALIEN_AR_OK)
    return fail(ar, "delete", err);
  printf("deleted pkgtest/installed-app\n");
  alien_ar_status st = ar->get_repository(h, "pkgtest/installed-app", &repo,
                                          &err);
  if(st != ALIEN_AR_ERR_NOT_FOUND || !err
     || strcmp(err->code, "RESOURCE_NOT_FOUND") != 0) {
    fprintf(stderr, "FAIL get after delete: status %d\n", (int)st);
    return 1;
  }
  printf("get after delete: %s\n", err->code);
  ar->error_free(err);
  ar->close(h);
  dlclose(dl);
  return 0;
}
