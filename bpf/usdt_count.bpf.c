// SPDX-License-Identifier: GPL-2.0
/*
 * Counts the hits of one USDT probe in one process, with its two arguments as libbpf's USDT
 * support decodes them from the probe's note.
 */
/*
 * No vmlinux.h: nothing here reads a kernel structure, and the pt_regs of a uprobe are the
 * user-space registers, whose layout is UAPI (asm/ptrace.h). Without it there are no CO-RE
 * relocations, so libbpf need not parse the kernel's BTF (15-30 ms on each load).
 */
#include <stdbool.h>
#include <linux/bpf.h>
#include <linux/ptrace.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/usdt.bpf.h>

#include "armed.bpf.h"

__u64 hits;
__s64 arg1_sum;
__s64 arg2_sum;
long last_arg2;
int arg_count = -1;

SEC("usdt")
int BPF_USDT(usdt_target_call, int x, long tag)
{
	if (!armed_here())
		return 0;
	__sync_fetch_and_add(&hits, 1);
	__sync_fetch_and_add(&arg1_sum, x);
	__sync_fetch_and_add(&arg2_sum, tag);
	last_arg2 = tag;
	arg_count = bpf_usdt_arg_cnt(ctx);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
