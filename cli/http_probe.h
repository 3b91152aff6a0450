/* Readiness of a registry: does GET http://127.0.0.1:PORT/v2/ answer?
 * Plain sockets, loopback only. */
#ifndef ALIEN_AR_CLI_HTTP_PROBE_H
#define ALIEN_AR_CLI_HTTP_PROBE_H

/* 1 when the answer is an HTTP 200 or 401 (a registry with auth) within
 * `timeout_ms`, 0 otherwise. */
int cli_probe_v2(int port, int timeout_ms);

#endif
