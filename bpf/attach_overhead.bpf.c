// SPDX-License-Identifier: GPL-2.0
/*
 * The attach-overhead benchmark's programs on kernel hooks: one (almost) empty program per
 * attach type, whose whole body is one increment of a per-CPU hit counter. Loaded with
 * target_tgid = 0 for the timed runs (no filter: the counter then counts every process's
 * hits), and with the workload's tgid for the untimed run that counts its events per operation.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "attach_overhead.bpf.h"

SEC("tracepoint/syscalls/sys_enter_getppid")
int on_tracepoint(void *ctx)
{
	hit();
	return 0;
}

SEC("raw_tracepoint/sys_enter")
int on_raw_tracepoint(void *ctx)
{
	hit();
	return 0;
}

SEC("tp_btf/sys_enter")
int BPF_PROG(on_tp_btf)
{
	hit();
	return 0;
}

/*
 * The kernel-function hooks attach to the getppid syscall's function, whose name depends on
 * the architecture (__x64_sys_getppid, __arm64_sys_getppid ...): user space names it.
 */
SEC("kprobe")
int on_kprobe(void *ctx)
{
	hit();
	return 0;
}

SEC("kretprobe")
int on_kretprobe(void *ctx)
{
	hit();
	return 0;
}

SEC("kprobe.multi")
int on_kprobe_multi(void *ctx)
{
	hit();
	return 0;
}

SEC("fentry")
int BPF_PROG(on_fentry)
{
	hit();
	return 0;
}

SEC("fexit")
int BPF_PROG(on_fexit)
{
	hit();
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
