// SPDX-License-Identifier: GPL-2.0
/* Empty programs: the floor, what the hook alone costs, to compare tools against. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

SEC("tp_btf/sys_enter")
int BPF_PROG(enter_btf)
{
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(exit_btf)
{
	return 0;
}

SEC("raw_tp/sys_enter")
int enter_raw(void *ctx)
{
	return 0;
}

SEC("raw_tp/sys_exit")
int exit_raw(void *ctx)
{
	return 0;
}

SEC("tracepoint/raw_syscalls/sys_enter")
int enter_tp(void *ctx)
{
	return 0;
}

SEC("tracepoint/raw_syscalls/sys_exit")
int exit_tp(void *ctx)
{
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
