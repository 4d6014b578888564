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

SEC("kprobe/vfs_read")
int on_kprobe(void *ctx)
{
	hit();
	return 0;
}

SEC("kretprobe/vfs_read")
int on_kretprobe(void *ctx)
{
	hit();
	return 0;
}

SEC("kprobe.multi/vfs_read")
int on_kprobe_multi(void *ctx)
{
	hit();
	return 0;
}

SEC("fentry/vfs_read")
int BPF_PROG(on_fentry)
{
	hit();
	return 0;
}

SEC("fexit/vfs_read")
int BPF_PROG(on_fexit)
{
	hit();
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
