/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A veth pair (or a netkit pair) between two private network namespaces, ready to carry a
 * network check's own UDP datagrams. End 0 (192.0.2.1/24) lives in a peer namespace that only its
 * socket keeps alive; end 1 (192.0.2.2/24) lives in the lab namespace, where the caller is while
 * the lab is open, so that ifindex-based attach calls find it. Both ends have a UDP socket bound
 * to the lab's port and a permanent ARP entry for the other end: nothing but the check's
 * datagrams crosses the pair, and nothing leaves it (TEST-NET-1 addresses, no other device).
 *
 *   struct netlab lab = NETLAB_INIT;     then netlab_close() is safe on every path
 *   netlab_caps_missing()                NULL, or the capability a lab needs and this lacks
 *   netlab_open(&lab, port)              0 or -errno; lab.failed and lab.configs say what failed;
 *                                        lab.running_ms how long the ends took to run
 *   netlab_open_opts(&lab, port, &opts)  the same with another kind of pair or another MTU
 *   netlab_send(&lab, from, seq)         one datagram from end 'from' to the other end
 *   netlab_send_len(&lab, from, seq, len)   one of 'len' bytes of UDP payload, the last four
 *                                        of which repeat seq (when len > the payload header)
 *   netlab_recv(&lab, at, seqs, max, ms) datagrams that arrived at end 'at' within ms
 *   netlab_recv_len(&lab, at, seqs, lens, max, ms)   the same with each one's payload length
 *   netlab_close(&lab)                   close everything, back to the caller's namespace
 *   counter_wait(&c, want, ms)           wait until a BPF counter reaches want
 */
#ifndef BPFGAUGE_NETLAB_H
#define BPFGAUGE_NETLAB_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

#include "netns.h"

#define NETLAB_DEV0 "bpfgauge-a"
#define NETLAB_DEV1 "bpfgauge-b"

enum netlab_kind {
	NETLAB_VETH,
	NETLAB_NETKIT,		/* L2 mode; end 1 (in the lab namespace) is the primary device */
};

struct netlab_opts {
	enum netlab_kind kind;
	int mtu;		/* both ends; 0 keeps the device's default (1500) */
};

struct netlab {
	struct netns ns;
	enum netlab_kind kind;
	struct veth_pair veth;
	int ifindex;			/* end 1's, in the lab namespace */
	int sock[2];			/* UDP socket on each end */
	__u16 port;
	double running_ms;		/* from setting both ends up until both ran; -1: not yet */
	char failed[128];		/* the step that failed, for a reason */
	const char *const *configs;	/* CONFIG_ options that step needs (NULL-terminated) */
};

#define NETLAB_INIT { .ns = NETNS_INIT, .sock = { -1, -1 }, .running_ms = -1 }

const char *netlab_caps_missing(void);
int netlab_open(struct netlab *lab, __u16 port);
int netlab_open_opts(struct netlab *lab, __u16 port, const struct netlab_opts *opts);
/* The kind of pair as the reasons name it: "veth", "netkit". */
const char *netlab_kind_name(enum netlab_kind kind);
int netlab_send(struct netlab *lab, int from, __u32 seq);
int netlab_send_len(struct netlab *lab, int from, __u32 seq, size_t len);
/* How many of the lab's datagrams arrived at end 'at' before the deadline (max), or -errno. */
int netlab_recv(struct netlab *lab, int at, __u32 *seqs, int max, int timeout_ms);
/* The same; lens (may be NULL) gets each one's UDP payload length, as sent. */
int netlab_recv_len(struct netlab *lab, int at, __u32 *seqs, __u32 *lens, int max,
		    int timeout_ms);
/* 0, or the error of going back to the caller's namespace; safe on a lab that never opened. */
int netlab_close(struct netlab *lab);

bool counter_wait(const volatile __u64 *counter, __u64 want, int timeout_ms);

#endif
