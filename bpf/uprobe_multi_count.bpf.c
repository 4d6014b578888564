// SPDX-License-Identifier: GPL-2.0
/*
 * Counts the entries of one user-space function of one process through a uprobe_multi link
 * (one link for any number of offsets, with a cookie each: Linux 6.6), with its int argument
 * and the cookie the link gave. No vmlinux.h, as uprobe_count: only UAPI registers are read.
 * Its own object: libbpf older than 1.3 does not know the section and would refuse the others.
 */
#include <stdbool.h>
#include <linux/bpf.h>
#include <linux/ptrace.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "armed.bpf.h"

__u64 entries;
__s64 arg_sum;
__u64 cookie_sum;

SEC("uprobe.multi")
int uprobe_multi_entry(struct pt_regs *ctx)
{
	int x = (int)PT_REGS_PARM1(ctx);

	if (!armed_here())
		return 0;
	__sync_fetch_and_add(&entries, 1);
	__sync_fetch_and_add(&arg_sum, x);
	__sync_fetch_and_add(&cookie_sum, bpf_get_attach_cookie(ctx));
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
