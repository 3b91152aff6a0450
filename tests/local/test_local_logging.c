/* The host's log level decides what reaches the callback. */
#include "local_env.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct local_env E;

static void start_at(int32_t level) {
  struct local_env_options o = {.binding = "b", .log_level = level};
  local_env_start(&E, &o);
}
static void setup_trace(void) { start_at(ALIEN_AR_LOG_TRACE); }
static void setup_off(void) { start_at(0); }
static void setup_warn(void) { start_at(ALIEN_AR_LOG_WARN); }
static void teardown(void) { local_env_stop(&E); }

TestSuite(local_logging_trace, .init = setup_trace, .fini = teardown,
          .timeout = 60);
TestSuite(local_logging_off, .init = setup_off, .fini = teardown,
          .timeout = 60);
TestSuite(local_logging_warn, .init = setup_warn, .fini = teardown,
          .timeout = 60);

/* Successful and failing calls, so every log path gets a chance. */
static void workload(void) {
  char l[64], missing[64];
  local_repo_name(l, sizeof l);
  local_repo_name(missing, sizeof missing);
  struct alien_ar_repository *c = local_create(&E, l);
  E.p.t->repository_free(local_get(&E, c->name));
  E.p.t->error_free(local_get_fails(&E, missing, ALIEN_AR_ERR_NOT_FOUND,
                                    "RESOURCE_NOT_FOUND"));
  struct alien_ar_repository *r = NULL;
  struct alien_ar_error *err = NULL;
  E.p.t->create_repository(E.h, "Bad..Name", &r, &err);
  E.p.t->error_free(err);
  err = NULL;
  E.p.t->add_cross_account_access(E.h, c->name, "{}", &err);
  E.p.t->error_free(err);
  local_delete(&E, c->name);
  E.p.t->repository_free(c);
}

Test(local_logging_trace, trace_delivers_lines) {
  workload();
  char *text = ar_test_log_text(&E.log);
  cr_assert_gt(ar_test_log_total(&E.log), 0, "no log lines at TRACE");
  cr_assert_eq(ar_test_log_count(&E.log, 0), 0,
               "lines with a level outside 1..5:\n%s", text);
  cr_assert_leq(ar_test_log_max_level(&E.log), ALIEN_AR_LOG_TRACE);
  /* Lines are single lines: the callback gets no trailing newline. */
  size_t lines = 0;
  for (const char *p = text; *p; p++)
    lines += (*p == '\n');
  cr_assert_eq(lines, ar_test_log_total(&E.log),
               "a message contained a newline:\n%s", text);
  free(text);
}

Test(local_logging_off, level_zero_delivers_nothing) {
  workload();
  char *text = ar_test_log_text(&E.log);
  cr_assert_eq(ar_test_log_total(&E.log), 0, "log_level 0 but got:\n%s",
               text);
  free(text);
}

Test(local_logging_warn, nothing_above_the_host_level) {
  workload();
  char *text = ar_test_log_text(&E.log);
  cr_assert_leq(ar_test_log_max_level(&E.log), ALIEN_AR_LOG_WARN,
                "lines above WARN delivered:\n%s", text);
  free(text);
}

Test(local_logging_trace, null_callback_with_a_level_is_harmless) {
  struct alien_ar_host host = {sizeof host, ALIEN_AR_LOG_TRACE, NULL, NULL};
  alien_ar_handle *h = ar_test_open_local(&E.p, "b", E.reg.hostport, &host);
  char l[64];
  local_repo_name(l, sizeof l);
  struct alien_ar_repository *r = NULL;
  struct alien_ar_error *err = NULL;
  ar_test_expect_ok(&E.p, E.p.t->create_repository(h, l, &r, &err), err,
                    "create with a NULL log callback");
  E.p.t->repository_free(r);
  E.p.t->close(h);
}
