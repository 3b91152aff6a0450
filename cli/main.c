/* alien-ar: a command line host for the alien artifact registry plugin. */
#include <stdio.h>
#include <stdlib.h>

#include "args.h"
#include "cli.h"
#include "dispatch.h"
#include "log.h"
#include "plugin.h"

/* --version reports on the plugin but must not fail because of it. */
static int print_version(const struct cli_options *opts)
{
  const char *path = cli_plugin_path(opts->plugin_path);
  struct cli_plugin p;
  char *why = NULL;

  printf("alien-ar %s\n", ALIEN_AR_VERSION);
  if(cli_plugin_load(&p, path, &why) == CLI_LOAD_OK) {
    printf("plugin %s %s (ABI %u.%u, agreed %u.%u) at %s\n",
           p.table->plugin_name, p.table->plugin_version,
           (unsigned)p.table->abi_major, (unsigned)p.table->abi_minor,
           (unsigned)ALIEN_AR_ABI_MAJOR, (unsigned)p.agreed_minor, path);
    cli_plugin_unload(&p);
  }
  else
    printf("plugin not loaded from %s: %s\n", path,
           why ? why : "out of memory");
  free(why);
  printf("host ABI %d.%d\n", ALIEN_AR_ABI_MAJOR, ALIEN_AR_ABI_MINOR);
  return fflush(stdout) ? CLI_EXIT_FAILURE : CLI_EXIT_OK;
}

int main(int argc, char **argv)
{
  struct cli_options opts;
  const char *bad_level;
  int rc;

  cli_log_init(&bad_level);
  if(bad_level)
    fprintf(stderr, "alien-ar: [warn] ALIEN_AR_LOG='%.32s' is not one of "
            "error, warn, info, debug, trace; logging is off\n",
            bad_level);
  rc = cli_parse_args(argc, argv, &opts);
  if(rc == CLI_EXIT_OK) {
    if(opts.help) {
      cli_help(stdout, &opts);
      rc = fflush(stdout) ? CLI_EXIT_FAILURE : CLI_EXIT_OK;
    }
    else if(opts.version)
      rc = print_version(&opts);
    else
      rc = cli_dispatch(&opts);
  }
  cli_options_free(&opts);
  return rc;
}
