/*
 * A scripted HTTP/1.1 server on 127.0.0.1:0 (loopback only), for faults a
 * real registry will not produce on demand. One thread accepts; each
 * connection gets its own thread and may carry many requests (keep-alive),
 * as libcurl's connection reuse expects.
 *
 * Every request is answered by the first scripted rule that matches it
 * (method, a substring of the request-target, a remaining count), or else by
 * a small in-memory registry: manifests by tag and digest (HEAD, GET, PUT,
 * DELETE), blob uploads (POST with or without a mount, PUT with ?digest=),
 * tag lists and GET /v2/. So a test scripts only the fault and lets the
 * model answer everything else, and `get` after a half-done create answers
 * from what the plugin really pushed.
 *
 * Every request is recorded (method, target, body length) for counting.
 */
#ifndef ALIEN_AR_TEST_FAKE_REGISTRY_H
#define ALIEN_AR_TEST_FAKE_REGISTRY_H

#include <pthread.h>
#include <stddef.h>

enum fr_action {
  FR_RESPOND = 0, /* answer as described by the other fields */
  FR_CLOSE,       /* read the request, close without answering */
  FR_RESET,       /* read the request, reset the connection (RST) */
  FR_HANG,        /* read the request, never answer (until the client or
                     the server gives up) */
  FR_DIE          /* read the request, stop listening and reset every
                     connection: the registry process died */
};

struct fr_response {
  enum fr_action action;
  int status;              /* e.g. 503 */
  const char *headers;     /* extra header lines, each ending "\r\n" */
  const char *body;        /* copied when scripted; NULL: none */
  size_t body_len;         /* 0 with a body: strlen(body) */
  size_t fill_len;         /* instead of body: this many `fill` bytes */
  char fill;
  long content_length;     /* -1: the real length (default via fr_reply) */
  int delay_ms;            /* before the status line */
  int trickle_ms;          /* send the body one byte per trickle_ms */
  int trickle_headers_ms;  /* send the head one byte per trickle_headers_ms */
  long reset_after;        /* >= 0: reset after this many body bytes */
  int close;               /* Connection: close after this response */
  int die_after;           /* answer, then die as FR_DIE does */
  const char *echo_header; /* body = an OCI error envelope whose message is
                              this request header's value (a registry or
                              proxy that reflects what it was sent) */
};

/* A plain response: status, no extra headers, no body. */
struct fr_response fr_reply(int status);

struct fr_record {
  char method[16];
  char target[2048];
  size_t body_len;
};

struct fr_rule;
struct fr_conn;
struct fr_blob;
struct fr_manifest;

struct fake_registry {
  int port;
  char url[64];            /* "127.0.0.1:PORT" (a registryUrl) */
  char origin[80];         /* "http://127.0.0.1:PORT" */
  int relative_location;   /* model: POST answers a relative Location */

  /* private */
  pthread_mutex_t mu;
  pthread_cond_t cv;
  int listen_fd;
  int wake[2];
  int stopping;
  int listening;
  pthread_t acceptor;
  int acceptor_running;
  struct fr_rule *rules;
  size_t nrules, caprules;
  struct fr_conn **conns;
  size_t nconns, capconns;
  struct fr_record *records;
  size_t nrecords, caprecords;
  struct fr_blob *blobs;
  size_t nblobs, capblobs;
  struct fr_manifest *manifests;
  size_t nmanifests, capmanifests;
  unsigned long uploads;
};

/* Binds 127.0.0.1:0 and starts serving. cr_assert on failure. */
void fr_start(struct fake_registry *r);
/* Stops every thread and frees everything. Safe on a zeroed struct. */
void fr_stop(struct fake_registry *r);

/* Scripts `times` answers (-1: every one) for requests whose method equals
 * `method` (NULL: any) and whose target contains `target` (NULL: any).
 * Rules are tried in the order they were added. */
void fr_script(struct fake_registry *r, const char *method,
               const char *target, int times, const struct fr_response *rs);
/* Drops every rule that is left. */
void fr_clear_script(struct fake_registry *r);

/* Stops listening (new connections are refused) and resets every open
 * connection; fr_revive listens again on the same port. */
void fr_kill(struct fake_registry *r);
void fr_revive(struct fake_registry *r);

/* Puts a marker-like manifest at NAME:latest in the model. */
void fr_seed_repository(struct fake_registry *r, const char *name);
/* 1 when the model holds NAME:TAG. */
int fr_has_manifest(struct fake_registry *r, const char *name,
                    const char *tag);

/* Requests seen so far whose method equals `method` (NULL: any) and whose
 * target contains `target` (NULL: any). */
int fr_count(struct fake_registry *r, const char *method,
             const char *target);
/* One "METHOD TARGET (N bytes)" line per request, malloc'd. */
char *fr_describe(struct fake_registry *r);

#endif
