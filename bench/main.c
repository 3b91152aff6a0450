/* alien-ar-bench: how fast the plugin is against a real registry, next to
 * the protocol's floor and the seed implementation's request pattern,
 * measured in the same run. See --help. */
#define _GNU_SOURCE
#include <curl/curl.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "clock.h"
#include "mem.h"
#include "ops.h"
#include "registry.h"
#include "report.h"

#define MAX_ROUNDS 100

static const char usage[] =
    "usage: alien-ar-bench [options]\n"
    "\n"
    "Starts a real registry (docker-registry serve, temp dir, 127.0.0.1:0,\n"
    "access log off), loads the plugin with dlopen and drives it through the\n"
    "negotiated table, as a host does. Everything stays on loopback.\n"
    "\n"
    "options:\n"
    "  --rounds N     rounds to take medians over (default 5, max 100)\n"
    "  --seconds S    timed seconds per variant per round (default 1.0)\n"
    "  --slices K     turns per variant per round: the variants of an\n"
    "                 operation alternate K times, S/K seconds each\n"
    "                 (default 5)\n"
    "  --threads N    threads on one handle for the concurrent column\n"
    "                 (default 4)\n"
    "  --gets N       gets in the RSS growth run (default 100000)\n"
    "  --handles N    handles opened for the per-handle cost (default 100)\n"
    "  --plugin PATH  the plugin to load (default: the one in this build)\n"
    "  --only LIST    measure only these operations, comma-separated keys:\n"
    "                 get, missing, cold, recreate, mount, delete (skipped\n"
    "                 ones print no row and SKIP for their targets)\n"
    "  --quick        a CTest-sized run of about 10 s: 1 round of 1 turn,\n"
    "                 0.25 s per variant, 5000 gets; later options still\n"
    "                 override\n"
    "  --help         this text\n"
    "\n"
    "operations: get (exists) and get (missing) of a repository; create\n"
    "(cold): the first create on a handle, nothing to mount (a fresh handle\n"
    "per batch, opened and warmed untimed); create (re-create): latest is\n"
    "already there; create (mount applies): the handle has created a\n"
    "repository before, so the config blob is mounted; delete of a one-tag\n"
    "repository (made untimed in each batch).\n"
    "\n"
    "columns: ops/s, the median over the rounds, of\n"
    "  ours 1T / ours NT  the plugin, 1 and N threads on ONE handle\n"
    "  floor              plain libcurl, one kept-alive connection, the fewest\n"
    "                     requests the protocol allows: get = HEAD; create =\n"
    "                     HEAD [+ POST + PUT blob | + mount POST] + PUT\n"
    "                     manifest; delete = tags/list + HEAD + DELETE\n"
    "  seed               plain libcurl as the Rust seed: a new connection\n"
    "                     per call, GET /v2/ before every request; get = 2\n"
    "                     requests, create = 8 (POST, PATCH, PUT blob, PUT\n"
    "                     manifest, each after a ping), whatever the case;\n"
    "                     its delete is a no-op, so not measured\n"
    "  ours/floor, ours/seed  ratios of the 1-thread medians (> 1 = faster)\n"
    "  NT/1               ours N threads / ours 1 thread\n"
    "  errors             failed operations, all variants, all rounds\n"
    "In each round the variants of one operation take turns (--slices), so\n"
    "drift hits all alike; the rounds give the medians. Then memory: RSS\n"
    "growth over --gets gets on one handle (after a warm-up), and the RSS\n"
    "of one extra open handle (--handles opened, divided), without and\n"
    "with a connection each. Last, every target of issue 4 with PASS or\n"
    "MISS: reported, never asserted.\n"
    "\n"
    "exit status: 0, or 1 when any operation failed, 2 on a setup failure\n"
    "(no registry, no plugin, bad option).\n";

struct options {
  int rounds, slices, threads, handles;
  unsigned only; /* bit per enum bench_op */
  long gets;
  double seconds;
  const char *plugin;
};

static struct bench_registry registry;

static void stop_registry(void) { bench_registry_stop(&registry); }

static void on_signal(int sig) {
  if (registry.pid > 0)
    kill(registry.pid, SIGKILL);
  _exit(128 + sig);
}

static int parse_long(const char *s, long lo, long hi, long *out) {
  char *end = NULL;
  errno = 0;
  long v = s ? strtol(s, &end, 10) : 0;
  if (!s || errno || end == s || *end || v < lo || v > hi)
    return -1;
  *out = v;
  return 0;
}

/* "mount,get" -> a bit per operation; -1 on an unknown key. */
static int parse_only(const char *list, unsigned *mask) {
  static const char *const keys[OP_COUNT] = {"get",      "missing", "cold",
                                             "recreate", "mount",   "delete"};
  *mask = 0;
  for (const char *p = list; *p;) {
    size_t n = strcspn(p, ",");
    int hit = -1;
    for (int op = 0; op < OP_COUNT; op++)
      if (strlen(keys[op]) == n && !strncmp(p, keys[op], n))
        hit = op;
    if (hit < 0)
      return -1;
    *mask |= 1u << hit;
    p += n + (p[n] == ',');
  }
  return *mask ? 0 : -1;
}

