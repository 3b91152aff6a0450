/* Memory as the kernel and malloc see it, for the RSS targets. */
#ifndef ALIEN_AR_BENCH_MEM_H
#define ALIEN_AR_BENCH_MEM_H

#include <stddef.h>

/* Resident set size of this process in bytes (from /proc/self/statm). */
long bench_rss_bytes(void);
/* Bytes malloc has handed out and not had back (mallinfo2, all arenas). */
size_t bench_heap_bytes(void);

#endif
