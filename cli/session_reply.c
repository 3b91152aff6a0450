#include "session_reply.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"

void session_reply_result(struct session_reply *r, const char *json)
{
  r->result = strdup(json);
}

void session_reply_invalid(struct session_reply *r, const char *op,
                           const char *field, const char *fmt, ...)
{
  json_object *ctx = json_object_new_object();
  json_object *pattern = NULL, *inner = NULL;
  char details[1024];
  char *msg;
  va_list ap;

  va_start(ap, fmt);
  vsnprintf(details, sizeof(details), fmt, ap);
  va_end(ap);
  /* The same shape as the plugin's INVALID_INPUT errors. */
  if(ctx) {
    json_object_object_add(ctx, "operation_context",
                           json_object_new_string(op));
    json_object_object_add(ctx, "details", json_object_new_string(details));
    json_object_object_add(ctx, "field_name",
                           field ? json_object_new_string(field) : NULL);
    if(json_object_deep_copy(ctx, &inner, NULL) == 0) {
      pattern = json_object_new_object();
      if(pattern)
        json_object_object_add(pattern, "invalidInput", inner);
      else
        json_object_put(inner);
    }
  }
  msg = cli_strdupf("%s: Invalid input - %s", op, details);
  r->error = cli_error_json("INVALID_INPUT", msg, ctx, 400, pattern);
  free(msg);
}

/* The text on one line: plugin JSON with a line break is re-serialised
 * compactly. */
static char *one_line(const char *json)
{
  json_object *o;
  char *text;

  if(!strchr(json, '\n') && !strchr(json, '\r'))
    return NULL;
  o = json_tokener_parse(json);
  if(!o)
    return NULL;
  text = strdup(json_object_to_json_string_ext(o, CLI_JSON_FLAGS));
  json_object_put(o);
  return text;
}

static void wipe(char *s)
{
  volatile char *p = s;

  while(p && *p)
    *p++ = '\0';
}

int session_reply_write(FILE *out, const char *id_json,
                        struct session_reply *r)
{
  const char *body = r->result ? r->result : r->error;
  char *flat;
  int rc;

  if(!body) {
    body = CLI_OOM_ERROR_JSON;
    r->result = NULL;
  }
  flat = one_line(body);
  rc = fprintf(out, "{\"id\":%s,\"ok\":%s,\"%s\":%s}\n", id_json,
               r->result ? "true" : "false",
               r->result ? "result" : "error", flat ? flat : body) < 0 ||
       fflush(out) ? -1 : 0;
  if(r->secret) {
    wipe(r->result);
    wipe(flat);
  }
  free(flat);
  free(r->result);
  free(r->error);
  r->result = r->error = NULL;
  r->secret = 0;
  return rc;
}
