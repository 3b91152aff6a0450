#include "session.h"

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"
#include "plugin.h"
#include "session_call.h"
#include "session_host.h"
#include "session_reply.h"

const char cli_session_help[] =
  "Usage: alien-ar [--plugin PATH] session\n"
  "\n"
  "A long-lived host: reads one JSON request per line on stdin, writes one\n"
  "JSON response per line on stdout, in request order, each flushed at "
  "once.\n"
  "The plugin from --plugin, $ALIEN_AR_PLUGIN or the install location is\n"
  "loaded at start (exit 6 if it cannot be). End of input closes every\n"
  "handle and exits 0.\n"
  "\n"
  "Request:   {\"id\":ANY,\"op\":OP,...}\n"
  "Response:  {\"id\":ANY,\"ok\":true,\"result\":RESULT}\n"
  "       or  {\"id\":ANY,\"ok\":false,\"error\":ALIEN_ERROR_JSON}\n"
  "The id is echoed as sent; it is null when none could be read.\n"
  "\n"
  "Ops (fields besides \"id\" and \"op\"):\n"
  "  load      path                 load a plugin file; result\n"
  "                                 {\"plugin\":NAME,\"version\":V,"
  "\"backends\":[...]}\n"
  "  unload    plugin (its NAME)    result {}; PLUGIN_IN_USE while a "
  "handle\n"
  "                                 uses it\n"
  "  open      binding, config      config: the binding config JSON, as "
  "a\n"
  "                                 string; its \"service\" picks the "
  "plugin;\n"
  "                                 result {\"handle\":\"h1\"}\n"
  "  call      handle, method, args result: what the one-shot command "
  "prints\n"
  "  close     handle               result {}\n"
  "  backends                       [{\"service\",\"plugin\","
  "\"version\"},...]\n"
  "  handles                        [{\"handle\",\"binding\",\"service\","
  "\"plugin\"},...]\n"
  "Two plugins that serve one service, or share a name: "
  "PLUGIN_CONFLICT.\n"
  "\n"
  "Methods of call, and their args:\n"
  "  registryEndpoint, upstreamRepositoryPrefix   (none)\n"
  "  createRepository                             repoName\n"
  "  getRepository, deleteRepository,\n"
  "  getCrossAccountAccess                        repoId\n"
  "  generateCredentials                          repoId, permissions "
  "(\"pull\"\n"
  "                                               or \"push-pull\"), "
  "ttlSeconds\n"
  "                                               (0..4294967295 or "
  "null)\n"
  "  addCrossAccountAccess,\n"
  "  removeCrossAccountAccess                     repoId, access (alien's\n"
  "                                               CrossAccountAccess "
  "object)\n"
  "A failed call's error is the plugin's alien error JSON.\n"
  "\n"
  "A line that is not a JSON object, an unknown op, a missing or bad "
  "argument\n"
  "or a line longer than 1 MiB gets an INVALID_INPUT error, and the "
  "session\n"
  "goes on. Blank lines are skipped. Swap backends at runtime by opening a\n"
  "new handle, moving calls to it and closing the old one.\n"
  "\n"
  "Example:\n"
  "  > {\"id\":1,\"op\":\"open\",\"binding\":\"demo\",\"config\":"
  "\"{\\\"service\\\":\\\"local\\\",\\\"registryUrl\\\":\\\"localhost:5000"
  "\\\",\\\"dataDir\\\":null}\"}\n"
  "  < {\"id\":1,\"ok\":true,\"result\":{\"handle\":\"h1\"}}\n"
  "  > {\"id\":2,\"op\":\"call\",\"handle\":\"h1\",\"method\":"
  "\"createRepository\",\"args\":{\"repoName\":\"my-app\"}}\n"
  "  < {\"id\":2,\"ok\":true,\"result\":{\"name\":\"demo/my-app\","
  "\"uri\":\"localhost:5000/demo/my-app\",\"createdAt\":null}}\n";

/* ---- reading lines -------------------------------------------------- */

struct line {
  char *buf;         /* SESSION_LINE_MAX + 1 bytes */
  size_t len;
  int too_long;
};

/* 1 when a line was read, 0 at end of input, -1 on a read error. A line
 * longer than the maximum is consumed whole and flagged. */
static int read_line(FILE *in, struct line *l)
{
  int c, any = 0;

  l->len = 0;
  l->too_long = 0;
  while((c = getc_unlocked(in)) != EOF) {
    any = 1;
    if(c == '\n')
      break;
    if(l->len < SESSION_LINE_MAX)
      l->buf[l->len++] = (char)c;
    else
      l->too_long = 1;
  }
  if(c == EOF && ferror(in))
    return -1;
  if(l->len && l->buf[l->len - 1] == '\r')
    l->len--;
  l->buf[l->len] = '\0';
  return any ? 1 : 0;
}

