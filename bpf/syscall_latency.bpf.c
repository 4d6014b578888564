// SPDX-License-Identifier: GPL-2.0
/*
 * syscall-latency: time from syscall entry to exit, as a log2 histogram per CPU (one per
 * syscall number with by_syscall). Three variants of the same hooks; user space loads the
 * cheapest that works here.
 *
 * Start times: a syscall that returns without its task leaving the CPU (nearly all) keeps its
 * start in a per-CPU stash, one slot per CPU, which a map lookup the verifier inlines reaches.
 * When the task is switched out meanwhile (it blocks, or is preempted), sched_switch moves
 * its start to task storage, where the exit finds it on whichever CPU it runs. Nothing else
 * can run on the CPU between entry and exit without that switch, so the slot is the task's.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "hist.bpf.h"
#include "task_storage.bpf.h"
#include "tool_filter.bpf.h"

#define MAX_SYSCALLS 512

const volatile bool by_syscall;
/* This architecture's numbers of the syscalls that never return (set by user space). */
const volatile long nr_exit = -1, nr_exit_group = -1;

struct start {
	__u64 ts;	/* 0: none */
	long nr;
	__u32 tid;	/* the stash's owner */
};

TASK_STORAGE(starts, struct start);

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct start);
} stash SEC(".maps");

/* max_entries: 1, or MAX_SYSCALLS with by_syscall (set by user space before load). */
HIST_PERCPU_ARRAY(hists, 1);

__u64 dropped;

static __always_inline void on_enter(long nr)
{
	__u64 id = bpf_get_current_pid_tgid();
	__u32 zero = 0;
	struct start *s;

	if (nr == nr_exit || nr == nr_exit_group || !tool_id_wanted(id))
		return;
	s = bpf_map_lookup_elem(&stash, &zero);
	if (!s)
		return;
	s->tid = (__u32)id;
	s->nr = nr;
	s->ts = bpf_ktime_get_ns();
}

static __always_inline void on_exit(void)
{
	__u64 now = bpf_ktime_get_ns(), delta, id = bpf_get_current_pid_tgid();
	__u32 key = 0;
	struct start *s = bpf_map_lookup_elem(&stash, &key);
	struct hist *h;

	if (!s)
		return;
	if (s->tid != (__u32)id || !s->ts) {
		/* Switched out since its entry, or never seen to enter. */
		if (!tool_id_wanted(id))
			return;
		s = bpf_task_storage_get(&starts, bpf_get_current_task_btf(), 0, 0);
		if (!s || !s->ts)
			return;
	}
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

/* The task leaving the CPU (still current) takes its pending start along. */
static __always_inline void on_switch(void)
{
	__u32 zero = 0, tid = (__u32)bpf_get_current_pid_tgid();
	struct start *s = bpf_map_lookup_elem(&stash, &zero), *t;

	if (!s || !s->ts)
		return;
	if (s->tid != tid) {
		/* Left by a task that did not switch here (the tid an execve gave up): stale. */
		s->ts = 0;
		return;
	}
	t = bpf_task_storage_get(&starts, bpf_get_current_task_btf(), 0,
				 BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (t)
		*t = *s;
	else
		__sync_fetch_and_add(&dropped, 1);
	s->ts = 0;
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

SEC("tp_btf/sched_switch")
int BPF_PROG(switch_btf)
{
	on_switch();
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

SEC("raw_tp/sched_switch")
int switch_raw(struct bpf_raw_tracepoint_args *ctx)
{
	on_switch();
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

SEC("tracepoint/sched/sched_switch")
int switch_tp(void *ctx)
{
	on_switch();
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
