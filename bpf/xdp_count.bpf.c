// SPDX-License-Identifier: GPL-2.0
/*
 * Counts the xdp checks' own UDP datagrams and passes or drops them as user space chooses, so
 * that the check sees both that the program ran and that its verdict was obeyed.
 */
#include <linux/bpf.h>
#include "net_parse.bpf.h"

const volatile __u16 target_port;
const volatile __u32 target_tgid;

/* Set by user space: 1 drops our datagrams (XDP_DROP), 0 lets them pass (XDP_PASS). */
__u32 drop;
__u64 hits;
__u64 dropped;
/* Sequence number of the last datagram seen, to show the program read the payload. */
__u32 last_seq;

SEC("xdp")
int net_xdp(struct xdp_md *ctx)
{
	struct net_probe_payload *p;

	p = probe_frame((void *)(long)ctx->data, (void *)(long)ctx->data_end, target_port);
	if (!p || p->tgid != target_tgid)
		return XDP_PASS;
	__sync_fetch_and_add(&hits, 1);
	last_seq = p->seq;
	if (drop) {
		__sync_fetch_and_add(&dropped, 1);
		return XDP_DROP;
	}
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
