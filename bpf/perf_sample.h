/* SPDX-License-Identifier: GPL-2.0 */
/* Shared with user space: the samples perf_sample.bpf.c keeps. */
#ifndef BPFGAUGE_PERF_SAMPLE_H
#define BPFGAUGE_PERF_SAMPLE_H

#define MAX_STACK_DEPTH 127	/* the default of kernel.perf_event_max_stack */
#define MAX_STACKS 1024		/* distinct stacks the stack trace map holds */
#define MAX_SAMPLES 256		/* samples whose stack ids are kept */

struct stack_sample {
	__s32 user_stack_id;	/* stack trace map key, or -errno from bpf_get_stackid */
	__s32 kern_stack_id;	/* -EFAULT when the sample hit user mode: no kernel frames */
	__u32 tid;
	__u32 pad;
};

#endif