static int blank(const struct line *l)
{
  size_t i;

  for(i = 0; i < l->len; i++)
    if(!strchr(" \t\r\f\v", l->buf[i]) || !l->buf[i])
      return 0;
  return 1;
}

/* ---- requests ------------------------------------------------------- */

struct request {
  json_object *obj;
  const char *op;
};

/* A required string member of the request, NUL-free. */
static const char *member(const struct request *q, const char *key,
                          struct session_reply *r)
{
  json_object *v = NULL;
  char opname[64];

  snprintf(opname, sizeof(opname), "session.%s", q->op);
  if(!json_object_object_get_ex(q->obj, key, &v) || !v) {
    session_reply_invalid(r, opname, key, "\"%s\" is required", key);
    return NULL;
  }
  if(!json_object_is_type(v, json_type_string) ||
     strlen(json_object_get_string(v)) !=
     (size_t)json_object_get_string_len(v)) {
    session_reply_invalid(r, opname, key, "\"%s\" must be a string "
                          "without NUL characters", key);
    return NULL;
  }
  return json_object_get_string(v);
}

static void op_load(struct session *s, const struct request *q,
                    struct session_reply *r)
{
  const char *path = member(q, "path", r);

  if(path)
    session_load(s, path, r);
}

static void op_unload(struct session *s, const struct request *q,
                      struct session_reply *r)
{
  const char *name = member(q, "plugin", r);

  if(name)
    session_unload(s, name, r);
}

static void op_open(struct session *s, const struct request *q,
                    struct session_reply *r)
{
  const char *binding = member(q, "binding", r);
  const char *config = binding ? member(q, "config", r) : NULL;

  if(!config)
    return;
  if(!*binding) {
    session_reply_invalid(r, "session.open", "binding",
                          "\"binding\" must not be empty");
    return;
  }
  session_open(s, binding, config, r);
}

static void op_call(struct session *s, const struct request *q,
                    struct session_reply *r)
{
  const char *id = member(q, "handle", r);
  const char *method = id ? member(q, "method", r) : NULL;
  const struct session_handle *sh;
  json_object *args = NULL;

  if(!method)
    return;
  sh = session_find_handle(s, id);
  if(!sh) {
    session_reply_invalid(r, "session.call", "handle",
                          "no open handle '%.200s'", id);
    return;
  }
  if(json_object_object_get_ex(q->obj, "args", &args) && args &&
     !json_object_is_type(args, json_type_object)) {
    session_reply_invalid(r, "session.call", "args",
                          "\"args\" must be an object");
    return;
  }
  session_call(sh, method, args, r);
}

static void op_close(struct session *s, const struct request *q,
                     struct session_reply *r)
{
  const char *id = member(q, "handle", r);

  if(id)
    session_close(s, id, r);
}

static void op_backends(struct session *s, const struct request *q,
                        struct session_reply *r)
{
  (void)q;
  session_backends(s, r);
}

static void op_handles(struct session *s, const struct request *q,
                       struct session_reply *r)
{
  (void)q;
  session_handles(s, r);
}

static const struct {
  const char *name;
  void (*run)(struct session *s, const struct request *q,
              struct session_reply *r);
} ops[] = {
  { "load", op_load },
  { "unload", op_unload },
  { "open", op_open },
  { "call", op_call },
  { "close", op_close },
  { "backends", op_backends },
  { "handles", op_handles },
};

/* json-c reads NaN and Infinity even in strict mode; JSON has neither,
 * and echoing such an id would make the response invalid JSON. */
static int non_finite(json_object *o, int depth)
{
  size_t i, n;

  if(depth > 64)
    return 1;
  switch(json_object_get_type(o)) {
  case json_type_double:
    return !isfinite(json_object_get_double(o));
  case json_type_array:
    n = json_object_array_length(o);
    for(i = 0; i < n; i++)
      if(non_finite(json_object_array_get_idx(o, i), depth + 1))
        return 1;
    return 0;
  case json_type_object: {
    json_object_object_foreach(o, key, val) {
      (void)key;
      if(non_finite(val, depth + 1))
        return 1;
    }
    return 0;
  }
  default:
    return 0;
  }
}

/* Parses one line as exactly one JSON value (strict JSON, valid UTF-8,
 * nothing after it but blanks). NULL and *why on failure. */
