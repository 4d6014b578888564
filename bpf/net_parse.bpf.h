/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Find a network check's own packet in an Ethernet frame seen with direct packet access (XDP,
 * tc): IPv4 without options, UDP to dport, a payload with NET_PROBE_MAGIC. Anything else is
 * not ours. UAPI types only: no CO-RE, so loading needs no kernel BTF.
 *
 *   probe_frame(data, data_end, dport)   the payload, or NULL
 */
#ifndef BPFGAUGE_NET_PARSE_BPF_H
#define BPFGAUGE_NET_PARSE_BPF_H

#include <linux/types.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/udp.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

#include "net_probe.h"

static __always_inline struct net_probe_payload *probe_frame(void *data, void *data_end,
							      __u16 dport)
{
	struct ethhdr *eth = data;
	struct net_probe_payload *p;
	struct udphdr *udp;
	struct iphdr *ip;

	if ((void *)(eth + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IP))
		return NULL;
	ip = (void *)(eth + 1);
	if ((void *)(ip + 1) > data_end || ip->ihl != 5 || ip->protocol != IPPROTO_UDP)
		return NULL;
	udp = (void *)(ip + 1);
	if ((void *)(udp + 1) > data_end || udp->dest != bpf_htons(dport))
		return NULL;
	p = (void *)(udp + 1);
	if ((void *)(p + 1) > data_end || p->magic != NET_PROBE_MAGIC)
		return NULL;
	return p;
}

#endif
