#include "fsutil.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "output.h"

char *cli_path_join(const char *a, const char *b)
{
  size_t la = strlen(a);

  while(la > 1 && a[la - 1] == '/')
    la--;
  return cli_strdupf("%.*s/%s", (int)la, a, b);
}

char *cli_path_absolute(const char *path)
{
  char *cwd, *abs;
  size_t size = 256;

  if(path[0] == '/')
    return strdup(path);
  for(;;) {
    cwd = malloc(size);
    if(!cwd)
      return NULL;
    if(getcwd(cwd, size))
      break;
    free(cwd);
    if(errno != ERANGE || size > 65536)
      return NULL;
    size *= 2;
  }
  abs = cli_path_join(cwd, path);
  free(cwd);
  return abs;
}

int cli_mkdir_p(const char *path, mode_t mode)
{
  char *copy = strdup(path);
  char *p;
  struct stat st;

  if(!copy)
    return -1;
  for(p = copy + 1; ; p++) {
    if(*p != '/' && *p != '\0')
      continue;
    {
      char saved = *p;
      *p = '\0';
      if(mkdir(copy, mode) && errno != EEXIST) {
        free(copy);
        return -1;
      }
      *p = saved;
    }
    if(!*p)
      break;
  }
  free(copy);
  if(stat(path, &st))
    return -1;
  if(!S_ISDIR(st.st_mode)) {
    errno = ENOTDIR;
    return -1;
  }
  return 0;
}

static int rm_tree_at(int parent, const char *name)
{
  struct stat st;
  struct dirent *e;
  DIR *d;
  int fd, rc = 0;

  if(fstatat(parent, name, &st, AT_SYMLINK_NOFOLLOW))
    return errno == ENOENT ? 0 : -1;
  if(!S_ISDIR(st.st_mode))
    return (unlinkat(parent, name, 0) && errno != ENOENT) ? -1 : 0;
  fd = openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
              O_CLOEXEC);
  if(fd < 0)
    return -1;
  d = fdopendir(fd);
  if(!d) {
    close(fd);
    return -1;
  }
  while((e = readdir(d)) != NULL) {
    if(!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
      continue;
    if(rm_tree_at(fd, e->d_name))
      rc = -1;
  }
  closedir(d);
  if(unlinkat(parent, name, AT_REMOVEDIR) && errno != ENOENT)
    rc = -1;
  return rc;
}

int cli_rm_rf(const char *path)
{
  return rm_tree_at(AT_FDCWD, path);
}

int cli_write_file(const char *path, const char *data, size_t len,
                   mode_t mode)
{
  char *tmp = cli_strdupf("%s.tmp.%ld", path, (long)getpid());
  size_t done = 0;
  int fd, saved;

  if(!tmp)
    return -1;
  fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW,
            mode);
  if(fd < 0)
    goto fail;
  while(done < len) {
    ssize_t n = write(fd, data + done, len - done);
    if(n < 0 && errno == EINTR)
      continue;
    if(n <= 0) {
      saved = errno;
      close(fd);
      errno = saved;
      goto fail;
    }
    done += (size_t)n;
  }
  if(close(fd) || rename(tmp, path))
    goto fail;
  free(tmp);
  return 0;
fail:
  saved = errno;
  unlink(tmp);
  free(tmp);
  errno = saved;
  return -1;
}

char *cli_read_file(const char *path, size_t max, size_t *len)
{
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  size_t got = 0, cap = max < 4096 ? max : 4096;
  char *buf;

  if(fd < 0)
    return NULL;
  buf = malloc(cap + 1);
  while(buf) {
    ssize_t n;
    if(got == cap) {
      char *bigger;
      if(cap >= max)
        break;
      cap = cap * 2 < max ? cap * 2 : max;
      bigger = realloc(buf, cap + 1);
      if(!bigger) {
        free(buf);
        buf = NULL;
        break;
      }
      buf = bigger;
    }
    n = read(fd, buf + got, cap - got);
    if(n < 0 && errno == EINTR)
      continue;
    if(n < 0) {
      int saved = errno;
      free(buf);
      close(fd);
      errno = saved;
      return NULL;
    }
    if(n == 0)
      break;
    got += (size_t)n;
  }
  close(fd);
  if(!buf) {
    errno = ENOMEM;
    return NULL;
  }
  buf[got] = '\0';
  if(len)
    *len = got;
  return buf;
}

int cli_remove_file(const char *path)
{
  return (unlink(path) && errno != ENOENT) ? -1 : 0;
}

void cli_sleep_ms(long ms)
{
  struct timespec ts;

  ts.tv_sec = ms / 1000;
  ts.tv_nsec = (ms % 1000) * 1000000L;
  while(nanosleep(&ts, &ts) && errno == EINTR)
    ;
}

long long cli_now_ms(void)
{
  struct timespec ts;

  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}
