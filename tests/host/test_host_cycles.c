/* 1,000 cycles of dlopen, negotiate, open, create-or-get, close, dlclose
 * against a real registry, with file descriptors (/proc/self/fd) and
 * resident memory (VmRSS) measured after a warm-up and at the end: both
 * must stay flat. Then three host threads doing the same cycles at once.
 * The numbers are logged (run with --verbose to see them).
 *
 * ALIEN_AR_TEST_CYCLES overrides the count (slow runs such as valgrind);
 * the RSS bound is not checked under AddressSanitizer (its quarantine holds
 * freed memory on purpose) or when ALIEN_AR_TEST_NO_RSS is set. */
#include "cycles.h"
#include "plugin_loader.h"
#include "registry_fixture.h"

#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif
#ifndef UNDER_ASAN
#define UNDER_ASAN 0
#endif

/* Growth allowed between the warm-up and the end: malloc arenas and the
 * registry's varying answers move RSS by a few pages, a leak of even 1 KiB
 * per cycle would show as 1 MiB. */
#define RSS_SLACK_KIB 1024
#define WARMUP 50

static struct ar_test_registry REG;

static void setup(void) { ar_test_registry_start(&REG, NULL); }
static void teardown(void) { ar_test_registry_stop(&REG); }

TestSuite(host_cycles, .init = setup, .fini = teardown, .timeout = 600);

static int cycles(void)
{
  const char *v = getenv("ALIEN_AR_TEST_CYCLES");
  return v ? (int)strtol(v, NULL, 10) : 1000;
}

static int check_rss(void)
{
  return !UNDER_ASAN && !getenv("ALIEN_AR_TEST_NO_RSS");
}

static int count_fds(void)
{
  DIR *d = opendir("/proc/self/fd");
  cr_assert_not_null(d);
  int n = 0;
  struct dirent *e;
  while((e = readdir(d)))
    if(e->d_name[0] != '.')
      n++;
  closedir(d);
  return n - 1; /* the directory's own descriptor */
}

static int one_cycle(int tid, int i, char *why, size_t whylen)
{
  return host_cycle(ALIEN_AR_TEST_PLUGIN_PATH, REG.ip_hostport, tid, i, why,
                    whylen);
}

static void run_threads(int nthreads, int n)
{
  char why[1024] = "";
  int failed = host_cycles_threads(ALIEN_AR_TEST_PLUGIN_PATH, REG.ip_hostport,
                                   nthreads, n, why, sizeof why);
  cr_assert_eq(failed, 0, "%d failed cycles, last: %s", failed, why);
}

static void measured(int nthreads)
{
  int n = cycles();
  char why[1024];
  /* Warm-up: first load, libcurl and GnuTLS initialisation, malloc
   * arenas of every thread. */
  if(nthreads == 1)
    for(int i = 0; i < WARMUP; i++)
      cr_assert_eq(one_cycle(0, i, why, sizeof why), 0, "%s", why);
  else
    run_threads(nthreads, WARMUP);
  int fd0 = count_fds();
  long rss0 = ar_test_proc_status_kib("VmRSS");
  double t0 = ar_test_now();
  if(nthreads == 1)
    for(int i = 0; i < n / 2; i++)
      cr_assert_eq(one_cycle(0, i, why, sizeof why), 0, "%s", why);
  else
    run_threads(nthreads, n / 2);
  long rss_half = ar_test_proc_status_kib("VmRSS");
  if(nthreads == 1)
    for(int i = n / 2; i < n; i++)
      cr_assert_eq(one_cycle(0, i, why, sizeof why), 0, "%s", why);
  else
    run_threads(nthreads, n - n / 2);
  double dt = ar_test_now() - t0;
  int fd1 = count_fds();
  long rss1 = ar_test_proc_status_kib("VmRSS");
  cr_log_info("%d thread(s) x %d cycles in %.2f s: fds %d -> %d, VmRSS %ld "
              "-> %ld -> %ld KiB (%+ld KiB)%s",
              nthreads, n, dt, fd0, fd1, rss0, rss_half, rss1, rss1 - rss0,
              check_rss() ? "" : " (RSS not checked in this build)");
  cr_assert_eq(fd1, fd0, "file descriptors leaked: %d before, %d after", fd0,
               fd1);
  if(check_rss()) {
    cr_assert_leq(rss1 - rss0, RSS_SLACK_KIB,
                  "RSS grew by %ld KiB over %d cycles", rss1 - rss0,
                  n * nthreads);
    cr_assert_leq(rss1 - rss_half, RSS_SLACK_KIB / 2,
                  "RSS still growing: %ld KiB over the last %d cycles",
                  rss1 - rss_half, (n - n / 2) * nthreads);
  }
}

Test(host_cycles, one_thread) { measured(1); }

Test(host_cycles, three_threads) { measured(3); }
