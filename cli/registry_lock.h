/* One registry id, one operation at a time: start, stop and purge hold an
 * flock on DIR/artifact_registry/ID/lock, so two concurrent starts of one
 * id never both spawn a server. */
#ifndef ALIEN_AR_CLI_REGISTRY_LOCK_H
#define ALIEN_AR_CLI_REGISTRY_LOCK_H

#include "registry_paths.h"

/* Takes the lock, creating the id directory first when `create` is set.
 * Returns the lock's fd; -1 with errno on failure (ENOENT: the directory
 * does not exist and `create` was 0). */
int reg_lock(const struct reg_paths *p, int create);

/* Releases it (closing the fd). -1 is a no-op. */
void reg_unlock(int fd);

#endif
