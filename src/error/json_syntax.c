/* An RFC 8259 syntax check. json-c's tokener, even in strict mode, accepts
 * single-quoted strings, NaN and Infinity; serde_json (what alien parses
 * bindings with) does not, so input meant for alien is checked here first.
 * UTF-8 validity is left to json-c's JSON_TOKENER_VALIDATE_UTF8. */
#include "error/json_util.h"

#include <stddef.h>

#define MAX_DEPTH 128

struct cursor {
  const char *p;
  int depth;
};

static void skip_ws(struct cursor *c)
{
  while(*c->p == ' ' || *c->p == '\t' || *c->p == '\n' || *c->p == '\r')
    c->p++;
}

static int is_digit(char ch)
{
  return ch >= '0' && ch <= '9';
}

static int is_hex(char ch)
{
  return is_digit(ch) || (ch >= 'a' && ch <= 'f') || (ch >= 'A' && ch <= 'F');
}

static int literal(struct cursor *c, const char *word)
{
  for(; *word; word++, c->p++)
    if(*c->p != *word)
      return -1;
  return 0;
}

static int string(struct cursor *c)
{
  c->p++; /* opening quote */
  for(;;) {
    unsigned char ch = (unsigned char)*c->p;
    if(ch == '"') {
      c->p++;
      return 0;
    }
    if(ch < 0x20)
      return -1; /* end of text or an unescaped control character */
    if(ch == '\\') {
      c->p++;
      char e = *c->p;
      if(e == 'u') {
        for(int i = 1; i <= 4; i++)
          if(!is_hex(c->p[i]))
            return -1;
        c->p += 4;
      }
      else if(e != '"' && e != '\\' && e != '/' && e != 'b' && e != 'f'
              && e != 'n' && e != 'r' && e != 't')
        return -1;
    }
    c->p++;
  }
}

static int number(struct cursor *c)
{
  if(*c->p == '-')
    c->p++;
  if(*c->p == '0')
    c->p++;
  else if(is_digit(*c->p))
    while(is_digit(*c->p))
      c->p++;
  else
    return -1;
  if(*c->p == '.') {
    c->p++;
    if(!is_digit(*c->p))
      return -1;
    while(is_digit(*c->p))
      c->p++;
  }
  if(*c->p == 'e' || *c->p == 'E') {
    c->p++;
    if(*c->p == '+' || *c->p == '-')
      c->p++;
    if(!is_digit(*c->p))
      return -1;
    while(is_digit(*c->p))
      c->p++;
  }
  return 0;
}

static int value(struct cursor *c);

/* Members of an object (`close` '}') or elements of an array (']'). */
static int members(struct cursor *c, char close)
{
  if(++c->depth > MAX_DEPTH)
    return -1;
  c->p++;
  skip_ws(c);
  if(*c->p == close) {
    c->p++;
    c->depth--;
    return 0;
  }
  for(;;) {
    if(close == '}') {
      if(*c->p != '"' || string(c) != 0)
        return -1;
      skip_ws(c);
      if(*c->p++ != ':')
        return -1;
    }
    if(value(c) != 0)
      return -1;
    skip_ws(c);
    if(*c->p == close) {
      c->p++;
      c->depth--;
      return 0;
    }
    if(*c->p++ != ',')
      return -1;
    skip_ws(c);
  }
}

static int value(struct cursor *c)
{
  skip_ws(c);
  switch(*c->p) {
  case '{':
    return members(c, '}');
  case '[':
    return members(c, ']');
  case '"':
    return string(c);
  case 't':
    return literal(c, "true");
  case 'f':
    return literal(c, "false");
  case 'n':
    return literal(c, "null");
  default:
    return number(c);
  }
}

int ar_json_syntax_ok(const char *text)
{
  struct cursor c = { text, 0 };
  if(value(&c) != 0)
    return 0;
  skip_ws(&c);
  return *c.p == '\0';
}
