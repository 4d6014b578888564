// SPDX-License-Identifier: GPL-2.0
/*
 * Counts one process's vfs_read() calls through five kinds of kernel function hook: kprobe,
 * kretprobe, kprobe_multi, fentry and fexit. Each check loads only its own program.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "armed.bpf.h"

__u64 hits;
/*
 * Sums over the counted calls of the size argument and of the return value (entry hooks see
 * no return value, kretprobe sees no arguments: they add 0), the last buffer argument, and
 * kprobe_multi's attach cookie.
 */
__u64 count_sum;
__s64 ret_sum;
__u64 last_buf;
__u64 last_cookie;

static __always_inline void record(const void *buf, size_t count, long ret)
{
	__sync_fetch_and_add(&hits, 1);
	__sync_fetch_and_add(&count_sum, count);
	__sync_fetch_and_add(&ret_sum, ret);
	if (buf)
		last_buf = (__u64)buf;
}

SEC("kprobe/vfs_read")
int BPF_KPROBE(on_kprobe, struct file *file, char *buf, size_t count)
{
	if (armed_here())
		record(buf, count, 0);
	return 0;
}

SEC("kretprobe/vfs_read")
int BPF_KRETPROBE(on_kretprobe, long ret)
{
	if (armed_here())
		record(NULL, 0, ret);
	return 0;
}

SEC("kprobe.multi/vfs_read")
int BPF_KPROBE(on_kprobe_multi, struct file *file, char *buf, size_t count)
{
	if (!armed_here())
		return 0;
	record(buf, count, 0);
	last_cookie = bpf_get_attach_cookie(ctx);
	return 0;
}

SEC("fentry/vfs_read")
int BPF_PROG(on_fentry, struct file *file, char *buf, size_t count, loff_t *pos)
{
	if (armed_here())
		record(buf, count, 0);
	return 0;
}

SEC("fexit/vfs_read")
int BPF_PROG(on_fexit, struct file *file, char *buf, size_t count, loff_t *pos, long ret)
{
	if (armed_here())
		record(buf, count, ret);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
