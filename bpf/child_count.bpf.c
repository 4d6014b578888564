// SPDX-License-Identifier: GPL-2.0
/*
 * Counts the processes one process forks and the execs of its children, with the last exec'd
 * file name: independent evidence for the fork-exec workload's tests. Raw tracepoints, so no
 * tracefs is needed.
 */
#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

const volatile __u32 parent_tgid;

/* Set by user space around the workload's run, so that only those are counted. */
__u32 armed;
__u64 forks;
__u64 execs;
char last_exec[64];

/* A new process (not a thread) whose parent is parent_tgid. */
SEC("raw_tp/sched_process_fork")
int BPF_PROG(on_fork, struct task_struct *parent, struct task_struct *child)
{
	if (!armed || BPF_CORE_READ(parent, tgid) != parent_tgid ||
	    BPF_CORE_READ(child, pid) != BPF_CORE_READ(child, tgid))
		return 0;
	__sync_fetch_and_add(&forks, 1);
	return 0;
}

SEC("raw_tp/sched_process_exec")
int BPF_PROG(on_exec, struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm)
{
	if (!armed || BPF_CORE_READ(p, real_parent, tgid) != parent_tgid)
		return 0;
	__sync_fetch_and_add(&execs, 1);
	bpf_probe_read_kernel_str(last_exec, sizeof(last_exec), BPF_CORE_READ(bprm, filename));
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
