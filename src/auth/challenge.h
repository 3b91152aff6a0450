/* WWW-Authenticate challenges (RFC 7235): the scheme and the parameters a
 * registry client needs. */
#ifndef AR_AUTH_CHALLENGE_H
#define AR_AUTH_CHALLENGE_H

struct ar_challenge {
  char scheme[16]; /* "basic", "bearer", ... (lower-cased) */
  char *realm;
  char *service;
  char *scope;
};

/* Parses the first challenge of a header value. Returns 0, or -1 when it is
 * malformed or memory runs out (then `out` holds nothing to free). */
int ar_challenge_parse(const char *header, struct ar_challenge *out);
void ar_challenge_free(struct ar_challenge *c);

#endif
