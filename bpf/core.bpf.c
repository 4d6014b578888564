// SPDX-License-Identifier: GPL-2.0
/* Reads the current task's tgid through CO-RE relocations. */
#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>

#include "armed.bpf.h"

__u32 core_tgid;
__u64 hits;

SEC("raw_tracepoint/sys_enter")
int on_sys_enter(void *ctx)
{
	struct task_struct *task;

	if (!armed_here())
		return 0;
	task = (struct task_struct *)bpf_get_current_task();
	core_tgid = BPF_CORE_READ(task, tgid);
	__sync_fetch_and_add(&hits, 1);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
