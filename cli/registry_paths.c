#define _XOPEN_SOURCE 700 /* realpath */
#include "registry_paths.h"

#include <errno.h>
#include <limits.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "fsutil.h"
#include "registry_error.h"

int reg_id_valid(const char *id)
{
  size_t i;

  if(!((id[0] >= 'a' && id[0] <= 'z') || (id[0] >= '0' && id[0] <= '9')))
    return 0;
  for(i = 0; id[i]; i++) {
    char c = id[i];
    if(i >= REG_ID_MAX)
      return 0;
    if(!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == '-'))
      return 0;
  }
  return 1;
}

/* $XDG_STATE_HOME/alien-ar, else ~/.local/state/alien-ar (XDG ignores a
 * relative XDG_STATE_HOME). */
static char *default_data_dir(void)
{
  const char *xdg = getenv("XDG_STATE_HOME");
  const char *home = getenv("HOME");

  if(xdg && xdg[0] == '/')
    return cli_path_join(xdg, "alien-ar");
  if(!home || home[0] != '/') {
    struct passwd *pw = getpwuid(getuid());
    home = pw && pw->pw_dir && pw->pw_dir[0] == '/' ? pw->pw_dir : NULL;
  }
  if(!home)
    return NULL;
  return cli_path_join(home, ".local/state/alien-ar");
}

static int has_control_chars(const char *s)
{
  for(; *s; s++)
    if((unsigned char)*s < 0x20 || *s == 0x7f)
      return 1;
  return 0;
}

static void free_derived(struct reg_paths *p)
{
  free(p->base);
  free(p->dir);
  free(p->pid);
  free(p->port);
  free(p->config);
  free(p->log);
  free(p->lock);
  free(p->metadata);
  free(p->storage);
  p->base = p->dir = p->pid = p->port = p->config = p->log = p->lock =
    p->metadata = p->storage = NULL;
}

/* Builds everything below root. 0, or -1 when out of memory. */
static int derive(struct reg_paths *p)
{
  free_derived(p);
  p->base = cli_path_join(p->root, "artifact_registry");
  if(!p->base)
    return -1;
  if(!p->id)
    return 0;
  p->dir = cli_path_join(p->base, p->id);
  if(!p->dir)
    return -1;
  p->pid = cli_path_join(p->dir, "pid");
  p->port = cli_path_join(p->dir, "port");
  p->config = cli_path_join(p->dir, "config.yml");
  p->log = cli_path_join(p->dir, "registry.log");
  p->lock = cli_path_join(p->dir, "lock");
  p->metadata = cli_path_join(p->dir, "metadata.json");
  p->storage = cli_path_join(p->dir, "data");
  if(!p->pid || !p->port || !p->config || !p->log || !p->lock ||
     !p->metadata || !p->storage)
    return -1;
  return 0;
}

int reg_paths_init(struct reg_paths *p, const char *data_dir,
                   const char *id)
{
  char *chosen, *canonical;

  memset(p, 0, sizeof(*p));
  p->id = id;
  if(id && !reg_id_valid(id))
    return reg_fail_invalid_id(id);
  chosen = data_dir ? strdup(data_dir) : default_data_dir();
  if(!chosen)
    return reg_fail_state(id, NULL, data_dir ? "Out of memory" :
                          "No data directory: set --data-dir, "
                          "XDG_STATE_HOME or HOME", 0);
  p->root = cli_path_absolute(chosen);
  free(chosen);
  if(!p->root)
    return reg_fail_state(id, NULL, "Cannot make the data directory "
                          "path absolute", errno);
  /* The path goes into a YAML config and a command line that identifies
   * the server; keep it printable. */
  if(has_control_chars(p->root)) {
    int rc = reg_fail_state(id, NULL, "The data directory path contains "
                            "control characters", 0);
    reg_paths_free(p);
    return rc;
  }
  /* Resolve symbolic links when the directory exists, so that one
   * registry has one config path whichever way it is named. */
  canonical = realpath(p->root, NULL);
  if(canonical) {
    free(p->root);
    p->root = canonical;
  }
  if(derive(p)) {
    reg_paths_free(p);
    return reg_fail_state(id, NULL, "Out of memory", ENOMEM);
  }
  return CLI_EXIT_OK;
}

int reg_paths_canonicalize(struct reg_paths *p)
{
  char *canonical = realpath(p->root, NULL);

  if(!canonical)
    return -1;
  free(p->root);
  p->root = canonical;
  if(derive(p)) {
    errno = ENOMEM;
    return -1;
  }
  return 0;
}

void reg_paths_free(struct reg_paths *p)
{
  free_derived(p);
  free(p->root);
  p->root = NULL;
}
