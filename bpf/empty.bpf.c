// SPDX-License-Identifier: GPL-2.0
/*
 * The floor a latency tool is compared against: empty programs (what the hook alone costs),
 * and programs that only read the clock at entry and exit (what any latency measurement needs
 * at the least: bpf_ktime_get_ns() is not free, and in some VMs it is the largest part).
 */
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

__u64 clock_sink;

SEC("tp_btf/sys_enter")
int BPF_PROG(enter_clock_btf)
{
	clock_sink = bpf_ktime_get_ns();
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(exit_clock_btf)
{
	clock_sink = bpf_ktime_get_ns() - clock_sink;
	return 0;
}

SEC("raw_tp/sys_enter")
int enter_clock_raw(void *ctx)
{
	clock_sink = bpf_ktime_get_ns();
	return 0;
}

SEC("raw_tp/sys_exit")
int exit_clock_raw(void *ctx)
{
	clock_sink = bpf_ktime_get_ns() - clock_sink;
	return 0;
}

SEC("tracepoint/raw_syscalls/sys_enter")
int enter_clock_tp(void *ctx)
{
	clock_sink = bpf_ktime_get_ns();
	return 0;
}

SEC("tracepoint/raw_syscalls/sys_exit")
int exit_clock_tp(void *ctx)
{
	clock_sink = bpf_ktime_get_ns() - clock_sink;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
