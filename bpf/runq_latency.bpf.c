// SPDX-License-Identifier: GPL-2.0
/*
 * runq-latency: how long a runnable task waits for a CPU, like bcc's runqlat. A task's wait
 * starts when it is woken (sched_wakeup, sched_wakeup_new) or switched out still runnable
 * (preempted, or prev state TASK_RUNNING: re-queued) and ends when sched_switch switches it in.
 * Start times in a bounded hash keyed by thread id (a full map counts as dropped); one log2
 * histogram in a per-CPU array.
 *
 * tp_btf and raw_tp hand over task pointers: the pid/comm filter looks at the woken task. The
 * tracepoint records carry no tgid: there a wait is measured for every task that passes the
 * comm filter and, with a tgid filter, added to the histogram at the task's next switch-out,
 * when it is the current task and its tgid can be read.
 */
#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "core_fixes.bpf.h"
#include "hist.bpf.h"
#include "tool_filter.bpf.h"

#define MAX_TASKS 10240
#define TASK_RUNNING 0
/* sched_switch's record: prev_state is 0 when running, TASK_REPORT_MAX (0x100) if preempted. */
#define TP_STATE_MASK 0xff

struct runq_start {
	__u64 ts;	/* waiting since; 0 when not waiting */
	__u64 pending;	/* tracepoint variant with a tgid filter: a wait not yet accounted */
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, MAX_TASKS);
	__type(key, __u32);
	__type(value, struct runq_start);
} runq_starts SEC(".maps");

HIST_PERCPU_ARRAY(runq_hists, 1);

__u64 dropped;

static __always_inline bool task_wanted(struct task_struct *t)
{
	if (!tool_tgid_wanted(BPF_CORE_READ(t, tgid)))
		return false;
	if (filter_comm) {
		char comm[TOOL_COMM_LEN];

		BPF_CORE_READ_STR_INTO(&comm, t, comm);
		return tool_comm_wanted(comm);
	}
	return true;
}

static __always_inline void account(__u64 delta)
{
	__u32 key = 0;
	struct hist *h = bpf_map_lookup_elem(&runq_hists, &key);

	if (!h)
		return;
	hist_record(h, delta);
}

static __always_inline void enqueued(__u32 tid)
{
	struct runq_start s = { .ts = bpf_ktime_get_ns() };

	if (!tid)	/* the idle task */
		return;
	if (bpf_map_update_elem(&runq_starts, &tid, &s, BPF_ANY))
		__sync_fetch_and_add(&dropped, 1);
}

/* tp_btf and raw_tp: task pointers. */
static __always_inline void task_woken(struct task_struct *p)
{
	if (task_wanted(p))
		enqueued(BPF_CORE_READ(p, pid));
}

static __always_inline void task_switch(bool preempt, struct task_struct *prev,
					struct task_struct *next)
{
	__u32 tid = BPF_CORE_READ(next, pid);
	struct runq_start *s;

	if (preempt || task_state(prev) == TASK_RUNNING)
		task_woken(prev);
	s = bpf_map_lookup_elem(&runq_starts, &tid);
	if (!s)
		return;
	account(bpf_ktime_get_ns() - s->ts);
	bpf_map_delete_elem(&runq_starts, &tid);
}

SEC("tp_btf/sched_wakeup")
int BPF_PROG(wakeup_btf, struct task_struct *p)
{
	task_woken(p);
	return 0;
}

SEC("tp_btf/sched_wakeup_new")
int BPF_PROG(wakeup_new_btf, struct task_struct *p)
{
	task_woken(p);
	return 0;
}

SEC("tp_btf/sched_switch")
int BPF_PROG(switch_btf, bool preempt, struct task_struct *prev, struct task_struct *next)
{
	task_switch(preempt, prev, next);
	return 0;
}

SEC("raw_tp/sched_wakeup")
int wakeup_raw(struct bpf_raw_tracepoint_args *ctx)
{
	task_woken((struct task_struct *)ctx->args[0]);
	return 0;
}

SEC("raw_tp/sched_wakeup_new")
int wakeup_new_raw(struct bpf_raw_tracepoint_args *ctx)
{
	task_woken((struct task_struct *)ctx->args[0]);
	return 0;
}

SEC("raw_tp/sched_switch")
int switch_raw(struct bpf_raw_tracepoint_args *ctx)
{
	task_switch(ctx->args[0], (struct task_struct *)ctx->args[1],
		    (struct task_struct *)ctx->args[2]);
	return 0;
}

/* tracepoint: pids and comms from the records; the current task is prev at sched_switch. */
static __always_inline void record_woken(struct trace_event_raw_sched_wakeup_template *ctx)
{
	if (filter_comm) {
		char comm[TOOL_COMM_LEN];

		/* Fixed-offset loads: the verifier refuses variable offsets into a record. */
		__builtin_memcpy(comm, ctx->comm, sizeof(comm));
		if (!tool_comm_wanted(comm))
			return;
	}
	enqueued(ctx->pid);
}

SEC("tracepoint/sched/sched_wakeup")
int wakeup_tp(struct trace_event_raw_sched_wakeup_template *ctx)
{
	record_woken(ctx);
	return 0;
}

SEC("tracepoint/sched/sched_wakeup_new")
int wakeup_new_tp(struct trace_event_raw_sched_wakeup_template *ctx)
{
	record_woken(ctx);
	return 0;
}

SEC("tracepoint/sched/sched_switch")
int switch_tp(struct trace_event_raw_sched_switch *ctx)
{
	__u32 prev = ctx->prev_pid, next = ctx->next_pid;
	bool wanted = tool_wanted();	/* about prev, the current task */
	struct runq_start *s;

	if (target_tgid) {
		s = bpf_map_lookup_elem(&runq_starts, &prev);
		if (s && s->pending && wanted)
			account(s->pending);
		if (s)
			bpf_map_delete_elem(&runq_starts, &prev);
	}
	if (wanted && !(ctx->prev_state & TP_STATE_MASK))
		enqueued(prev);
	s = bpf_map_lookup_elem(&runq_starts, &next);
	if (!s || !s->ts)
		return 0;
	if (target_tgid) {
		s->pending = bpf_ktime_get_ns() - s->ts;
		s->ts = 0;
		return 0;
	}
	account(bpf_ktime_get_ns() - s->ts);
	bpf_map_delete_elem(&runq_starts, &next);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
