// SPDX-License-Identifier: GPL-2.0
/*
 * syscall-latency: time from syscall entry to exit, as a log2 histogram per CPU (one per
 * syscall number with by_syscall). Start times live in task storage: no hash, no lock.
 * Three variants of the same hooks; user space loads the cheapest that works here.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "hist.bpf.h"
#include "task_storage.bpf.h"
#include "tool_filter.bpf.h"

#define MAX_SYSCALLS 512

const volatile bool by_syscall;

struct start {
	__u64 ts;
	long nr;
};

TASK_STORAGE(starts, struct start);

/* max_entries: 1, or MAX_SYSCALLS with by_syscall (set by user space before load). */
HIST_PERCPU_ARRAY(hists, 1);

__u64 dropped;

static __always_inline void on_enter(long nr)
{
	struct start *s;

	if (!tool_wanted())
		return;
	s = bpf_task_storage_get(&starts, bpf_get_current_task_btf(), 0,
				 BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (!s) {
		__sync_fetch_and_add(&dropped, 1);
		return;
	}
	s->nr = nr;
	s->ts = bpf_ktime_get_ns();
}

static __always_inline void on_exit(void)
{
	__u64 now = bpf_ktime_get_ns(), delta;
	struct start *s;
	struct hist *h;
	__u32 key = 0;

	if (!tool_wanted())
		return;
	s = bpf_task_storage_get(&starts, bpf_get_current_task_btf(), 0, 0);
	if (!s || !s->ts)
		return;
	delta = now - s->ts;
	s->ts = 0;
	if (by_syscall) {
		if ((__u64)s->nr >= MAX_SYSCALLS) {
			__sync_fetch_and_add(&dropped, 1);
			return;
		}
		key = s->nr;
	}
	h = bpf_map_lookup_elem(&hists, &key);
	if (!h)
		return;
	hist_record(h, delta);
}

SEC("tp_btf/sys_enter")
int BPF_PROG(enter_btf, struct pt_regs *regs, long id)
{
	on_enter(id);
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(exit_btf, struct pt_regs *regs, long ret)
{
	on_exit();
	return 0;
}

SEC("raw_tp/sys_enter")
int enter_raw(struct bpf_raw_tracepoint_args *ctx)
{
	on_enter(ctx->args[1]);
	return 0;
}

SEC("raw_tp/sys_exit")
int exit_raw(struct bpf_raw_tracepoint_args *ctx)
{
	on_exit();
	return 0;
}

SEC("tracepoint/raw_syscalls/sys_enter")
int enter_tp(struct trace_event_raw_sys_enter *ctx)
{
	on_enter(ctx->id);
	return 0;
}

SEC("tracepoint/raw_syscalls/sys_exit")
int exit_tp(void *ctx)
{
	on_exit();
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
