#include "oci/names.h"

#include <string.h>

static int lower_alnum(char c)
{
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

/* One path component; returns the length consumed or 0 when malformed. */
static size_t component(const char *s)
{
  size_t i = 0;
  for(;;) {
    if(!lower_alnum(s[i]))
      return 0;
    while(lower_alnum(s[i]))
      i++;
    /* separator: '.', '_', '__' or one or more '-' */
    size_t sep = 0;
    if(s[i] == '.')
      sep = 1;
    else if(s[i] == '_')
      sep = s[i + 1] == '_' ? 2 : 1;
    else
      while(s[i + sep] == '-')
        sep++;
    if(sep == 0)
      return i;
    i += sep;
  }
}

const char *ar_oci_name_problem(const char *name)
{
  size_t n = strlen(name);
  if(n == 0)
    return "the repository name is empty";
  if(n > AR_OCI_NAME_MAX)
    return "the repository name is longer than 255 characters";
  const char *p = name;
  for(;;) {
    size_t len = component(p);
    if(len == 0)
      return "each path component must be lowercase letters and digits, "
             "separated by '.', '_', '__' or '-'";
    p += len;
    if(*p == '\0')
      return NULL;
    if(*p != '/')
      return "each path component must be lowercase letters and digits, "
             "separated by '.', '_', '__' or '-'";
    p++;
  }
}

int ar_oci_tag_valid(const char *tag)
{
  size_t n = strlen(tag);
  if(n == 0 || n > 128)
    return 0;
  for(size_t i = 0; i < n; i++) {
    char c = tag[i];
    int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
             || (c >= '0' && c <= '9') || c == '_'
             || (i > 0 && (c == '.' || c == '-'));
    if(!ok)
      return 0;
  }
  return 1;
}

int ar_oci_digest_valid(const char *digest)
{
  /* algorithm := component ([+._-] component)*, component := [a-z0-9]+
   * encoded   := [a-zA-Z0-9=_-]+ */
  const char *p = digest;
  for(;;) {
    if(!lower_alnum(*p))
      return 0;
    while(lower_alnum(*p))
      p++;
    if(*p == ':')
      break;
    if(*p != '+' && *p != '.' && *p != '_' && *p != '-')
      return 0;
    p++;
  }
  p++;
  if(*p == '\0' || strlen(p) > 1024)
    return 0;
  for(; *p; p++) {
    char c = *p;
    if(!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
         || (c >= '0' && c <= '9') || c == '=' || c == '_' || c == '-'))
      return 0;
  }
  return 1;
}
