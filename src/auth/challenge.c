#include "auth/challenge.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/str.h"

#define MAX_VALUE 4096

static int is_token_char(char c)
{
  return c > 0x20 && c < 0x7f && !strchr("\"(),/:;<=>?@[\\]{}", c);
}

static const char *skip_ows(const char *p)
{
  while(*p == ' ' || *p == '\t')
    p++;
  return p;
}

/* A token or quoted-string value; returns the malloc'd value and advances
 * *pp, or NULL. */
static char *param_value(const char **pp)
{
  const char *p = *pp;
  char buf[MAX_VALUE];
  size_t n = 0;
  if(*p == '"') {
    for(p++; *p && *p != '"'; p++) {
      if(*p == '\\' && p[1])
        p++;
      if(n + 1 >= sizeof(buf))
        return NULL;
      buf[n++] = *p;
    }
    if(*p != '"')
      return NULL;
    p++;
  }
  else {
    while(is_token_char(*p) || *p == '/' || *p == ':') {
      if(n + 1 >= sizeof(buf))
        return NULL;
      buf[n++] = *p++;
    }
  }
  *pp = p;
  return ar_strndup(buf, n);
}

int ar_challenge_parse(const char *header, struct ar_challenge *out)
{
  memset(out, 0, sizeof(*out));
  if(!header)
    return -1;
  const char *p = skip_ows(header);
  size_t n = 0;
  while(is_token_char(p[n]))
    n++;
  if(n == 0 || n >= sizeof(out->scheme))
    return -1;
  for(size_t i = 0; i < n; i++)
    out->scheme[i] = (p[i] >= 'A' && p[i] <= 'Z') ? (char)(p[i] | 0x20) : p[i];
  p = skip_ows(p + n);
  while(*p) {
    const char *name = p;
    while(is_token_char(*p))
      p++;
    size_t name_len = (size_t)(p - name);
    p = skip_ows(p);
    if(!name_len || *p != '=')
      break; /* a second challenge or token68: the first one is complete */
    p = skip_ows(p + 1);
    char *value = param_value(&p);
    if(!value) {
      ar_challenge_free(out);
      return -1;
    }
    char **slot = NULL;
    if(name_len == 5 && !strncasecmp(name, "realm", 5))
      slot = &out->realm;
    else if(name_len == 7 && !strncasecmp(name, "service", 7))
      slot = &out->service;
    else if(name_len == 5 && !strncasecmp(name, "scope", 5))
      slot = &out->scope;
    if(slot && !*slot)
      *slot = value;
    else
      free(value);
    p = skip_ows(p);
    if(*p != ',')
      break;
    p = skip_ows(p + 1);
  }
  return 0;
}

void ar_challenge_free(struct ar_challenge *c)
{
  free(c->realm);
  free(c->service);
  free(c->scope);
  memset(c, 0, sizeof(*c));
}
