#define _GNU_SOURCE
#include "wire.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Parses `... "METHOD PATH HTTP/x" STATUS ...`; 0 when it is not an access
 * line or is one of the fixture's sync probes. */
static int parse_line(const char *line, const char *end, struct wire_req *r) {
  const char *q = memchr(line, '"', (size_t)(end - line));
  if (!q || !strncmp(line, "time=", 5))
    return 0;
  const char *m = q + 1;
  const char *sp = memchr(m, ' ', (size_t)(end - m));
  const char *p = sp ? sp + 1 : NULL;
  const char *sp2 = p ? memchr(p, ' ', (size_t)(end - p)) : NULL;
  const char *q2 = sp2 ? memchr(sp2, '"', (size_t)(end - sp2)) : NULL;
  if (!q2 || strncmp(sp2 + 1, "HTTP/", 5) != 0 ||
      memmem(p, (size_t)(sp2 - p), "alien-sync=", 11))
    return 0;
  snprintf(r->method, sizeof r->method, "%.*s", (int)(sp - m), m);
  snprintf(r->path, sizeof r->path, "%.*s", (int)(sp2 - p), p);
  r->status = (int)strtol(q2 + 1, NULL, 10);
  return 1;
}

/* Counts the access lines of the log; with `collect`, copies those past
 * w->consumed into w->req. */
static size_t scan(struct wire *w, int collect) {
  char *log = ar_test_registry_log(w->reg);
  size_t index = 0;
  if (collect)
    w->n = 0;
  for (const char *line = log; *line;) {
    const char *end = strchr(line, '\n');
    if (!end)
      end = line + strlen(line);
    struct wire_req r;
    if (parse_line(line, end, &r)) {
      if (collect && index >= w->consumed) {
        cr_assert_lt(w->n, WIRE_MAX, "more than %d requests", WIRE_MAX);
        w->req[w->n++] = r;
      }
      index++;
    }
    line = *end ? end + 1 : end;
  }
  free(log);
  return index;
}

void wire_init(struct wire *w, struct ar_test_registry *reg) {
  memset(w, 0, sizeof *w);
  w->reg = reg;
  ar_test_registry_count_requests(reg, NULL, NULL); /* sync */
  w->consumed = scan(w, 0);
}

void wire_take(struct wire *w) {
  ar_test_registry_count_requests(w->reg, NULL, NULL); /* sync */
  scan(w, 1); /* collects the lines past the mark */
  w->consumed += w->n;
  for (size_t i = 0; i < w->n; i++)
    cr_expect(!(strcmp(w->req[i].method, "GET") == 0 &&
                strcmp(w->req[i].path, "/v2/") == 0),
              "request %zu is a GET /v2/ ping", i);
}

void wire_expect(const struct wire *w, size_t i, const char *method,
                 const char *prefix, int status) {
  cr_assert_lt(i, w->n, "request %zu missing (%zu on the wire)", i, w->n);
  const struct wire_req *r = &w->req[i];
  cr_expect_str_eq(r->method, method, "request %zu: %s %s", i, r->method,
                   r->path);
  cr_expect(strncmp(r->path, prefix, strlen(prefix)) == 0,
            "request %zu: path %s does not start with %s", i, r->path, prefix);
  cr_expect_eq(r->status, status, "request %zu: %s %s answered %d, not %d", i,
               r->method, r->path, r->status, status);
}
