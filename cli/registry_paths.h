/* Where a local registry keeps its state: DIR/artifact_registry/ID/ with
 * its pid, port, config, log, lock, metadata.json and the storage. */
#ifndef ALIEN_AR_CLI_REGISTRY_PATHS_H
#define ALIEN_AR_CLI_REGISTRY_PATHS_H

/* Longest registry id. */
#define REG_ID_MAX 64

struct reg_paths {
  const char *id;   /* borrowed; NULL for `list` */
  char *root;       /* the data dir, absolute */
  char *base;       /* root/artifact_registry */
  char *dir;        /* base/ID: the binding's dataDir */
  char *pid;        /* dir/pid */
  char *port;       /* dir/port */
  char *config;     /* dir/config.yml */
  char *log;        /* dir/registry.log */
  char *lock;       /* dir/lock */
  char *metadata;   /* dir/metadata.json */
  char *storage;    /* dir/data: the registry's rootdirectory */
};

/* 1 when `id` is a safe path component: [a-z0-9][a-z0-9._-]*, at most
 * REG_ID_MAX bytes. */
int reg_id_valid(const char *id);

/* Fills *p for registry `id` (NULL: only root and base) under --data-dir
 * `data_dir` or the default. Creates nothing. On failure prints the error
 * (INVALID_REGISTRY_ID, REGISTRY_STATE_ERROR) and returns the exit
 * status; CLI_EXIT_OK otherwise. Release with reg_paths_free. */
int reg_paths_init(struct reg_paths *p, const char *data_dir,
                   const char *id);

/* Re-resolves root to its canonical path (after it has been created) and
 * rebuilds the others. Returns 0, or -1 with errno. */
int reg_paths_canonicalize(struct reg_paths *p);

void reg_paths_free(struct reg_paths *p);

#endif
