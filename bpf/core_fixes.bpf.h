/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel fields that moved or were renamed, read through CO-RE with ___flavor structs:
 *   task_state(t)      task_struct::__state (5.14+) or ::state
 *   request_disk(rq)   request::q->disk (5.15+) or request::rq_disk (before 5.19)
 */
#ifndef BPFGAUGE_CORE_FIXES_BPF_H
#define BPFGAUGE_CORE_FIXES_BPF_H

#include <bpf/bpf_core_read.h>

struct task_struct___o {
	volatile long state;
} __attribute__((preserve_access_index));

static __always_inline unsigned int task_state(struct task_struct *t)
{
	if (bpf_core_field_exists(t->__state))
		return BPF_CORE_READ(t, __state);
	return BPF_CORE_READ((struct task_struct___o *)t, state);
}

struct request___o {
	struct gendisk *rq_disk;
} __attribute__((preserve_access_index));

static __always_inline struct gendisk *request_disk(struct request *rq)
{
	struct request___o *old = (void *)rq;

	if (bpf_core_field_exists(old->rq_disk))
		return BPF_CORE_READ(old, rq_disk);
	return BPF_CORE_READ(rq, q, disk);
}

#endif
