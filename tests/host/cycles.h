/* The host's load/unload cycle, shared by test_host_cycles (Criterion) and
 * cycles_driver (the same cycles under ThreadSanitizer, tsan.sh): dlopen,
 * dlsym, negotiate, open a `local` handle, create or get, close, dlclose. */
#ifndef ALIEN_AR_TEST_HOST_CYCLES_H
#define ALIEN_AR_TEST_HOST_CYCLES_H

#include <stddef.h>

/* One cycle against the registry at `hostport`; `tid` and `i` pick the
 * repository (8 names per thread, odd cycles create, even ones get).
 * Returns 0, or -1 with `why` filled. Thread-safe. */
int host_cycle(const char *plugin_path, const char *hostport, int tid, int i,
               char *why, size_t whylen);

/* `nthreads` threads (at most 8) doing `n` cycles each. Returns the number
 * of failed cycles; `why` holds the last failure. */
int host_cycles_threads(const char *plugin_path, const char *hostport,
                        int nthreads, int n, char *why, size_t whylen);

#endif
