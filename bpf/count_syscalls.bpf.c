// SPDX-License-Identifier: GPL-2.0
/*
 * A count per syscall number, summarised in the kernel: ours next to bpftrace's
 * 'tracepoint:raw_syscalls:sys_enter { @[args->id] = count(); }'. A per-CPU array indexed
 * by the number (no hash, no lock, no atomic), filtered by tool_filter.bpf.h. Three
 * variants of the one hook; user space loads the cheapest that works.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "tool_filter.bpf.h"

#define MAX_SYSCALLS 512

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, MAX_SYSCALLS);
	__type(key, __u32);
	__type(value, __u64);
} counts SEC(".maps");

__u64 dropped;		/* numbers beyond MAX_SYSCALLS (-1: a syscall that does not exist) */

static __always_inline void count(long nr)
{
	__u32 key = nr;
	__u64 *n;

	if (!tool_wanted())
		return;
	if ((__u64)nr >= MAX_SYSCALLS) {
		__sync_fetch_and_add(&dropped, 1);
		return;
	}
	n = bpf_map_lookup_elem(&counts, &key);
	if (n)
		*n += 1;
}

SEC("tp_btf/sys_enter")
int BPF_PROG(count_btf, struct pt_regs *regs, long id)
{
	count(id);
	return 0;
}

SEC("raw_tp/sys_enter")
int count_raw(struct bpf_raw_tracepoint_args *ctx)
{
	count(ctx->args[1]);
	return 0;
}

SEC("tracepoint/raw_syscalls/sys_enter")
int count_tp(struct trace_event_raw_sys_enter *ctx)
{
	count(ctx->id);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
