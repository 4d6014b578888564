// SPDX-License-Identifier: GPL-2.0
/*
 * The attach-overhead benchmark's programs on user-space hooks (uprobe, uretprobe, USDT),
 * each one increment of a per-CPU hit counter, like attach_overhead.bpf.c's.
 */
/*
 * No vmlinux.h: nothing here reads a kernel structure, so there are no CO-RE relocations and
 * libbpf need not parse the kernel's BTF on each load.
 */
#include <stdbool.h>
#include <linux/bpf.h>
#include <linux/ptrace.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
/* The USDT maps libbpf needs to attach a "usdt" program, although this one reads no argument. */
#include <bpf/usdt.bpf.h>

#include "attach_overhead.bpf.h"

SEC("uprobe")
int on_uprobe(void *ctx)
{
	hit();
	return 0;
}

SEC("uretprobe")
int on_uretprobe(void *ctx)
{
	hit();
	return 0;
}

SEC("usdt")
int on_usdt(void *ctx)
{
	hit();
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
