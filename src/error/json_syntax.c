/* An RFC 8259 syntax check. json-c's tokener, even in strict mode, accepts
 * single-quoted strings, NaN and Infinity; serde_json (what alien parses
 * bindings with) does not, so input meant for alien is checked here first.
 * Strings must also be valid UTF-8 (no overlong forms, no surrogates),
 * as Rust strings always are. */
#include "error/json_util.h"

#include <stddef.h>

#include "util/utf8.h"

/* serde_json gives up at 128 levels of nesting. */
#define MAX_DEPTH 127

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

static long hex4(const char *p)
{
  long v = 0;
  for(int i = 0; i < 4; i++) {
    char ch = p[i];
    if(!is_hex(ch))
      return -1;
    v = v * 16 + (ch <= '9' ? ch - '0' : (ch | 0x20) - 'a' + 10);
  }
  return v;
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
    if(ch >= 0x80) {
      int n = ar_utf8_seq_len((const unsigned char *)c->p);
      if(!n)
        return -1;
      c->p += n;
      continue;
    }
    if(ch == '\\') {
      c->p++;
      char e = *c->p;
      if(e == 'u') {
        long unit = hex4(c->p + 1);
        if(unit < 0 || (unit >= 0xdc00 && unit <= 0xdfff))
          return -1; /* malformed, or a lone trailing surrogate */
        c->p += 4;
        if(unit >= 0xd800 && unit <= 0xdbff) {
          /* a leading surrogate must be followed by a trailing one */
          long low = c->p[1] == '\\' && c->p[2] == 'u' ? hex4(c->p + 3) : -1;
          if(low < 0xdc00 || low > 0xdfff)
            return -1;
          c->p += 6;
        }
      }
      else if(e != '"' && e != '\\' && e != '/' && e != 'b' && e != 'f'
              && e != 'n' && e != 'r' && e != 't')
        return -1;
    }
    c->p++;
  }
}

static int number_syntax(struct cursor *c);

/* serde_json refuses numbers beyond f64's range ("number out of range").
 * Decided on the digits alone, since strtod would depend on the host's
 * locale: the decimal exponent of the first significant digit, then the
 * significant digits against DBL_MAX's. */
static int out_of_range(const char *start, const char *end)
{
  const char *p = start;
  long exp10 = -1;
  char digits[20];
  size_t n = 0;
  int seen_point = 0, significant = 0;
  if(*p == '-')
    p++;
  for(; p < end && *p != 'e' && *p != 'E'; p++) {
    if(*p == '.') {
      seen_point = 1;
      continue;
    }
    if(!significant && *p == '0') {
      if(seen_point)
        exp10--;
      continue;
    }
    if(!significant) {
      significant = 1;
      exp10 = seen_point ? exp10 : -1;
    }
    if(!seen_point)
      exp10++;
    if(n < sizeof(digits) - 1)
      digits[n++] = *p;
  }
  if(!significant)
    return 0;
  long e = 0;
  if(p < end) {
    p++;
    int neg = *p == '-';
    if(*p == '-' || *p == '+')
      p++;
    for(; p < end && e < 100000; p++)
      e = e * 10 + (*p - '0');
    e = neg ? -e : e;
  }
  long magnitude = exp10 + e;
  if(magnitude != 308)
    return magnitude > 308;
  digits[n] = '\0';
  const char *max = "17976931348623157";
  for(size_t i = 0; max[i]; i++) {
    char d = i < n ? digits[i] : '0';
    if(d != max[i])
      return d > max[i];
  }
  for(size_t i = 17; i < n; i++)
    if(digits[i] != '0')
      return 1;
  return 0;
}

static int number(struct cursor *c)
{
  const char *start = c->p;
  int rc = number_syntax(c);
  return rc == 0 && out_of_range(start, c->p) ? -1 : rc;
}

static int number_syntax(struct cursor *c)
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