static json_object *parse_line(const char *buf, size_t len,
                               const char **why)
{
  json_tokener *tok = json_tokener_new();
  json_object *o;
  size_t end;

  *why = "out of memory";
  if(!tok)
    return NULL;
  json_tokener_set_flags(tok, JSON_TOKENER_STRICT |
                         JSON_TOKENER_VALIDATE_UTF8);
  o = json_tokener_parse_ex(tok, buf, (int)len);
  if(!o) {
    enum json_tokener_error e = json_tokener_get_error(tok);
    *why = e == json_tokener_continue ? "the JSON text is incomplete"
                                      : json_tokener_error_desc(e);
    json_tokener_free(tok);
    return NULL;
  }
  end = json_tokener_get_parse_end(tok);
  json_tokener_free(tok);
  while(end < len && strchr(" \t\r\f\v", buf[end]) && buf[end])
    end++;
  if(end != len) {
    json_object_put(o);
    *why = "unexpected data after the JSON value";
    return NULL;
  }
  if(non_finite(o, 0)) {
    json_object_put(o);
    *why = "NaN and Infinity are not JSON numbers";
    return NULL;
  }
  return o;
}

int session_serve_line(struct session *s, const char *line, size_t len,
                       int too_long, FILE *out)
{
  struct session_reply r = { NULL, NULL, 0 };
  struct request q = { NULL, NULL };
  json_object *id = NULL, *op = NULL;
  const char *id_json = "null";
  const char *why;
  size_t i;
  int rc;

  if(too_long || len > SESSION_LINE_MAX) {
    session_reply_invalid(&r, "session", NULL, "request line longer than "
                          "%d bytes", SESSION_LINE_MAX);
    return session_reply_write(out, "null", &r);
  }
  q.obj = parse_line(line, len, &why);
  if(!q.obj)
    session_reply_invalid(&r, "session", NULL, "request is not valid "
                          "JSON: %s", why);
  else if(!json_object_is_type(q.obj, json_type_object))
    session_reply_invalid(&r, "session", NULL, "a request must be a JSON "
                          "object");
  else if(!json_object_object_get_ex(q.obj, "id", &id))
    session_reply_invalid(&r, "session", "id", "request has no \"id\"");
  else {
    id_json = json_object_to_json_string_ext(id, CLI_JSON_FLAGS);
    if(!json_object_object_get_ex(q.obj, "op", &op) ||
       !json_object_is_type(op, json_type_string))
      session_reply_invalid(&r, "session", "op", "\"op\" must be a string: "
                            "load, unload, open, call, close, backends or "
                            "handles");
    else {
      q.op = json_object_get_string(op);
      for(i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
        if(!strcmp(ops[i].name, q.op))
          break;
      if(i < sizeof(ops) / sizeof(ops[0]))
        ops[i].run(s, &q, &r);
      else
        session_reply_invalid(&r, "session", "op", "unknown op '%.100s' "
                              "(one of load, unload, open, call, close, "
                              "backends, handles)", q.op);
    }
  }
  rc = session_reply_write(out, id_json, &r);
  json_object_put(q.obj);
  return rc;
}

int cmd_session(struct cli_ctx *ctx)
{
  struct sigaction ign;
  struct session s;
  struct session_reply r = { NULL, NULL, 0 };
  struct line l;
  int rc, got;

  /* A host that goes away makes writes fail with EPIPE; then the session
   * closes its handles and exits instead of dying of SIGPIPE. */
  memset(&ign, 0, sizeof(ign));
  ign.sa_handler = SIG_IGN;
  sigemptyset(&ign.sa_mask);
  sigaction(SIGPIPE, &ign, NULL);

  l.buf = malloc(SESSION_LINE_MAX + 1);
  if(!l.buf)
    return cli_report_error(CLI_EXIT_FAILURE, "OUT_OF_MEMORY",
                            "Out of memory", NULL, 0, NULL);
  session_init(&s, &ctx->host);
  rc = session_load(&s, cli_plugin_path(ctx->opts->plugin_path), &r);
  if(rc != CLI_EXIT_OK) {
    fprintf(stderr, "%s\n", r.error ? r.error : CLI_OOM_ERROR_JSON);
    free(r.error);
    free(r.result);
    goto out;
  }
  free(r.result);
  while((got = read_line(stdin, &l)) > 0) {
    if(blank(&l))
      continue;
    if(session_serve_line(&s, l.buf, l.len, l.too_long, stdout)) {
      rc = cli_report_error(CLI_EXIT_FAILURE, "GENERIC_ERROR",
                            "Failed to write to standard output", NULL, 500,
                            NULL);
      break;
    }
  }
  if(got < 0)
    rc = cli_report_error(CLI_EXIT_FAILURE, "GENERIC_ERROR",
                          "Failed to read standard input", NULL, 500, NULL);
out:
  session_destroy(&s);
  free(l.buf);
  return rc;
}
