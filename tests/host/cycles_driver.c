/* The host cycles as a plain program, for tests/host/tsan.sh (Criterion
 * cannot start under ThreadSanitizer):
 *   host_cycles_driver PLUGIN_PATH REGISTRY_HOSTPORT [THREADS] [CYCLES]
 * THREADS (default 3) threads each run CYCLES (default 200) cycles of
 * dlopen, negotiate, open, create-or-get, close, dlclose at once. Exit 0
 * when every cycle succeeded. */
#include "cycles.h"

#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
  if(argc < 3) {
    fprintf(stderr, "usage: %s PLUGIN_PATH REGISTRY_HOSTPORT [THREADS] "
                    "[CYCLES]\n",
            argv[0]);
    return 2;
  }
  int threads = argc > 3 ? (int)strtol(argv[3], NULL, 10) : 3;
  int cycles = argc > 4 ? (int)strtol(argv[4], NULL, 10) : 200;
  char why[1024] = "";
  int failed = host_cycles_threads(argv[1], argv[2], threads, cycles, why,
                                   sizeof why);
  printf("%d thread(s) x %d cycles: %d failed%s%s\n", threads, cycles, failed,
         failed ? "; last: " : "", why);
  return failed ? 1 : 0;
}
