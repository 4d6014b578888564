// SPDX-License-Identifier: GPL-2.0
/*
 * Counts the cgroup_skb check's own UDP datagrams leaving and entering the sockets of one
 * cgroup. A cgroup_skb program sees the packet from its IP header on.
 */
#include <linux/bpf.h>
#include <stdbool.h>
#include "net_parse.bpf.h"

/* Set by user space after load: the port the child process receives on. */
__u16 target_port;
__u64 egress_hits;
__u64 ingress_hits;

static __always_inline bool is_ours(struct __sk_buff *skb)
{
	struct net_probe_payload p;
	struct udphdr udp;
	struct iphdr ip;

	if (!target_port || bpf_skb_load_bytes(skb, 0, &ip, sizeof(ip)) || ip.version != 4 ||
	    ip.ihl != 5 || ip.protocol != IPPROTO_UDP)
		return false;
	if (bpf_skb_load_bytes(skb, sizeof(ip), &udp, sizeof(udp)) ||
	    udp.dest != bpf_htons(target_port))
		return false;
	if (bpf_skb_load_bytes(skb, sizeof(ip) + sizeof(udp), &p, sizeof(p)))
		return false;
	return p.magic == NET_PROBE_MAGIC;
}

SEC("cgroup_skb/egress")
int net_cg_egress(struct __sk_buff *skb)
{
	if (is_ours(skb))
		__sync_fetch_and_add(&egress_hits, 1);
	return 1;
}

SEC("cgroup_skb/ingress")
int net_cg_ingress(struct __sk_buff *skb)
{
	if (is_ours(skb))
		__sync_fetch_and_add(&ingress_hits, 1);
	return 1;
}

char LICENSE[] SEC("license") = "GPL";
