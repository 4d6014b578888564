// SPDX-License-Identifier: GPL-2.0
/*
 * How uretprobes return: the returns of one user-space function of one process, and that
 * process's syscalls with one number (the uretprobe syscall's) in the meantime. A raw
 * tracepoint on sys_enter rather than tp_btf: it needs no kernel BTF, and its arguments (regs,
 * id) are UAPI. No vmlinux.h, as uprobe_count: only UAPI registers are read.
 */
#include <stdbool.h>
#include <linux/bpf.h>
#include <linux/ptrace.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "armed.bpf.h"

const volatile long target_nr;
const volatile long control_nr;	/* getppid: one call proves the counter sees this process */

__u64 returns;
__s64 ret_sum;
__u64 syscalls;
__u64 controls;

SEC("uretprobe")
int uretsys_return(struct pt_regs *ctx)
{
	if (!armed_here())
		return 0;
	__sync_fetch_and_add(&returns, 1);
	__sync_fetch_and_add(&ret_sum, (int)PT_REGS_RC(ctx));
	return 0;
}

SEC("raw_tp/sys_enter")
int uretsys_enter(struct bpf_raw_tracepoint_args *ctx)
{
	if (!armed_here())
		return 0;
	if ((long)ctx->args[1] == target_nr)
		__sync_fetch_and_add(&syscalls, 1);
	else if ((long)ctx->args[1] == control_nr)
		__sync_fetch_and_add(&controls, 1);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
