/* What the plugin put on the wire, read back from the real registry's
 * access log (lines like `"HEAD /v2/b/x/manifests/latest HTTP/1.1" 200`). */
#ifndef ALIEN_AR_TEST_PERF_WIRE_H
#define ALIEN_AR_TEST_PERF_WIRE_H

#include <stddef.h>

#include "registry_fixture.h"

#define WIRE_MAX 64

struct wire_req {
  char method[16];
  char path[1024]; /* query included */
  int status;
};

struct wire {
  struct ar_test_registry *reg;
  size_t consumed; /* access-log lines already handed out */
  size_t n;
  struct wire_req req[WIRE_MAX];
};

/* Starts at the current end of the log (the fixture's own readiness
 * probes are not the plugin's). */
void wire_init(struct wire *w, struct ar_test_registry *reg);

/* Fills w->req with every request logged since the previous call (waits
 * until requests already answered are in the log). Asserts that none of
 * them is a `GET /v2/` ping. */
void wire_take(struct wire *w);

/* Asserts request i is METHOD with a path starting with PREFIX and the
 * given status. */
void wire_expect(const struct wire *w, size_t i, const char *method,
                 const char *prefix, int status);

#endif
