/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Timing one attach type on its workload, for attach-overhead (attach_overhead.c says what
 * and why): the events each operation fires, counted by calibration, and one repetition as
 * untraced and attached slices in turn (U A U A ... U), each timed in chunks (chunks.h).
 *
 *   timed_type_prepare(t, said, sz, why, sz)   counts events per operation in untimed runs
 *                   of N and 2N operations (what was counted goes to 'said', for progress),
 *                   then loads the timed program
 *   timed_type_run(t, seconds, &ns, &pct, untraced, why, sz)   one repetition over 'seconds':
 *                   the median over the slices of the ns added per event and of the slowdown
 *                   in % of an untraced operation, and the untraced slices' ns per operation
 *   timed_type_release(t)
 * Each returns 0 or -errno with one line in why; t->workload_broke says whether it was the
 * workload itself that failed (its other types cannot run either).
 */
#ifndef BPFGAUGE_ATTACH_TIMING_H
#define BPFGAUGE_ATTACH_TIMING_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "bench/chunks.h"
#include "workloads/workload.h"

#define TIMED_SLICES 4

struct attach_type;
struct hook_prog;

/* A workload that attach types are timed on. */
struct timed_workload {
	const struct workload *w;
	void *state;
	pid_t tgid;			/* the process that fires the hooks */
	struct workload_opts o;		/* of every run (its seconds unused) */
	struct chunks untraced;
};

struct timed_type {
	const struct attach_type *t;
	struct timed_workload *wl;
	struct hook_prog *timed;
	struct chunks attached;
	double events_per_op;
	bool workload_broke;
};

int timed_type_prepare(struct timed_type *t, char *said, size_t said_sz, char *why, size_t sz);
int timed_type_run(struct timed_type *t, double seconds, double *ns_per_event,
		   double *slowdown_pct, double untraced[TIMED_SLICES + 1], char *why, size_t sz);
void timed_type_release(struct timed_type *t);

#endif
