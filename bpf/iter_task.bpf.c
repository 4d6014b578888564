// SPDX-License-Identifier: GPL-2.0
/*
 * A task iterator (Linux 5.8): one line per thread of process target_tgid, "TID COMM\n",
 * written to the seq_file user space reads from the iterator's fd; the other tasks of the
 * machine are walked past and counted. TID is the thread's id in its own (innermost) PID
 * namespace, as /proc/self/task of the checking process shows it also in a container;
 * task->tgid and task->pid are the initial namespace's.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>

const volatile __u32 target_tgid;

__u64 walked;

static __always_inline int ns_tid(struct task_struct *task)
{
	struct pid *pid = BPF_CORE_READ(task, thread_pid);
	unsigned int level = BPF_CORE_READ(pid, level);
	struct upid up = {};

	bpf_core_read(&up, sizeof(up), &pid->numbers[level]);
	return up.nr;
}

SEC("iter/task")
int iter_threads(struct bpf_iter__task *ctx)
{
	struct seq_file *seq = ctx->meta->seq;
	struct task_struct *task = ctx->task;

	if (!task)
		return 0;	/* the end of the walk */
	walked++;
	if (task->tgid != target_tgid)
		return 0;
	BPF_SEQ_PRINTF(seq, "%d %s\n", ns_tid(task), task->comm);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
