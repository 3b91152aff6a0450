#define _DEFAULT_SOURCE /* flock */
#include "registry_lock.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fsutil.h"

int reg_lock(const struct reg_paths *p, int create)
{
  int attempt;

  /* A purge may delete the directory, lock file included, while we wait
   * for the lock; then the lock we got guards nothing and we try again. */
  for(attempt = 0; attempt < 100; attempt++) {
    struct stat held, named;
    int fd;

    if(create && cli_mkdir_p(p->dir, 0700))
      return -1;
    fd = open(p->lock, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if(fd < 0) {
      if(!create && errno == ENOENT)
        return -1;
      if(errno == ENOENT)
        continue;
      return -1;
    }
    while(flock(fd, LOCK_EX)) {
      if(errno != EINTR) {
        int saved = errno;
        close(fd);
        errno = saved;
        return -1;
      }
    }
    if(fstat(fd, &held) == 0 && stat(p->lock, &named) == 0 &&
       held.st_dev == named.st_dev && held.st_ino == named.st_ino)
      return fd;
    close(fd);
    if(!create) {
      errno = ENOENT;
      return -1;
    }
  }
  errno = EAGAIN;
  return -1;
}

void reg_unlock(int fd)
{
  if(fd >= 0)
    close(fd);
}
