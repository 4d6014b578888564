/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A TCP connection over loopback in a private network namespace, whose client chooses a
 * congestion control by name (setsockopt TCP_CONGESTION) before it connects, then sends a
 * known byte pattern that the server reads back. The namespace is never named: it and its
 * sockets vanish with the process, even a killed one.
 *
 *   struct tcp_lo lo = TCP_LO_INIT;
 *   tcp_lo_run(&lo, cc, chunks, size, counter, wait_ms)
 *       enter the namespace, set lo up, connect, send chunks writes of size bytes (TCP_NODELAY:
 *       one segment each), read them back, wait up to wait_ms for *counter (a BPF counter)
 *       to be non-zero, read the congestion control back with getsockopt, close everything
 *       and go back to the caller's namespace. 0 or -errno; on failure lo.failed names the
 *       step and lo.cc_step says whether it was choosing or reading back the congestion control
 *       (the rest is this machine's networking). -ETIMEDOUT: the counter stayed 0.
 */
#ifndef BPFGAUGE_TCP_LO_H
#define BPFGAUGE_TCP_LO_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

#include "netns.h"

struct tcp_lo {
	struct netns ns;
	int fd[3];			/* listener, client, server */
	__u16 client_port, server_port;	/* host order */
	char cc_read[16];		/* what getsockopt TCP_CONGESTION gave on the client */
	char failed[128];
	bool cc_step;
};

#define TCP_LO_INIT { .ns = NETNS_INIT, .fd = { -1, -1, -1 } }

int tcp_lo_run(struct tcp_lo *lo, const char *cc, int chunks, size_t size,
	       const volatile __u64 *counter, int wait_ms);

#endif
