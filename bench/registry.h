/* A real docker-registry (distribution 2.8) for the benchmark: temp dir,
 * 127.0.0.1:0, access log off, killed when we exit or die. */
#ifndef ALIEN_AR_BENCH_REGISTRY_H
#define ALIEN_AR_BENCH_REGISTRY_H

#include <sys/types.h>

struct bench_registry {
  pid_t pid;
  int port;
  char dir[64];
  char url[64];      /* http://127.0.0.1:PORT */
  char hostport[32]; /* 127.0.0.1:PORT */
};

/* 0 on success; on failure prints why to stderr and returns -1. */
int bench_registry_start(struct bench_registry *r);
/* SIGTERM (SIGKILL after 2 s), reap, remove the temp dir. Idempotent. */
void bench_registry_stop(struct bench_registry *r);
/* The registry's version line ("2.8.2+ds1"), or "unknown". */
const char *bench_registry_version(void);

#endif
