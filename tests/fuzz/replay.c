/* A main() for the fuzz targets in builds without libFuzzer: runs
 * LLVMFuzzerTestOneInput once on every file named on the command line (or
 * found in a directory named there). ctest uses it to replay the committed
 * seed corpora and crash regressions in every build, sanitizers included.
 * Exit status 0 when every input ran (a finding aborts). */
#define _DEFAULT_SOURCE /* DT_DIR */
#include "fuzz.h"

#include <dirent.h>
#include <sys/stat.h>

static int run_file(const char *path)
{
  FILE *f = fopen(path, "rb");
  if(!f) {
    perror(path);
    return -1;
  }
  size_t cap = 4096, len = 0;
  uint8_t *buf = malloc(cap);
  size_t got;
  while(buf && (got = fread(buf + len, 1, cap - len, f)) > 0) {
    len += got;
    if(len == cap) {
      uint8_t *grown = realloc(buf, cap * 2);
      if(!grown) {
        free(buf);
        buf = NULL;
        break;
      }
      buf = grown;
      cap *= 2;
    }
  }
  fclose(f);
  if(!buf)
    return -1;
  LLVMFuzzerTestOneInput(buf, len);
  free(buf);
  return 0;
}

static int run_path(const char *path, size_t *count)
{
  struct stat st;
  if(stat(path, &st) != 0) {
    perror(path);
    return -1;
  }
  if(!S_ISDIR(st.st_mode)) {
    (*count)++;
    return run_file(path);
  }
  DIR *d = opendir(path);
  if(!d) {
    perror(path);
    return -1;
  }
  int rc = 0;
  struct dirent *ent;
  while((ent = readdir(d))) {
    if(ent->d_name[0] == '.')
      continue;
    size_t n = strlen(path) + strlen(ent->d_name) + 2;
    char *child = malloc(n);
    if(!child) {
      rc = -1;
      break;
    }
    snprintf(child, n, "%s/%s", path, ent->d_name);
    if(run_path(child, count) != 0)
      rc = -1;
    free(child);
  }
  closedir(d);
  return rc;
}

int main(int argc, char **argv)
{
  size_t count = 0;
  int rc = 0;
  for(int i = 1; i < argc; i++)
    if(run_path(argv[i], &count) != 0)
      rc = 1;
  printf("%s: %zu input(s) replayed\n", argv[0], count);
  return rc;
}
