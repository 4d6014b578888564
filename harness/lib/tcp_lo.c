// SPDX-License-Identifier: GPL-2.0
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/time.h>

#include "netlab.h"
#include "tcp_lo.h"

#define MAX_SIZE 4096

/* The byte at offset 'at' of the stream. */
static unsigned char pattern(size_t at)
{
	return (unsigned char)(at * 7 + 13);
}

__attribute__((format(printf, 3, 4)))
static int step_failed(struct tcp_lo *lo, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(lo->failed, sizeof(lo->failed), fmt, ap);
	va_end(ap);
	return err;
}

static __u16 port_of(int fd, bool peer)
{
	struct sockaddr_in a;
	socklen_t len = sizeof(a);

	if ((peer ? getpeername : getsockname)(fd, (struct sockaddr *)&a, &len))
		return 0;
	return ntohs(a.sin_port);
}

/* Listener and client connected to each other on 127.0.0.1, the client with cc. */
static int tcp_lo_connect(struct tcp_lo *lo, const char *cc)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	struct timeval tv = { .tv_sec = 1 };
	socklen_t len = sizeof(a);
	int one = 1, err;

	lo->fd[0] = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (lo->fd[0] < 0)
		return step_failed(lo, -errno, "create a TCP socket");
	err = netdev_up(lo->fd[0], "lo");
	if (err)
		return step_failed(lo, err, "set 'lo' up in a private network namespace");
	if (bind(lo->fd[0], (struct sockaddr *)&a, sizeof(a)) || listen(lo->fd[0], 1) ||
	    getsockname(lo->fd[0], (struct sockaddr *)&a, &len))
		return step_failed(lo, -errno, "listen on 127.0.0.1");
	lo->fd[1] = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (lo->fd[1] < 0)
		return step_failed(lo, -errno, "create a TCP socket");
	if (setsockopt(lo->fd[1], IPPROTO_TCP, TCP_CONGESTION, cc, strlen(cc))) {
		lo->cc_step = true;
		return step_failed(lo, -errno, "setsockopt TCP_CONGESTION '%s'", cc);
	}
	if (setsockopt(lo->fd[1], IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)) ||
	    setsockopt(lo->fd[1], SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)))
		return step_failed(lo, -errno, "set the client's socket options");
	if (connect(lo->fd[1], (struct sockaddr *)&a, sizeof(a)))
		return step_failed(lo, -errno, "connect to 127.0.0.1:%u", ntohs(a.sin_port));
	lo->fd[2] = accept4(lo->fd[0], NULL, NULL, SOCK_CLOEXEC);
	if (lo->fd[2] < 0)
		return step_failed(lo, -errno, "accept on 127.0.0.1");
	if (setsockopt(lo->fd[2], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)))
		return step_failed(lo, -errno, "set the server's socket options");
	lo->client_port = port_of(lo->fd[1], false);
	lo->server_port = port_of(lo->fd[1], true);
	return 0;
}

/* chunks writes of size bytes, each read back in full and compared. */
static int tcp_lo_transfer(struct tcp_lo *lo, int chunks, size_t size)
{
	unsigned char buf[MAX_SIZE];
	size_t at = 0;

	if (size > sizeof(buf))
		return step_failed(lo, -EINVAL, "send %zu-byte chunks (at most %d)", size,
				   MAX_SIZE);
	for (int i = 0; i < chunks; i++) {
		size_t got = 0;
		ssize_t n;

		for (size_t j = 0; j < size; j++)
			buf[j] = pattern(at + j);
		n = write(lo->fd[1], buf, size);
		if (n != (ssize_t)size)
			return step_failed(lo, n < 0 ? -errno : -EIO,
					   "write %zu bytes to the server", size);
		while (got < size) {
			n = read(lo->fd[2], buf + got, size - got);
			if (n <= 0)
				return step_failed(lo, n < 0 ? -errno : -ECONNRESET,
						   "read %zu bytes sent", size);
			got += n;
		}
		for (size_t j = 0; j < size; j++)
			if (buf[j] != pattern(at + j))
				return step_failed(lo, -EBADMSG, "the server read byte %zu "
						   "as 0x%02x, 0x%02x was sent", at + j, buf[j],
						   pattern(at + j));
		at += size;
	}
	return 0;
}

int tcp_lo_run(struct tcp_lo *lo, const char *cc, int chunks, size_t size,
	       const volatile __u64 *counter, int wait_ms)
{
	socklen_t len = sizeof(lo->cc_read) - 1;
	int err, left;

	err = netns_enter_private(&lo->ns);
	if (err) {
		step_failed(lo, err, "enter a private network namespace");
		return err;
	}
	err = tcp_lo_connect(lo, cc) ?: tcp_lo_transfer(lo, chunks, size);
	if (!err && !counter_wait(counter, 1, wait_ms))
		err = step_failed(lo, -ETIMEDOUT, "wait %d ms for the program's counter", wait_ms);
	if (!err && getsockopt(lo->fd[1], IPPROTO_TCP, TCP_CONGESTION, lo->cc_read, &len)) {
		lo->cc_step = true;
		err = step_failed(lo, -errno, "getsockopt TCP_CONGESTION");
	}
	for (int i = 0; i < 3; i++) {
		if (lo->fd[i] >= 0)
			close(lo->fd[i]);
		lo->fd[i] = -1;
	}
	left = netns_leave(&lo->ns);
	if (left && !err)
		err = step_failed(lo, left, "go back to the original network namespace");
	return err;
}
