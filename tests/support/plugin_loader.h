/*
 * The host side, exactly as a real host does it: dlopen the plugin, dlsym
 * the one entry point, negotiate, then use only the returned table.
 */
#ifndef ALIEN_AR_TEST_PLUGIN_LOADER_H
#define ALIEN_AR_TEST_PLUGIN_LOADER_H

/* Tests must not link against the plugin; without the prototype a stray
 * direct call fails to compile. */
#define ALIEN_AR_NO_PROTOTYPES
#include <alien/artifact_registry.h>

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

struct ar_test_plugin {
  void *dl;
  alien_ar_negotiate_fn negotiate;
  const struct alien_ar_plugin *t;
  uint32_t agreed_minor;
};

/* dlopen(ALIEN_AR_TEST_PLUGIN_PATH, RTLD_NOW|RTLD_LOCAL), dlsym, negotiate
 * 1.0. cr_assert on any failure. */
void ar_test_plugin_load(struct ar_test_plugin *p);
/* dlclose; safe on a zeroed struct and twice. */
void ar_test_plugin_unload(struct ar_test_plugin *p);

/* A host whose log callback collects lines in a mutex-protected buffer. */
struct ar_test_log {
  struct alien_ar_host host; /* pass &log.host to open */
  pthread_mutex_t mu;
  char *buf; /* "LEVEL message\n" lines */
  size_t len, cap;
  size_t per_level[8]; /* [1..5] by level; [0] for out-of-range levels */
  size_t total;
  int32_t max_level_seen;
};

void ar_test_log_init(struct ar_test_log *l, int32_t level);
void ar_test_log_destroy(struct ar_test_log *l);
size_t ar_test_log_total(struct ar_test_log *l);
size_t ar_test_log_count(struct ar_test_log *l, int32_t level);
int32_t ar_test_log_max_level(struct ar_test_log *l);
/* malloc'd copy of all lines collected so far. */
char *ar_test_log_text(struct ar_test_log *l);

/* {"service":"local","registryUrl":URL,"dataDir":null}, malloc'd. */
char *ar_test_local_config(const char *registry_url);

/* Opens a `local` handle; cr_assert (with the error JSON) on failure. */
alien_ar_handle *ar_test_open_local(const struct ar_test_plugin *p,
                                    const char *binding,
                                    const char *registry_url,
                                    const struct alien_ar_host *host);

/* error_to_json through the table; malloc'd copy. cr_assert on failure. */
char *ar_test_error_json(const struct ar_test_plugin *p,
                         const struct alien_ar_error *err);

/* Asserts st == OK and err == NULL; otherwise fails with the error JSON
 * (and frees it). `what` names the call in the message. */
void ar_test_expect_ok(const struct ar_test_plugin *p, alien_ar_status st,
                       struct alien_ar_error *err, const char *what);

/* Asserts the returned status, err != NULL, err->status, err->code and
 * struct_size; does not free. */
void ar_test_check_error(const struct ar_test_plugin *p, alien_ar_status st,
                         const struct alien_ar_error *err,
                         alien_ar_status want_status, const char *want_code,
                         const char *what);

/* ar_test_check_error, then error_free. */
void ar_test_expect_error(const struct ar_test_plugin *p, alien_ar_status st,
                          struct alien_ar_error *err,
                          alien_ar_status want_status, const char *want_code,
                          const char *what);

/* Compares two JSON texts structurally with json-c (objects key by key,
 * arrays in order). Returns 1 when equal. */
int ar_test_json_equal(const char *a, const char *b);

#endif