/* 0, or the index of the first option that is unknown, lacks its value or
 * has one out of range. */
static int parse_options(int argc, char **argv, struct options *o) {
  *o = (struct options){5, 5, 4, 100, ~0u, 100000, 1.0,
                        ALIEN_AR_BENCH_PLUGIN_PATH};
  const char *env = getenv("ALIEN_AR_PLUGIN");
  if (env && *env)
    o->plugin = env;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;
    long n;
    if (!strcmp(a, "--help")) {
      fputs(usage, stdout);
      exit(0);
    } else if (!strcmp(a, "--quick")) {
      o->rounds = 1;
      o->slices = 1;
      o->seconds = 0.25;
      o->gets = 5000;
      continue;
    } else if (!strcmp(a, "--only") && val) {
      if (parse_only(val, &o->only) != 0)
        return i;
    } else if (!strcmp(a, "--plugin") && val) {
      o->plugin = val;
    } else if (!strcmp(a, "--seconds") && val) {
      char *end = NULL;
      o->seconds = strtod(val, &end);
      if (end == val || *end || !(o->seconds > 0 && o->seconds <= 600))
        return i;
    } else if (!strcmp(a, "--rounds") && parse_long(val, 1, MAX_ROUNDS, &n) == 0)
      o->rounds = (int)n;
    else if (!strcmp(a, "--slices") && parse_long(val, 1, 100, &n) == 0)
      o->slices = (int)n;
    else if (!strcmp(a, "--threads") && parse_long(val, 2, 64, &n) == 0)
      o->threads = (int)n;
    else if (!strcmp(a, "--gets") && parse_long(val, 1, 100000000, &n) == 0)
      o->gets = n;
    else if (!strcmp(a, "--handles") && parse_long(val, 1, 10000, &n) == 0)
      o->handles = (int)n;
    else
      return i;
    i++;
  }
  return 0;
}

