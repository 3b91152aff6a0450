#include "args.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "dispatch.h"

/* Longest user text quoted back in a usage error; argv strings can be
 * huge and the usage text should stay readable. */
#define QUOTE_MAX 64

enum opt_id {
  OPT_PLUGIN, OPT_BINDING, OPT_CONFIG, OPT_PERMISSIONS, OPT_TTL,
  OPT_DATA_DIR, OPT_HELP, OPT_VERSION
};

struct opt_def {
  const char *name;
  enum opt_id id;
  int takes_value;
  unsigned command_flag;  /* only for commands with this flag; 0: any */
};

static const struct opt_def opt_defs[] = {
  { "--plugin", OPT_PLUGIN, 1, 0 },
  { "--binding", OPT_BINDING, 1, 0 },
  { "--config", OPT_CONFIG, 1, 0 },
  { "--permissions", OPT_PERMISSIONS, 1, CLI_CREDENTIAL_OPTIONS },
  { "--ttl", OPT_TTL, 1, CLI_CREDENTIAL_OPTIONS },
  { "--data-dir", OPT_DATA_DIR, 1, CLI_DATA_DIR_OPTION },
  { "--help", OPT_HELP, 0, 0 },
  { "-h", OPT_HELP, 0, 0 },
  { "--version", OPT_VERSION, 0, 0 },
};

/* Command-specific options seen, checked once the command is known. */
struct seen_options {
  unsigned flags;
  const char *first;
};

static const char usage_head[] =
  "Usage: alien-ar [--plugin PATH] --binding NAME [--config JSON] "
  "COMMAND [ARGS]\n"
  "       alien-ar [--plugin PATH] backends\n"
  "       alien-ar registry start|stop|status|binding|purge ID "
  "[--data-dir DIR]\n"
  "       alien-ar registry list [--data-dir DIR]\n"
  "       alien-ar [--plugin PATH] session\n"
  "       alien-ar [COMMAND] --help | --version\n"
  "\n"
  "Runs one operation of an alien artifact registry binding through the\n"
  "alien-artifact-registry plugin and prints the result as one JSON\n"
  "document on stdout. 'registry' runs local registries (docker-registry\n"
  "on 127.0.0.1) for the 'local' binding; 'session' serves many "
  "operations\n"
  "as JSON lines on stdin and stdout.\n"
  "\n"
  "Commands:\n";

static const char usage_tail[] =
  "\n"
  "Options (anywhere on the line; \"--opt=VALUE\" works too, \"--\" ends "
  "options):\n"
  "  --plugin PATH          the plugin to load (default: $ALIEN_AR_PLUGIN, "
  "then\n"
  "                         " ALIEN_AR_DEFAULT_PLUGIN ")\n"
  "  --binding NAME         the binding's name; also the first segment of\n"
  "                         repository names\n"
  "  --config JSON          the binding config (default: the value of\n"
  "                         ALIEN_<NAME>_BINDING)\n"
  "  --permissions PERMS    credentials: pull (default) or push-pull\n"
  "  --ttl SECONDS          credentials: requested lifetime, "
  "0..4294967295\n"
  "  --data-dir DIR         registry: the state directory (default:\n"
  "                         $XDG_STATE_HOME/alien-ar, else\n"
  "                         ~/.local/state/alien-ar)\n"
  "  -h, --help             print this help (or COMMAND's) and exit\n"
  "  --version              print the alien-ar and plugin versions and "
  "exit\n"
  "\n"
  "Environment:\n"
  "  ALIEN_<NAME>_BINDING   binding config JSON when --config is absent;\n"
  "                         NAME is the binding name upper-cased, '-' as "
  "'_'\n"
  "  ALIEN_AR_PLUGIN        plugin path when --plugin is absent\n"
  "  ALIEN_AR_LOG           log to stderr at this level: error, warn, "
  "info,\n"
  "                         debug or trace (default: off)\n"
  "\n"
  "Output:\n"
  "  On success one JSON document on stdout. On failure alien's error JSON\n"
  "  ({\"code\",\"message\",\"retryable\",\"internal\",...}) is the last "
  "line\n"
  "  of stderr.\n"
  "\n"
  "Exit status:\n"
  "  0  success\n"
  "  1  any other failure (registry or transport error, ...)\n"
  "  2  usage error (this text is printed to stderr)\n"
  "  3  RESOURCE_NOT_FOUND; registry: the registry is not running\n"
  "     (REGISTRY_NOT_RUNNING)\n"
  "  4  OPERATION_NOT_SUPPORTED\n"
  "  5  invalid configuration or input: BINDING_CONFIG_INVALID,\n"
  "     UNSUPPORTED_BINDING_PROVIDER, INVALID_INPUT, "
  "BINDING_NOT_CONFIGURED,\n"
  "     INVALID_REGISTRY_ID\n"
  "  6  the plugin could not be loaded (PLUGIN_LOAD_FAILED) or its ABI\n"
  "     does not match (ABI_MISMATCH)\n"
  "\n"
  "Example (a registry listening on localhost:5000):\n"
  "  B='{\"service\":\"local\",\"registryUrl\":\"localhost:5000\","
  "\"dataDir\":null}'\n"
  "  ALIEN_DEMO_BINDING=$B alien-ar --binding demo create my-app\n"
  "  {\"name\":\"demo/my-app\",\"uri\":\"localhost:5000/demo/my-app\","
  "\"createdAt\":null}\n"
  "\n"
  "Example (a registry of its own, on 127.0.0.1 and a free port):\n"
  "  export ALIEN_DEMO_BINDING=\"$(alien-ar registry start demo)\"\n"
  "  alien-ar --binding demo create my-app\n"
  "  alien-ar registry stop demo\n"
  "\n"
  "'alien-ar registry --help' and 'alien-ar session --help' say more.\n";

