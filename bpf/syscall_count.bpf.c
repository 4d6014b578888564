// SPDX-License-Identifier: GPL-2.0
/* Counts one syscall of one process through three kinds of tracepoint. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "armed.bpf.h"

const volatile long target_nr;

__u64 hits;
long last_nr = -1;

static __always_inline void count(long nr)
{
	if (!armed_here() || nr != target_nr)
		return;
	__sync_fetch_and_add(&hits, 1);
	last_nr = nr;
}

/*
 * The record of a syscall entry tracepoint as its format file describes it: the syscall number
 * is an int, followed by as many arguments as the syscall has (none for getppid). vmlinux.h's
 * trace_event_raw_sys_enter declares a long and six arguments, and reading past the record
 * makes the kernel refuse the attach with EACCES.
 */
struct syscall_enter_record {
	__u64 common;
	int nr;
};

SEC("tracepoint/syscalls/sys_enter_getppid")
int on_tracepoint(struct syscall_enter_record *ctx)
{
	count(ctx->nr);
	return 0;
}

SEC("raw_tracepoint/sys_enter")
int on_raw_tracepoint(struct bpf_raw_tracepoint_args *ctx)
{
	count(ctx->args[1]);
	return 0;
}

SEC("tp_btf/sys_enter")
int BPF_PROG(on_tp_btf, struct pt_regs *regs, long id)
{
	count(id);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
