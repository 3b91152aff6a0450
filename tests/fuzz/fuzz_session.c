/* The CLI session's JSON lines (`alien-ar session`): every request line a
 * host writes, through the session's own line handler, with the real plugin
 * loaded. Input: one or more request lines.
 *
 * NOT BUILT YET: cli/session.c keeps its line parser static and writes to
 * stdout (serve_line), so there is no entry point to fuzz. CMakeLists.txt
 * builds this target as soon as cli/session.h declares
 *
 *   int session_serve_line(struct session *s, const char *line, size_t len,
 *                          int too_long, FILE *out);
 *
 * (serve_line with the output stream as a parameter: answers one line,
 * without its newline, exactly as the read loop does; 0, or -1 when `out`
 * failed). Requested from the lead.
 *
 * Network: a fuzzed "open" can name any registryUrl and a "call" would then
 * reach it, so tests/fuzz/run.sh runs this target in a network namespace of
 * its own (unshare -n: not even loopback is up) and every request fails at
 * once. */
#include "fuzz.h"

#include "session.h"
#include "session_host.h"
#include "session_reply.h"

#ifndef ALIEN_AR_FUZZ_PLUGIN_PATH
#error "ALIEN_AR_FUZZ_PLUGIN_PATH must name the plugin built with the target"
#endif

static FILE *sink;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  if(!sink) {
    sink = fopen("/dev/null", "w");
    FUZZ_CHECK(sink != NULL);
  }
  struct alien_ar_host host = { sizeof(host), 0, NULL, NULL };
  struct session s;
  struct session_reply r = { NULL, NULL, 0 };
  session_init(&s, &host);
  int rc = session_load(&s, ALIEN_AR_FUZZ_PLUGIN_PATH, &r);
  FUZZ_CHECK(rc == 0);
  free(r.result);
  free(r.error);
  char *text = fuzz_cstr(data, size);
  for(char *line = text; line;) {
    char *nl = memchr(line, '\n', size - (size_t)(line - text));
    size_t len = nl ? (size_t)(nl - line) : strlen(line);
    FUZZ_CHECK(session_serve_line(&s, line, len, 0, sink) == 0);
    line = nl ? nl + 1 : NULL;
    if(line && (size_t)(line - text) >= size)
      break;
  }
  session_destroy(&s);
  free(text);
  return 0;
}