void cli_help(FILE *out, const struct cli_options *o)
{
  size_t i;

  /* `alien-ar WORD [...] --help`: the first word picks the text. */
  if(o->words && o->words[0]) {
    for(i = 0; i < cli_command_count; i++) {
      const struct cli_command *c = &cli_commands[i];
      if(c->help && !strcmp(c->name, o->words[0])) {
        fputs(c->help, out);
        return;
      }
    }
  }
  cli_usage(out);
}

void cli_usage(FILE *out)
{
  size_t i;

  fputs(usage_head, out);
  for(i = 0; i < cli_command_count; i++) {
    const struct cli_command *c = &cli_commands[i];
    int n = fprintf(out, "  %s%s%s%s%s", c->name, c->sub ? " " : "",
                    c->sub ? c->sub : "", *c->synopsis ? " " : "",
                    c->synopsis);
    if(n < 0)
      return;
    if(n > 24)
      fprintf(out, "\n%25s%s\n", "", c->summary);
    else
      fprintf(out, "%*s%s\n", 25 - n, "", c->summary);
  }
  fputs(usage_tail, out);
}

/* Remembers the first problem only; it is reported once parsing ends so
 * that --help and --version still win. */
static void problem(char **first, const char *fmt, ...)
  __attribute__((format(printf, 2, 3)));

static void problem(char **first, const char *fmt, ...)
{
  va_list ap;
  char buf[512];

  if(*first)
    return;
  va_start(ap, fmt);
  vsnprintf(buf, sizeof(buf), fmt, ap);
  va_end(ap);
  *first = strdup(buf);
  if(!*first)
    *first = strdup("out of memory");
}

static int parse_ttl(const char *s, int64_t *out)
{
  char *end = NULL;
  unsigned long long v;

  /* strtoull would accept leading blanks, a sign and "-1" wrapped around */
  if(*s < '0' || *s > '9')
    return -1;
  errno = 0;
  v = strtoull(s, &end, 10);
  if(errno || *end || v > UINT32_MAX)
    return -1;
  *out = (int64_t)v;
  return 0;
}

static void set_option(struct cli_options *o, const struct opt_def *d,
                       const char *value, char **first)
{
  switch(d->id) {
  case OPT_PLUGIN:
    o->plugin_path = value;
    break;
  case OPT_BINDING:
    o->binding = value;
    break;
  case OPT_CONFIG:
    o->config = value;
    break;
  case OPT_PERMISSIONS:
    if(!strcmp(value, "pull"))
      o->permissions = ALIEN_AR_PERMISSIONS_PULL;
    else if(!strcmp(value, "push-pull"))
      o->permissions = ALIEN_AR_PERMISSIONS_PUSH_PULL;
    else
      problem(first, "--permissions must be 'pull' or 'push-pull', not "
              "'%.*s'", QUOTE_MAX, value);
    break;
  case OPT_DATA_DIR:
    if(!*value)
      problem(first, "--data-dir must not be empty");
    o->data_dir = value;
    break;
  case OPT_TTL:
    if(parse_ttl(value, &o->ttl_seconds))
      problem(first, "--ttl must be a whole number of seconds from 0 to "
              "4294967295, not '%.*s'", QUOTE_MAX, value);
    break;
  case OPT_HELP:
    o->help = 1;
    break;
  case OPT_VERSION:
    o->version = 1;
    break;
  }
}

