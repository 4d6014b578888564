// SPDX-License-Identifier: GPL-2.0
/* Counts the tc check's own UDP datagrams on a device's ingress and egress (cls_bpf, clsact). */
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include "net_parse.bpf.h"

const volatile __u16 target_port;
const volatile __u32 target_tgid;

__u64 ingress_hits;
__u64 egress_hits;
/* Sum of the sequence numbers seen in each direction, to show the payload was read. */
__u64 ingress_seq_sum;
__u64 egress_seq_sum;

static __always_inline void count(struct __sk_buff *skb, __u64 *hits, __u64 *seq_sum)
{
	struct net_probe_payload *p;

	p = probe_frame((void *)(long)skb->data, (void *)(long)skb->data_end, target_port);
	if (!p || p->tgid != target_tgid)
		return;
	__sync_fetch_and_add(hits, 1);
	__sync_fetch_and_add(seq_sum, p->seq);
}

SEC("tc")
int net_tc_ingress(struct __sk_buff *skb)
{
	count(skb, &ingress_hits, &ingress_seq_sum);
	return TC_ACT_OK;
}

SEC("tc")
int net_tc_egress(struct __sk_buff *skb)
{
	count(skb, &egress_hits, &egress_seq_sum);
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
