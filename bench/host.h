/* The plugin as a host sees it: dlopen, the one entry point, negotiate,
 * then only the returned table. */
#ifndef ALIEN_AR_BENCH_HOST_H
#define ALIEN_AR_BENCH_HOST_H

/* No prototypes: a direct call into the plugin would not compile. */
#define ALIEN_AR_NO_PROTOTYPES
#include <alien/artifact_registry.h>

extern const struct alien_ar_plugin *bench_ar;

/* 0 on success; prints why and returns -1 otherwise. */
int bench_host_load(const char *path);
/* Opens a `local` handle on `hostport` with binding "bench" (NULL on
 * failure, error printed). */
alien_ar_handle *bench_host_open(const char *hostport);
/* Prints an error's JSON to stderr (first few only) and frees it. */
void bench_host_report(const char *what, struct alien_ar_error *err);

#endif
