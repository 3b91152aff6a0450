#include "registry_proc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fsutil.h"

/* /proc/PID/stat is "PID (COMM) S ...": COMM may hold spaces and
 * parentheses, so the state is the field after the last ')'. */
static int proc_state(pid_t pid, char *state)
{
  char path[64];
  char *text, *p;

  snprintf(path, sizeof(path), "/proc/%ld/stat", (long)pid);
  text = cli_read_file(path, 4096, NULL);
  if(!text)
    return -1;
  p = strrchr(text, ')');
  if(!p || p[1] != ' ' || !p[2]) {
    free(text);
    return -1;
  }
  *state = p[2];
  free(text);
  return 0;
}

static int is_server_name(const char *arg)
{
  const char *base = strrchr(arg, '/');

  return !strcmp(base ? base + 1 : arg, "docker-registry");
}

/* argv is "docker-registry serve CONFIG" (argv[0] may be a path), or the
 * same after an interpreter when docker-registry is a script. */
static int cmdline_is_ours(pid_t pid, const char *config_path)
{
  char path[64];
  const char *argv[4];
  size_t len, off = 0;
  int n, i, ours = 0;
  char *text;

  snprintf(path, sizeof(path), "/proc/%ld/cmdline", (long)pid);
  text = cli_read_file(path, 65536, &len);
  if(!text)
    return 0;
  for(n = 0; n < 4 && off < len; n++) {
    argv[n] = text + off;
    off += strlen(text + off) + 1;
  }
  for(i = 0; i <= 1 && i + 2 < n && !ours; i++)
    ours = is_server_name(argv[i]) && !strcmp(argv[i + 1], "serve") &&
           !strcmp(argv[i + 2], config_path);
  free(text);
  return ours;
}

enum reg_proc reg_proc_check(pid_t pid, const char *config_path)
{
  char state;

  if(pid <= 0)
    return REG_PROC_GONE;
  if(proc_state(pid, &state))
    return REG_PROC_GONE;
  if(state == 'Z' || state == 'X' || state == 'x')
    return REG_PROC_ZOMBIE;
  if(!cmdline_is_ours(pid, config_path))
    return REG_PROC_OTHER;
  /* The cmdline read may have raced with the process exiting. */
  if(proc_state(pid, &state))
    return REG_PROC_GONE;
  if(state == 'Z' || state == 'X' || state == 'x')
    return REG_PROC_ZOMBIE;
  return REG_PROC_OURS;
}

int reg_read_number(const char *path, long max, long *out)
{
  char *text = cli_read_file(path, 64, NULL);
  char *end = NULL;
  long v;

  if(!text)
    return -1;
  if(text[0] < '1' || text[0] > '9') {
    free(text);
    return -1;
  }
  errno = 0;
  v = strtol(text, &end, 10);
  if(errno || (*end && strcmp(end, "\n")) || v > max) {
    free(text);
    return -1;
  }
  free(text);
  *out = v;
  return 0;
}

int reg_write_number(const char *path, long n)
{
  char buf[32];
  int len = snprintf(buf, sizeof(buf), "%ld\n", n);

  return cli_write_file(path, buf, (size_t)len, 0644);
}