static const struct opt_def *find_option(const char *arg, size_t len)
{
  size_t i;

  for(i = 0; i < sizeof(opt_defs) / sizeof(opt_defs[0]); i++) {
    if(strlen(opt_defs[i].name) == len && !strncmp(opt_defs[i].name, arg,
                                                   len))
      return &opt_defs[i];
  }
  return NULL;
}

/* Names the sub-commands of a two-word command such as cross-account, or
 * says that the first word is not a command at all. */
static void unknown_command(char **words, int nwords, char **first)
{
  char subs[256] = "";
  size_t i, len = 0;

  for(i = 0; i < cli_command_count; i++) {
    const struct cli_command *c = &cli_commands[i];
    if(c->sub && !strcmp(c->name, words[0]) && len < sizeof(subs)) {
      int n = snprintf(subs + len, sizeof(subs) - len, "%s%s",
                       len ? ", " : "", c->sub);
      if(n > 0)
        len += (size_t)n;
    }
  }
  if(!len)
    problem(first, "unknown command '%.*s'", QUOTE_MAX, words[0]);
  else if(nwords < 2)
    problem(first, "'%s' needs a command: %s", words[0], subs);
  else
    problem(first, "unknown %s command '%.*s' (one of: %s)", words[0],
            QUOTE_MAX, words[1], subs);
}

/* Checks the words after the options against the command table. */
static void check_command(struct cli_options *o, char **words, int nwords,
                          const struct seen_options *seen, char **first)
{
  const struct cli_command *c;
  int used;

  if(nwords == 0) {
    problem(first, "no command given");
    return;
  }
  c = cli_command_find(words, nwords, &used);
  if(!c) {
    unknown_command(words, nwords, first);
    return;
  }
  o->command = c;
  o->args = words + used;
  o->nargs = nwords - used;
  if(o->nargs < c->min_args || o->nargs > c->max_args)
    problem(first, "wrong number of arguments; usage: alien-ar %s%s%s%s%s",
            c->name, c->sub ? " " : "", c->sub ? c->sub : "",
            *c->synopsis ? " " : "", c->synopsis);
  else if(seen->flags & ~c->flags)
    problem(first, "option '%s' is not valid for '%s%s%s'", seen->first,
            c->name, c->sub ? " " : "", c->sub ? c->sub : "");
  else if((c->flags & CLI_NEEDS_BINDING) && !o->binding)
    problem(first, "--binding NAME is required for this command");
  else if(o->binding && !*o->binding)
    problem(first, "--binding must not be empty");
}

int cli_parse_args(int argc, char **argv, struct cli_options *o)
{
  struct seen_options seen = { 0, NULL };
  char *first = NULL;
  int options_done = 0;
  int nwords = 0;
  int i;

  memset(o, 0, sizeof(*o));
  o->ttl_seconds = ALIEN_AR_TTL_NONE;
  o->words = calloc((size_t)(argc > 0 ? argc : 1), sizeof(char *));
  if(!o->words) {
    fputs("alien-ar: out of memory\n", stderr);
    return CLI_EXIT_FAILURE;
  }
  for(i = 1; i < argc; i++) {
    const char *a = argv[i];
    const struct opt_def *d;
    const char *eq;
    size_t len;

    if(options_done || a[0] != '-' || !a[1]) {
      o->words[nwords++] = argv[i];
      continue;
    }
    if(!strcmp(a, "--")) {
      options_done = 1;
      continue;
    }
    eq = strchr(a, '=');
    len = eq ? (size_t)(eq - a) : strlen(a);
    d = find_option(a, len);
    if(!d) {
      problem(&first, "unknown option '%.*s'", QUOTE_MAX, a);
      continue;
    }
    if(d->command_flag && !(seen.flags & d->command_flag)) {
      seen.flags |= d->command_flag;
      if(!seen.first)
        seen.first = d->name;
    }
    if(!d->takes_value) {
      if(eq)
        problem(&first, "option '%s' takes no value", d->name);
      else
        set_option(o, d, "", &first);
      continue;
    }
    if(eq)
      set_option(o, d, eq + 1, &first);
    else if(i + 1 < argc)
      set_option(o, d, argv[++i], &first);
    else
      problem(&first, "option '%s' needs a value", d->name);
  }
  if(o->help || o->version) {
    free(first);
    return CLI_EXIT_OK;
  }
  check_command(o, o->words, nwords, &seen, &first);
  if(!first)
    return CLI_EXIT_OK;
  fprintf(stderr, "alien-ar: %s\n\n", first);
  cli_usage(stderr);
  free(first);
  return CLI_EXIT_USAGE;
}

void cli_options_free(struct cli_options *o)
{
  free(o->words);
  o->words = NULL;
  o->args = NULL;
}
