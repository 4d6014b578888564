/* SPDX-License-Identifier: GPL-2.0 */
/* What the sched_ext FIFO scheduler (sched_ext_fifo.bpf.c) counts, read by the sched_ext check. */
#ifndef BPFGAUGE_SCHED_EXT_FIFO_H
#define BPFGAUGE_SCHED_EXT_FIFO_H

/* Which of a kfunc's names the kernel had (the scheduler's header lists them). */
enum fifo_kfunc {
	FIFO_KFUNC_NONE,	/* not called yet */
	FIFO_KFUNC_FIRST,	/* 6.12's: scx_bpf_dispatch, scx_bpf_consume */
	FIFO_KFUNC_RENAMED,	/* 6.13's: scx_bpf_dsq_insert, scx_bpf_dsq_move_to_local */
	FIFO_KFUNC_V2,		/* ___v2: insert 6.19, move_to_local 7.1 */
};

struct fifo_counts {
	__u64 enqueued;		/* every task's enqueues */
	__u64 target_enqueued;	/* target_pid's */
	__u64 target_running;	/* times target_pid started running */
	__u64 dispatch_calls;
	__u64 dispatched;	/* tasks dispatch moved from the queue to its CPU */
	__u32 init_calls;
	__u32 exit_calls;
	__s32 exit_kind;	/* enum scx_exit_kind: 64 and up unregistered, 1024 and up error */
	__u32 insert_kfunc;	/* enum fifo_kfunc */
	__u32 move_kfunc;
};

#endif
