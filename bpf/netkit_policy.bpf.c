// SPDX-License-Identifier: GPL-2.0
/*
 * The netkit check's policy program on the primary device of a netkit pair: it runs in that
 * device's transmit routine, for every packet the primary sends to its peer. It counts the
 * check's own UDP datagrams, drops those whose sequence number is drop_from or more
 * (NETKIT_DROP) and passes the others (NETKIT_PASS); anything else gets the device's own
 * policy (NETKIT_NEXT). UAPI's TCX_* values are netkit's (the kernel asserts they match).
 */
#include <linux/bpf.h>
#include "net_parse.bpf.h"

const volatile __u16 target_port;
const volatile __u32 target_tgid;
const volatile __u32 drop_from;

__u64 hits;
__u64 dropped;
__u64 seq_sum;		/* of the datagrams passed */

SEC("netkit/primary")
int net_netkit_primary(struct __sk_buff *skb)
{
	struct net_probe_payload *p;

	p = probe_frame((void *)(long)skb->data, (void *)(long)skb->data_end, target_port);
	if (!p || p->tgid != target_tgid)
		return TCX_NEXT;
	__sync_fetch_and_add(&hits, 1);
	if (p->seq >= drop_from) {
		__sync_fetch_and_add(&dropped, 1);
		return TCX_DROP;
	}
	__sync_fetch_and_add(&seq_sum, p->seq);
	return TCX_PASS;
}

char LICENSE[] SEC("license") = "GPL";
