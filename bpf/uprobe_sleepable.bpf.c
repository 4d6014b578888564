// SPDX-License-Identifier: GPL-2.0
/*
 * A sleepable uprobe (SEC("uprobe.s"), Linux 6.0) on one user-space function of one process:
 * on each call it reads a 64-bit value from the process's memory with bpf_copy_from_user(), a
 * helper the verifier gives to sleepable programs only, because it may take a page fault.
 * No vmlinux.h, as uprobe_count: nothing here reads a kernel structure. Its own object, so
 * that the programs of uprobe_count never carry a sleepable one.
 */
#include <stdbool.h>
#include <linux/bpf.h>
#include <linux/ptrace.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "armed.bpf.h"

/* Where the value lives in the target process. */
const volatile __u64 value_addr;

__u64 entries;
__u64 value_sum;
__u64 last_value;
__u64 copy_errors;
long last_error;

SEC("uprobe.s")
int sleepable_entry(struct pt_regs *ctx)
{
	__u64 value;
	long err;

	if (!armed_here())
		return 0;
	__sync_fetch_and_add(&entries, 1);
	err = bpf_copy_from_user(&value, sizeof(value), (const void *)(long)value_addr);
	if (err) {
		__sync_fetch_and_add(&copy_errors, 1);
		last_error = err;
		return 0;
	}
	__sync_fetch_and_add(&value_sum, value);
	last_value = value;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
