// SPDX-License-Identifier: GPL-2.0
/*
 * Empty programs on the raw syscall tracepoints, with no maps and no vmlinux.h: the object the
 * tests of the attach-method fallback load by path (tests/integration/test_tool_session.c,
 * build/empty.bpf.o). The floors of the benchmarks are in floor.bpf.c.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

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

char LICENSE[] SEC("license") = "GPL";
