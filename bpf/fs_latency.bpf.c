// SPDX-License-Identifier: GPL-2.0
/*
 * fs-latency: time spent in file system reads, writes, opens and fsyncs, one log2 histogram
 * per operation in a per-CPU array. Start times live in task storage (one slot per operation,
 * so an open inside a read cannot spoil it): no hash, no lock.
 *
 * Three variants; user space loads the cheapest that works here:
 *   fentry/fexit        vfs_read, vfs_write, vfs_open, vfs_fsync_range
 *   kprobe/kretprobe    the same functions
 *   syscall tracepoints the syscalls that end in those functions (read, pread64 -> vfs_read,
 *                       ...); the programs never read their record, so its size (which
 *                       depends on the syscall's arguments) does not matter.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "fs_latency.h"
#include "hist.bpf.h"
#include "task_storage.bpf.h"
#include "tool_filter.bpf.h"

struct fs_start {
	__u64 ts[FS_OP_MAX];
};

TASK_STORAGE(fs_starts, struct fs_start);

HIST_PERCPU_ARRAY(fs_hists, FS_OP_MAX);

__u64 dropped;

static __always_inline void on_enter(enum fs_op op)
{
	struct fs_start *s;

	if (!tool_wanted())
		return;
	s = bpf_task_storage_get(&fs_starts, bpf_get_current_task_btf(), 0,
				 BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (!s) {
		__sync_fetch_and_add(&dropped, 1);
		return;
	}
	s->ts[op] = bpf_ktime_get_ns();
}

static __always_inline void on_exit(enum fs_op op)
{
	__u64 now = bpf_ktime_get_ns(), delta;
	struct fs_start *s;
	struct hist *h;
	__u32 key = op;

	if (!tool_wanted())
		return;
	s = bpf_task_storage_get(&fs_starts, bpf_get_current_task_btf(), 0, 0);
	if (!s || !s->ts[op])
		return;
	delta = now - s->ts[op];
	s->ts[op] = 0;
	h = bpf_map_lookup_elem(&fs_hists, &key);
	if (!h)
		return;
	hist_record(h, delta);
}

#define FS_TRAMPOLINES(fn, op)                                                               \
	SEC("fentry/" #fn)                                                                   \
	int BPF_PROG(fentry_##fn)                                                            \
	{                                                                                    \
		on_enter(op);                                                                \
		return 0;                                                                    \
	}                                                                                    \
	SEC("fexit/" #fn)                                                                    \
	int BPF_PROG(fexit_##fn)                                                             \
	{                                                                                    \
		on_exit(op);                                                                 \
		return 0;                                                                    \
	}

#define FS_KPROBES(fn, op)                                                                   \
	SEC("kprobe/" #fn)                                                                   \
	int kprobe_##fn(struct pt_regs *ctx)                                                 \
	{                                                                                    \
		on_enter(op);                                                                \
		return 0;                                                                    \
	}                                                                                    \
	SEC("kretprobe/" #fn)                                                                \
	int kretprobe_##fn(struct pt_regs *ctx)                                              \
	{                                                                                    \
		on_exit(op);                                                                 \
		return 0;                                                                    \
	}

#define FS_SYSCALL(sc, op)                                                                   \
	SEC("tracepoint/syscalls/sys_enter_" #sc)                                            \
	int enter_##sc(void *ctx)                                                            \
	{                                                                                    \
		on_enter(op);                                                                \
		return 0;                                                                    \
	}                                                                                    \
	SEC("tracepoint/syscalls/sys_exit_" #sc)                                             \
	int exit_##sc(void *ctx)                                                             \
	{                                                                                    \
		on_exit(op);                                                                 \
		return 0;                                                                    \
	}

FS_TRAMPOLINES(vfs_read, FS_OP_READ)
FS_TRAMPOLINES(vfs_write, FS_OP_WRITE)
FS_TRAMPOLINES(vfs_open, FS_OP_OPEN)
FS_TRAMPOLINES(vfs_fsync_range, FS_OP_FSYNC)

FS_KPROBES(vfs_read, FS_OP_READ)
FS_KPROBES(vfs_write, FS_OP_WRITE)
FS_KPROBES(vfs_open, FS_OP_OPEN)
FS_KPROBES(vfs_fsync_range, FS_OP_FSYNC)

/* The syscalls whose work is done by the functions above. */
FS_SYSCALL(read, FS_OP_READ)
FS_SYSCALL(pread64, FS_OP_READ)
FS_SYSCALL(write, FS_OP_WRITE)
FS_SYSCALL(pwrite64, FS_OP_WRITE)
FS_SYSCALL(open, FS_OP_OPEN)
FS_SYSCALL(openat, FS_OP_OPEN)
FS_SYSCALL(openat2, FS_OP_OPEN)
FS_SYSCALL(creat, FS_OP_OPEN)
FS_SYSCALL(fsync, FS_OP_FSYNC)
FS_SYSCALL(fdatasync, FS_OP_FSYNC)

char LICENSE[] SEC("license") = "GPL";
