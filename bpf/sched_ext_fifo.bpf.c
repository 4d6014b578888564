// SPDX-License-Identifier: GPL-2.0
/*
 * A global FIFO scheduler for sched_ext (struct sched_ext_ops as a struct_ops map, attached
 * through a link): every task that wakes up or is preempted joins one shared queue (a DSQ
 * made in init) with a short slice, and each CPU that looks for work takes the oldest task it
 * may run. select_cpu keeps a task on its CPU without dispatching it there, so that every
 * wakeup goes through enqueue. The callbacks count what they did, and for one thread
 * (target_pid) how often it was enqueued and started running; exit records why the
 * scheduler ended.
 *
 * Only the few types and kfuncs it uses are declared here, with ___flavor names (libbpf drops
 * the flavor when it matches them with the kernel's), so that this builds against any
 * vmlinux.h, with or without sched_ext. kfuncs were renamed across versions; each call uses
 * the newest the kernel has (bpf_ksym_exists) and records which:
 *   insert a task into a DSQ: scx_bpf_dsq_insert___v2 (6.19), scx_bpf_dsq_insert (6.13),
 *                             scx_bpf_dispatch (6.12)
 *   move a task to the CPU:   scx_bpf_dsq_move_to_local___v2 (7.1), scx_bpf_dsq_move_to_local
 *                             (6.13), scx_bpf_consume (6.12)
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "sched_ext_fifo.h"

#define FIFO_DSQ 0			/* the shared queue's id */
#define SLICE_NS (5 * 1000 * 1000ULL)
#define NUMA_NO_NODE (-1)

const volatile __s32 target_pid;

struct fifo_counts counts;

bool scx_bpf_dsq_insert___v2___k619(struct task_struct *p, __u64 dsq_id, __u64 slice,
				    __u64 enq_flags) __ksym __weak;
void scx_bpf_dsq_insert___k613(struct task_struct *p, __u64 dsq_id, __u64 slice,
			       __u64 enq_flags) __ksym __weak;
void scx_bpf_dispatch___k612(struct task_struct *p, __u64 dsq_id, __u64 slice,
			     __u64 enq_flags) __ksym __weak;
bool scx_bpf_dsq_move_to_local___v2___k71(__u64 dsq_id, __u64 enq_flags) __ksym __weak;
bool scx_bpf_dsq_move_to_local___k613(__u64 dsq_id) __ksym __weak;
bool scx_bpf_consume___k612(__u64 dsq_id) __ksym __weak;
__s32 scx_bpf_create_dsq___k612(__u64 dsq_id, __s32 node) __ksym;

enum scx_exit_kind___k612 { SCX_EXIT_NONE___k612 };

struct scx_exit_info___k612 {
	enum scx_exit_kind___k612 kind;
} __attribute__((preserve_access_index));

static __always_inline void fifo_insert(struct task_struct *p, __u64 enq_flags)
{
	if (bpf_ksym_exists(scx_bpf_dsq_insert___v2___k619)) {
		scx_bpf_dsq_insert___v2___k619(p, FIFO_DSQ, SLICE_NS, enq_flags);
		counts.insert_kfunc = FIFO_KFUNC_V2;
	} else if (bpf_ksym_exists(scx_bpf_dsq_insert___k613)) {
		scx_bpf_dsq_insert___k613(p, FIFO_DSQ, SLICE_NS, enq_flags);
		counts.insert_kfunc = FIFO_KFUNC_RENAMED;
	} else {
		scx_bpf_dispatch___k612(p, FIFO_DSQ, SLICE_NS, enq_flags);
		counts.insert_kfunc = FIFO_KFUNC_FIRST;
	}
}

static __always_inline bool fifo_move_to_local(void)
{
	if (bpf_ksym_exists(scx_bpf_dsq_move_to_local___v2___k71)) {
		counts.move_kfunc = FIFO_KFUNC_V2;
		return scx_bpf_dsq_move_to_local___v2___k71(FIFO_DSQ, 0);
	}
	if (bpf_ksym_exists(scx_bpf_dsq_move_to_local___k613)) {
		counts.move_kfunc = FIFO_KFUNC_RENAMED;
		return scx_bpf_dsq_move_to_local___k613(FIFO_DSQ);
	}
	counts.move_kfunc = FIFO_KFUNC_FIRST;
	return scx_bpf_consume___k612(FIFO_DSQ);
}

SEC("struct_ops/fifo_select_cpu")
__s32 BPF_PROG(fifo_select_cpu, struct task_struct *p, __s32 prev_cpu, __u64 wake_flags)
{
	return prev_cpu;
}

SEC("struct_ops/fifo_enqueue")
void BPF_PROG(fifo_enqueue, struct task_struct *p, __u64 enq_flags)
{
	__sync_fetch_and_add(&counts.enqueued, 1);
	if (p->pid == target_pid)
		__sync_fetch_and_add(&counts.target_enqueued, 1);
	fifo_insert(p, enq_flags);
}

SEC("struct_ops/fifo_dispatch")
void BPF_PROG(fifo_dispatch, __s32 cpu, struct task_struct *prev)
{
	__sync_fetch_and_add(&counts.dispatch_calls, 1);
	if (fifo_move_to_local())
		__sync_fetch_and_add(&counts.dispatched, 1);
}

SEC("struct_ops/fifo_running")
void BPF_PROG(fifo_running, struct task_struct *p)
{
	if (p->pid == target_pid)
		__sync_fetch_and_add(&counts.target_running, 1);
}

SEC("struct_ops.s/fifo_init")
__s32 BPF_PROG(fifo_init)
{
	counts.init_calls++;
	return scx_bpf_create_dsq___k612(FIFO_DSQ, NUMA_NO_NODE);
}

SEC("struct_ops/fifo_exit")
void BPF_PROG(fifo_exit, struct scx_exit_info___k612 *ei)
{
	counts.exit_kind = ei->kind;
	counts.exit_calls++;
}

struct sched_ext_ops___k612 {
	__s32 (*select_cpu)(struct task_struct *p, __s32 prev_cpu, __u64 wake_flags);
	void (*enqueue)(struct task_struct *p, __u64 enq_flags);
	void (*dispatch)(__s32 cpu, struct task_struct *prev);
	void (*running)(struct task_struct *p);
	__s32 (*init)(void);
	void (*exit)(struct scx_exit_info___k612 *info);
	__u32 timeout_ms;
	char name[128];
};

SEC(".struct_ops.link")
struct sched_ext_ops___k612 fifo = {
	.select_cpu = (void *)fifo_select_cpu,
	.enqueue = (void *)fifo_enqueue,
	.dispatch = (void *)fifo_dispatch,
	.running = (void *)fifo_running,
	.init = (void *)fifo_init,
	.exit = (void *)fifo_exit,
	/* A task left waiting this long makes the kernel end the scheduler by itself. */
	.timeout_ms = 3000,
	.name = "bpfgauge_fifo",
};

char LICENSE[] SEC("license") = "GPL";
