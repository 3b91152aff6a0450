#include "http_probe.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "fsutil.h"

/* Waits for `events` on fd until the deadline. 1 ready, 0 not. */
static int wait_fd(int fd, short events, long long deadline)
{
  for(;;) {
    struct pollfd p;
    long long left = deadline - cli_now_ms();
    int n;

    if(left <= 0)
      return 0;
    p.fd = fd;
    p.events = events;
    p.revents = 0;
    n = poll(&p, 1, left > 60000 ? 60000 : (int)left);
    if(n < 0 && errno == EINTR)
      continue;
    return n > 0;
  }
}

static int connect_loopback(int port, long long deadline)
{
  struct sockaddr_in a;
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  int err = 0;
  socklen_t len = sizeof(err);

  if(fd < 0)
    return -1;
  if(fcntl(fd, F_SETFD, FD_CLOEXEC) ||
     fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK))
    goto fail;
  memset(&a, 0, sizeof(a));
  a.sin_family = AF_INET;
  a.sin_port = htons((uint16_t)port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if(connect(fd, (struct sockaddr *)&a, sizeof(a)) == 0)
    return fd;
  if(errno != EINPROGRESS || !wait_fd(fd, POLLOUT, deadline) ||
     getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) || err)
    goto fail;
  return fd;
fail:
  close(fd);
  return -1;
}

int cli_probe_v2(int port, int timeout_ms)
{
  long long deadline = cli_now_ms() + timeout_ms;
  char req[128], resp[64];
  size_t sent = 0, got = 0;
  int len, fd, status = 0;

  if(port <= 0 || port > 65535)
    return 0;
  fd = connect_loopback(port, deadline);
  if(fd < 0)
    return 0;
  len = snprintf(req, sizeof(req), "GET /v2/ HTTP/1.1\r\nHost: "
                 "127.0.0.1:%d\r\nConnection: close\r\n\r\n", port);
  while(sent < (size_t)len) {
    ssize_t n = send(fd, req + sent, (size_t)len - sent, MSG_NOSIGNAL);
    if(n > 0)
      sent += (size_t)n;
    else if(n < 0 && errno == EINTR)
      continue;
    else if(n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      if(!wait_fd(fd, POLLOUT, deadline))
        goto out;
    }
    else
      goto out;
  }
  /* "HTTP/1.1 200 OK": the status line is all we need. */
  while(got < sizeof(resp) - 1 && !memchr(resp, '\n', got)) {
    ssize_t n = recv(fd, resp + got, sizeof(resp) - 1 - got, 0);
    if(n > 0)
      got += (size_t)n;
    else if(n < 0 && errno == EINTR)
      continue;
    else if(n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      if(!wait_fd(fd, POLLIN, deadline))
        break;
    }
    else
      break;
  }
  resp[got] = '\0';
  if(got >= 12 && !strncmp(resp, "HTTP/1.", 7) && resp[8] == ' ') {
    if(!strncmp(resp + 9, "200", 3))
      status = 200;
    else if(!strncmp(resp + 9, "401", 3))
      status = 401;
  }
out:
  close(fd);
  return status == 200 || status == 401;
}
