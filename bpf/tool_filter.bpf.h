/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The pid/comm filter every tool shares; tunables set by user space before load.
 *   tool_wanted()             the current task passes the filters
 *   tool_id_wanted(id)        the same, given its bpf_get_current_pid_tgid()
 *   tool_tgid_wanted(tgid)    a process passes the pid filter (for tasks other than the current)
 *   tool_comm_wanted(comm)    comm passes the comm filter (for tasks other than the current)
 *
 * The pid filter takes target_tgid and, with follow_tree, every descendant it has while
 * traced: tree_fork adds a process forked by a wanted one to tree_tgids, tree_exit removes it
 * when its last thread exits (harness/tools/proc_tree.h seeds those that exist at the start and
 * attaches both). Threads share their process's tgid and need no entry.
 */
#ifndef BPFGAUGE_TOOL_FILTER_BPF_H
#define BPFGAUGE_TOOL_FILTER_BPF_H

#include <bpf/bpf_core_read.h>

#include "tree_follow.h"

#define TOOL_COMM_LEN 16

const volatile __u32 target_tgid;		/* 0: every process */
const volatile bool follow_tree;		/* and its descendants */
const volatile bool filter_comm;
const volatile char target_comm[TOOL_COMM_LEN];

/* The descendants of target_tgid alive now (max_entries 1 without follow_tree). */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, TREE_MAX_PROCS);
	__type(key, __u32);
	__type(value, __u8);
} tree_tgids SEC(".maps");

/* TREE_ADDED, TREE_LOST (tree_follow.h). */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, TREE_NR_COUNTS);
	__type(key, __u32);
	__type(value, __u64);
} tree_counts SEC(".maps");

/* Whether comm (TOOL_COMM_LEN bytes) is target_comm. */
static __always_inline bool tool_comm_wanted(const char *comm)
{
	for (int i = 0; i < TOOL_COMM_LEN; i++) {
		if (comm[i] != target_comm[i])
			return false;
		if (!comm[i])
			break;
	}
	return true;
}

/* Whether process tgid passes the pid filter: the target itself first, it is the common case. */
static __always_inline bool tool_tgid_wanted(__u32 tgid)
{
	if (!target_tgid || tgid == target_tgid)
		return true;
	return follow_tree && bpf_map_lookup_elem(&tree_tgids, &tgid);
}

/* Whether the current task, whose bpf_get_current_pid_tgid() is id, passes the filters. */
static __always_inline bool tool_id_wanted(__u64 id)
{
	if (!tool_tgid_wanted(id >> 32))
		return false;
	if (filter_comm) {
		char comm[TOOL_COMM_LEN];

		bpf_get_current_comm(comm, sizeof(comm));
		return tool_comm_wanted(comm);
	}
	return true;
}

/* Whether the current task passes the pid and comm filters. */
static __always_inline bool tool_wanted(void)
{
	return tool_id_wanted(bpf_get_current_pid_tgid());
}

static __always_inline void tree_count(__u32 which)
{
	__u64 *n = bpf_map_lookup_elem(&tree_counts, &which);

	if (n)
		__sync_fetch_and_add(n, 1);
}

/* A new process (not a thread) forked by a wanted one joins the tree; current is the parent. */
SEC("raw_tp/sched_process_fork")
int tree_fork(struct bpf_raw_tracepoint_args *ctx)
{
	struct task_struct *child = (struct task_struct *)ctx->args[1];
	__u32 parent = bpf_get_current_pid_tgid() >> 32, tgid = BPF_CORE_READ(child, tgid);
	__u8 one = 1;

	if (!follow_tree || !target_tgid || tgid == parent || !tool_tgid_wanted(parent))
		return 0;
	/* BPF_ANY: a stale entry of a pid since reused is this process's now. */
	if (!bpf_map_update_elem(&tree_tgids, &tgid, &one, BPF_ANY))
		tree_count(TREE_ADDED);
	else
		tree_count(TREE_LOST);	/* the map is full */
	return 0;
}

/* The last thread of a process leaves the tree (signal->live already counts it out). */
SEC("raw_tp/sched_process_exit")
int tree_exit(struct bpf_raw_tracepoint_args *ctx)
{
	struct task_struct *t = (struct task_struct *)ctx->args[0];
	__u32 tgid;

	if (!follow_tree || BPF_CORE_READ(t, signal, live.counter))
		return 0;
	tgid = BPF_CORE_READ(t, tgid);
	bpf_map_delete_elem(&tree_tgids, &tgid);
	return 0;
}

#endif
