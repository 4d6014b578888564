// SPDX-License-Identifier: GPL-2.0
/*
 * The xdp_frags check's programs: they see its own UDP datagrams in driver mode, read each one's
 * whole length (bpf_xdp_get_buff_len: the linear part and the fragments behind it) and its last
 * four bytes wherever they lie (bpf_xdp_load_bytes), and pass them all. Datagrams longer than a
 * page are counted apart from the others. net_xdp_frags is loaded with BPF_F_XDP_HAS_FRAGS
 * (SEC("xdp.frags")); net_xdp_linear, the same without it, only shows that the driver refuses a
 * program that cannot take fragments at this MTU.
 */
#include <linux/bpf.h>
#include "net_parse.bpf.h"

const volatile __u16 target_port;
const volatile __u32 target_tgid;
const volatile __u32 page_size;

__u64 big_hits;		/* longer than a page */
__u64 big_len_sum;
__u64 big_split;	/* of those, how many had a linear part shorter than their length */
__u64 small_hits;
__u64 small_len_sum;
__u64 tails_ok;		/* last four bytes read and equal to the sequence number */
__u64 linear_max;	/* the longest linear part (data_end - data) seen */

static __always_inline void count(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data, *data_end = (void *)(long)ctx->data_end;
	struct net_probe_payload *p = probe_frame(data, data_end, target_port);
	__u64 len, linear = data_end - data;
	__u32 tail;

	if (!p || p->tgid != target_tgid)
		return;
	len = bpf_xdp_get_buff_len(ctx);
	if (len > page_size) {
		__sync_fetch_and_add(&big_hits, 1);
		__sync_fetch_and_add(&big_len_sum, len);
		if (linear < len)
			__sync_fetch_and_add(&big_split, 1);
	} else {
		__sync_fetch_and_add(&small_hits, 1);
		__sync_fetch_and_add(&small_len_sum, len);
	}
	if (linear > linear_max)
		linear_max = linear;
	if (len >= sizeof(tail) && !bpf_xdp_load_bytes(ctx, len - sizeof(tail), &tail,
						       sizeof(tail)) && tail == p->seq)
		__sync_fetch_and_add(&tails_ok, 1);
}

SEC("xdp.frags")
int net_xdp_frags(struct xdp_md *ctx)
{
	count(ctx);
	return XDP_PASS;
}

SEC("xdp")
int net_xdp_linear(struct xdp_md *ctx)
{
	count(ctx);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
