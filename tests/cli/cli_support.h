/*
 * Helpers for the alien-ar tests of `registry` and `session`: run the
 * built CLI under an exact environment, drive a session line by line, and
 * find (and kill) every docker-registry a test started under its data
 * directory, so no test leaves a server behind.
 */
#ifndef ALIEN_AR_TEST_CLI_SUPPORT_H
#define ALIEN_AR_TEST_CLI_SUPPORT_H

#include <json-c/json.h>
#include <stddef.h>
#include <sys/types.h>

#define CLI ALIEN_AR_TEST_CLI_PATH
#define PLUGIN ALIEN_AR_TEST_PLUGIN_PATH

#define ARGS(...) ((const char *const[]){__VA_ARGS__, NULL})
#define ENV(...) ((const char *const[]){__VA_ARGS__, NULL})
#define NO_ENV ((const char *const[]){NULL})

struct cli_result {
  int status; /* exit status, 128+signal when killed */
  char *out;
  char *err;
};

/* Runs alien-ar ARGS with stdin `input` (NULL: /dev/null) under exactly
 * PATH=/usr/bin:/bin, ALIEN_AR_PLUGIN and `env` (a later PATH=... wins).
 * Killed after 60 s. */
void cli_exec(struct cli_result *r, const char *const *env,
              const char *input, const char *const *args);
void cli_result_free(struct cli_result *r);

/* Exit 0, nothing on stderr, one line of JSON on stdout: returns it. */
json_object *cli_expect_json(const struct cli_result *r);
/* Exit `status`, empty stdout, alien's error JSON with `code` as the last
 * line of stderr: returns it. */
json_object *cli_expect_error(const struct cli_result *r, int status,
                              const char *code);

const char *cli_jstr(json_object *o, const char *key); /* NULL if absent */
int cli_jnull(json_object *o, const char *key);         /* key: null */
long long cli_jint(json_object *o, const char *key);
json_object *cli_jget(json_object *o, const char *key); /* asserts key */
char *cli_strf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
json_object *cli_parse(const char *text); /* asserts valid JSON */

/* A fresh /tmp/alien-ar-cli-XXXXXX (out holds 64 bytes). */
void cli_make_tmpdir(char *out);
void cli_rm_rf(const char *dir);
int cli_path_exists(const char *path);
char *cli_read_text(const char *path); /* NULL when missing */

/* Makes this process the reaper of orphaned descendants, so the
 * registries alien-ar starts become our children: we can reap them and
 * see them as zombies. */
void cli_become_subreaper(void);
/* Reaps every exited child (never blocks). */
void cli_reap_children(void);

/* Live (not zombie) docker-registry processes whose config lies under
 * `dir`: their number, and up to `max` pids. */
int cli_registries_under(const char *dir, pid_t *pids, int max);
/* SIGKILLs them all and waits until none is alive (reaping children). */
void cli_kill_registries_under(const char *dir);

/* /proc/PID/stat state letter, or 0 when there is no such process. */
char cli_proc_state(pid_t pid);

/* HTTP status of GET http://127.0.0.1:PORT/PATH, 0 on failure. */
long cli_http_get(int port, const char *path);

/* The port of a "localhost:PORT" registryUrl (asserts the form). */
int cli_port_of(const char *registry_url);

/* A session driven line by line: every request is written only after the
 * previous response was read, so responses must be flushed per line. */
struct cli_session {
  pid_t pid;
  int in;        /* its stdin */
  int out;       /* its stdout */
  int err;       /* its stderr: an unlinked temporary file */
  char buf[1 << 16];
  size_t len;
};
void cli_session_start(struct cli_session *s, const char *const *env,
                       const char *const *args);
/* Sends one line, returns the parsed response (asserting one arrives
 * within 60 s and its id equals `id`, given as JSON text). */
json_object *cli_session_request(struct cli_session *s, const char *id,
                                 const char *line);
/* Closes stdin, asserts nothing more is written, returns the exit status;
 * *err (if non-NULL) receives stderr. */
int cli_session_end(struct cli_session *s, char **err);
/* What the session wrote to stderr so far (malloc'd). */
char *cli_session_stderr(struct cli_session *s);

/* The result of an ok response (asserted), or the error of a failed one
 * with `code` (asserted). */
json_object *cli_ok(json_object *resp);
json_object *cli_failed(json_object *resp, const char *code);

#endif
