/* Is the process a pid file names really our registry server? kill(pid,
 * 0) cannot tell: the process may be a zombie, or the pid may have been
 * reused by something else. /proc can. */
#ifndef ALIEN_AR_CLI_REGISTRY_PROC_H
#define ALIEN_AR_CLI_REGISTRY_PROC_H

#include <sys/types.h>

enum reg_proc {
  REG_PROC_GONE,    /* no such process */
  REG_PROC_ZOMBIE,  /* it exited and waits to be reaped */
  REG_PROC_OTHER,   /* a live process, but not `docker-registry serve
                       CONFIG` with our config */
  REG_PROC_OURS     /* our server, alive (running or stopped by a signal) */
};

enum reg_proc reg_proc_check(pid_t pid, const char *config_path);

/* Reads a file holding one positive decimal number (a pid or a port) and
 * a newline. 0 and *out set, or -1 when missing or not such a number. */
int reg_read_number(const char *path, long max, long *out);

/* Writes "N\n" to `path` atomically. 0 or -1 with errno. */
int reg_write_number(const char *path, long n);

#endif
