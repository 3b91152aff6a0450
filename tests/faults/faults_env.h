/* One fault test's world: the fake registry (with `b/ok` already holding a
 * manifest), the plugin loaded through dlopen, a TRACE log and a `local`
 * handle opened with short timeouts. */
#ifndef ALIEN_AR_TEST_FAULTS_ENV_H
#define ALIEN_AR_TEST_FAULTS_ENV_H

#include "fake_registry.h"
#include "plugin_loader.h"

struct faults_timeouts {
  long connect_ms;   /* connectTimeoutMs */
  long request_ms;   /* requestTimeoutMs */
  long operation_ms; /* operationTimeoutMs */
  long retries;      /* maxRetries */
};

/* What every test uses unless it says otherwise. */
#define FAULTS_DEFAULT_TIMEOUTS ((struct faults_timeouts){ 500, 800, 2500, 2 })

extern struct fake_registry R;
extern struct ar_test_plugin P;
extern struct ar_test_log L;
extern alien_ar_handle *H;
extern struct faults_timeouts T;

/* Criterion .init/.fini: fake registry, plugin, handle with the default
 * timeouts. */
void faults_setup(void);
void faults_teardown(void);

/* Closes the handle and opens a new one on the same fake registry. */
void faults_reopen(struct faults_timeouts t);

/* Seconds elapsed since `t0` (ar_test_now). */
double faults_since(double t0);

/* The bound every fault must end within: `ms` plus 20%, plus the slack
 * ALIEN_AR_TEST_TIME_SLACK_MS (set by slow runs such as valgrind). */
double faults_bound(long ms);

/* Asserts a BINDINGS_ERROR (status BACKEND, retryable, a cause chained)
 * whose cause message contains `cause` (NULL: anything), and an error JSON
 * that is strict, valid UTF-8 and at most 8 KiB. Frees err. */
void faults_expect_backend(alien_ar_status st, struct alien_ar_error *err,
                           const char *cause, const char *what);

/* get_repository(b/ok) succeeds: the handle still works. */
void faults_expect_usable(const char *after);

/* get_repository(id) is RESOURCE_NOT_FOUND. */
void faults_expect_absent(const char *id);

#endif