static void print_machine(const struct options *o) {
  struct utsname u;
  char model[128] = "unknown", line[256];
  FILE *f = fopen("/proc/cpuinfo", "r");
  while (f && fgets(line, sizeof line, f)) {
    char *colon = strchr(line, ':');
    if (!strncmp(line, "model name", 10) && colon) {
      snprintf(model, sizeof model, "%s", colon + 2);
      model[strcspn(model, "\n")] = '\0';
      break;
    }
  }
  if (f)
    fclose(f);
  double load[3] = {0, 0, 0};
  if (getloadavg(load, 3) < 0)
    load[0] = -1;
  uname(&u);
  printf("machine: %s %s, %ld CPUs (%s), load %.2f at start\n", u.sysname,
         u.release, sysconf(_SC_NPROCESSORS_ONLN), model, load[0]);
  printf("registry: docker-registry %s on %s (log level info, access log "
         "off); %s\n", bench_registry_version(), registry.hostport,
         curl_version());
  printf("plugin: %s %s from %s\n", bench_ar->plugin_name,
         bench_ar->plugin_version, o->plugin);
  printf("run: %d round(s), %.2f timed s per variant per round in %d "
         "turn(s), %d threads for the concurrent column\n",
         o->rounds, o->seconds, o->slices, o->threads);
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static double median(double *v, int n) {
  qsort(v, (size_t)n, sizeof *v, cmp_double);
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* One round of one operation: its variants take turns, each running
 * seconds/slices at a time, so a slow spell of the shared machine lands
 * on all of them rather than on whichever ran during it. */
static int run_op_round(struct bench_env *env, const struct options *o,
                        enum bench_op op, double ops_per_s[V_COUNT],
                        struct bench_cell cells[V_COUNT]) {
  const enum bench_who who[V_COUNT] = {WHO_OURS, WHO_OURS, WHO_FLOOR,
                                       WHO_SEED};
  const int threads[V_COUNT] = {1, o->threads, 1, 1};
  double ops[V_COUNT] = {0}, secs[V_COUNT] = {0};
  for (int s = 0; s < o->slices; s++)
    for (int v = 0; v < V_COUNT; v++) {
      struct bench_result res;
      if (!bench_has_variant(op, who[v]))
        continue;
      if (bench_run_variant(env, op, who[v], threads[v],
                            o->seconds / o->slices, &res) != 0) {
        fprintf(stderr, "alien-ar-bench: %s could not run\n",
                bench_op_names[op]);
        return -1;
      }
      ops[v] += (double)res.ops;
      secs[v] += res.seconds;
      cells[v].errors += res.errors;
    }
  for (int v = 0; v < V_COUNT; v++)
    ops_per_s[v] = secs[v] > 0 ? ops[v] / secs[v] : -1;
  return 0;
}

static int run_rounds(struct bench_env *env, const struct options *o,
                      struct bench_cell cells[OP_COUNT][V_COUNT]) {
  static double samples[OP_COUNT][V_COUNT][MAX_ROUNDS];
  for (int r = 0; r < o->rounds; r++) {
    double t0 = bench_now();
    for (int op = 0; op < OP_COUNT; op++) {
      double ops_per_s[V_COUNT] = {-1, -1, -1, -1};
      if ((o->only & (1u << op)) &&
          run_op_round(env, o, (enum bench_op)op, ops_per_s, cells[op]) != 0)
        return -1;
      for (int v = 0; v < V_COUNT; v++)
        samples[op][v][r] = ops_per_s[v];
    }
    fprintf(stderr, "round %d of %d done in %.1f s\n", r + 1, o->rounds,
            bench_now() - t0);
  }
  for (int op = 0; op < OP_COUNT; op++)
    for (int v = 0; v < V_COUNT; v++)
      cells[op][v].median = samples[op][v][0] < 0
                                ? -1
                                : median(samples[op][v], o->rounds);
  return 0;
}

/* The RSS of one extra handle: open many, divide; then give each one a
 * connection, as a handle in use has. */
static int measure_handles(struct bench_env *env, int n,
                           struct bench_memory *m) {
  alien_ar_handle **hs = calloc((size_t)n, sizeof *hs);
  if (!hs)
    return -1;
  long rss0 = bench_rss_bytes();
  size_t heap0 = bench_heap_bytes();
  int rc = 0;
  for (int i = 0; i < n && rc == 0; i++)
    rc = (hs[i] = bench_host_open(env->hostport)) ? 0 : -1;
  long rss1 = bench_rss_bytes();
  size_t heap1 = bench_heap_bytes();
  for (int i = 0; i < n && rc == 0; i++)
    rc = bench_ours_get(hs[i]);
  long rss2 = bench_rss_bytes();
  for (int i = 0; i < n; i++)
    bench_ar->close(hs[i]);
  free(hs);
  m->handles = n;
  m->rss_per_handle = (rss1 - rss0) / n;
  m->heap_per_handle = ((long)heap1 - (long)heap0) / n;
  m->rss_per_used_handle = (rss2 - rss0) / n;
  return rc;
}

static int get_op(void *ctx, int t) {
  (void)t;
  return bench_ours_get(((struct bench_env *)ctx)->h);
}

/* RSS growth over o->gets gets on the main handle, after a warm-up with
 * the same threads so pools, arenas and stacks already exist. */
static int measure_growth(struct bench_env *env, const struct options *o,
                          struct bench_memory *m) {
  struct bench_job job = {.threads = o->threads, .ctx = env, .op = get_op};
  struct bench_result res;
  long warm = o->gets / 10 < 2000 ? o->gets / 10 : 2000;
  job.ops_per_batch = (int)(warm / o->threads + 1);
  if (bench_run(&job, &res) != 0 || res.errors)
    return -1;
  long rss0 = bench_rss_bytes();
  size_t heap0 = bench_heap_bytes();
  job.ops_per_batch = (int)(o->gets / o->threads);
  if (bench_run(&job, &res) != 0)
    return -1;
  m->gets = res.ops;
  m->rss_growth = bench_rss_bytes() - rss0;
  m->heap_growth = (long)bench_heap_bytes() - (long)heap0;
  fprintf(stderr, "memory run: %ld gets, %ld errors, %.0f gets/s\n", res.ops,
          res.errors, res.ops_per_s);
  return res.errors ? -1 : 0;
}

int main(int argc, char **argv) {
  struct options o;
  int bad = parse_options(argc, argv, &o);
  if (bad) {
    fprintf(stderr,
            "alien-ar-bench: bad option or value: %s%s%s\n"
            "(alien-ar-bench --help lists the options and their ranges)\n",
            argv[bad], bad + 1 < argc ? " " : "",
            bad + 1 < argc ? argv[bad + 1] : "");
    return 2;
  }
  setvbuf(stdout, NULL, _IOLBF, 0);
  if (bench_host_load(o.plugin) != 0)
    return 2;
  /* The baselines use libcurl from several threads' worth of handles. */
  if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
    return 2;
  signal(SIGINT, on_signal);
  signal(SIGTERM, on_signal);
  if (bench_registry_start(&registry) != 0)
    return 2;
  atexit(stop_registry);
  print_machine(&o);

  struct bench_env env = {.base_url = registry.url,
                          .hostport = registry.hostport};
  atomic_init(&env.seq, 0);
  env.h = bench_host_open(registry.hostport);
  env.floor = bench_floor_new(registry.url);
  if (!env.h || !env.floor || bench_env_prepare(&env) != 0) {
    fprintf(stderr, "alien-ar-bench: setup against the registry failed\n");
    return 2;
  }
  struct bench_memory mem = {0};
  /* Handles first, on a young heap, so free chunks left by the rounds do
   * not hide what a handle costs. */
  if (measure_handles(&env, o.handles, &mem) != 0) {
    fprintf(stderr, "alien-ar-bench: opening %d handles failed\n", o.handles);
    return 2;
  }
  static struct bench_cell cells[OP_COUNT][V_COUNT];
  if (run_rounds(&env, &o, cells) != 0)
    return 2;
  long mem_errors = measure_growth(&env, &o, &mem) != 0;
  long errors = bench_report(cells, o.threads, &mem) + mem_errors;
  bench_ar->close(env.h);
  bench_floor_free(env.floor);
  return errors ? 1 : 0;
}
