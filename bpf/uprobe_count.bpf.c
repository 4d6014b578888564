// SPDX-License-Identifier: GPL-2.0
/*
 * Counts the calls and returns of one user-space function of one process, with its int
 * argument and return value.
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

#include "armed.bpf.h"

__u64 entries;
__s64 arg_sum;
int last_arg;
__u64 returns;
__s64 ret_sum;
int last_ret;

SEC("uprobe")
int uprobe_entry(struct pt_regs *ctx)
{
	int x = (int)PT_REGS_PARM1(ctx);

	if (!armed_here())
		return 0;
	__sync_fetch_and_add(&entries, 1);
	__sync_fetch_and_add(&arg_sum, x);
	last_arg = x;
	return 0;
}

SEC("uretprobe")
int uretprobe_exit(struct pt_regs *ctx)
{
	int ret = (int)PT_REGS_RC(ctx);

	if (!armed_here())
		return 0;
	__sync_fetch_and_add(&returns, 1);
	__sync_fetch_and_add(&ret_sum, ret);
	last_ret = ret;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
