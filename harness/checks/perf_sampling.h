/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The sampling session perf_event and stack_trace share: a software cpu-clock perf event at
 * SAMPLE_FREQ Hz on this thread, perf_sample.bpf.c attached to it through an fd-owned link,
 * and a workload that spins in perf_spin() for WORK_CPU_NS of CPU time.
 *
 *   sampling_run(res, &s, stacks)   load, attach, run the workload armed; with stacks, the
 *                                   program keeps stack ids and the workload also reads
 *                                   /dev/zero so that samples land in the kernel too, as
 *                                   much CPU time as it spins, and goes on until
 *                                   STACK_SAMPLES samples arrived (WORK_WALL_NS permitting).
 *                                   0, or the verdict is set in res and it returns -errno
 *   sampling_release(&s)            detach and unload (also after a failed run)
 */
#ifndef BPFGAUGE_CHECKS_PERF_SAMPLING_H
#define BPFGAUGE_CHECKS_PERF_SAMPLING_H

#include <stdbool.h>
#include <linux/types.h>

#include "check.h"
#include "perf_sample.h"	/* before the skeleton: it names struct stack_sample */
#include "perf_sample.skel.h"

#define SAMPLE_FREQ 997
/* The workload's function that user stacks start in (its name in the symbol table). */
#define SAMPLING_SPIN_FN "perf_spin"

struct sampling {
	struct perf_sample_bpf *skel;	/* its bss holds the counts and stack ids */
	struct bpf_link *link;
	long long cpu_ns;		/* this thread's CPU time while armed */
	long long expected;		/* samples: cpu_ns times the frequency */
	long long spin_ns, read_ns;	/* of cpu_ns: in perf_spin() rounds, in read() rounds */
	int spins, reads;		/* rounds of each */
};

int sampling_run(struct check_result *res, struct sampling *s, bool stacks);
void sampling_release(struct sampling *s);

#endif
