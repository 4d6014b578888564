/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A veth pair between two private network namespaces, ready to carry a network check's own UDP
 * datagrams. End 0 (192.0.2.1/24) lives in a peer namespace that only its socket keeps alive;
 * end 1 (192.0.2.2/24) lives in the lab namespace, where the caller is while the lab is open, so
 * that ifindex-based attach calls find it. Both ends have a UDP socket bound to the lab's port
 * and a permanent ARP entry for the other end: nothing but the check's datagrams crosses the
 * pair, and nothing leaves it (TEST-NET-1 addresses, no other device).
 *
 *   struct netlab lab = NETLAB_INIT;     then netlab_close() is safe on every path
 *   netlab_open(&lab, port)              0 or -errno; lab.failed and lab.configs say what failed;
 *                                        lab.running_ms how long the ends took to run
 *   netlab_send(&lab, from, seq)         one datagram from end 'from' to the other end
 *   netlab_recv(&lab, at, seqs, max, ms) datagrams that arrived at end 'at' within ms
 *   netlab_close(&lab)                   close everything, back to the caller's namespace
 *   counter_wait(&c, want, ms)           wait until a BPF counter reaches want
 */
#ifndef BPFGAUGE_NETLAB_H
#define BPFGAUGE_NETLAB_H

#include <stdbool.h>
#include <linux/types.h>

#include "netns.h"

#define NETLAB_DEV0 "bpfgauge-a"
#define NETLAB_DEV1 "bpfgauge-b"

struct netlab {
	struct netns ns;
	struct veth_pair veth;
	int ifindex;			/* end 1's, in the lab namespace */
	int sock[2];			/* UDP socket on each end */
	__u16 port;
	double running_ms;		/* from setting both ends up until both ran; -1: not yet */
	char failed[128];		/* the step that failed, for a reason */
	const char *const *configs;	/* CONFIG_ options that step needs (NULL-terminated) */
};

#define NETLAB_INIT { .ns = NETNS_INIT, .sock = { -1, -1 }, .running_ms = -1 }

int netlab_open(struct netlab *lab, __u16 port);
int netlab_send(struct netlab *lab, int from, __u32 seq);
/* How many of the lab's datagrams arrived at end 'at' before the deadline (max), or -errno. */
int netlab_recv(struct netlab *lab, int at, __u32 *seqs, int max, int timeout_ms);
/* 0, or the error of going back to the caller's namespace; safe on a lab that never opened. */
int netlab_close(struct netlab *lab);

bool counter_wait(const volatile __u64 *counter, __u64 want, int timeout_ms);

#endif
