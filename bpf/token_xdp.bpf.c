// SPDX-License-Identifier: GPL-2.0
/*
 * What the token check loads through a BPF token in a user namespace: an XDP program (a type
 * that needs CAP_NET_ADMIN and CAP_BPF) and a queue map (a type that needs CAP_BPF). Run by
 * BPF_PROG_TEST_RUN on packets user space makes, it pushes each packet's first 64 bits into
 * the queue, where user space pops them again. UAPI types only: nothing here reads the
 * kernel's BTF, and there are no global variables (no array map for libbpf to create).
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "token_xdp.h"

struct {
	__uint(type, BPF_MAP_TYPE_QUEUE);
	__uint(max_entries, TOKEN_VALUES_MAX);
	__type(value, __u64);
} values SEC(".maps");

SEC("xdp")
int token_xdp(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
	__u64 v;

	if (data + sizeof(v) > end)
		return XDP_ABORTED;
	__builtin_memcpy(&v, data, sizeof(v));
	if (bpf_map_push_elem(&values, &v, 0))
		return XDP_DROP;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
