/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Conditions measured in turn around one workload, the method of benchmark.h: a warm-up
 * repetition, discarded, then reps repetitions, each running every condition once for
 * opts->seconds in an order that rotates per repetition (0 1 2, 1 2 0, 2 0 1, ...).
 *
 * A condition attaches before its run and detaches after it; count() reads, between the run
 * and the detach, how many events it recorded. Condition 0 is the untraced run (no
 * callbacks). A condition whose attach, run or count fails is broken: it keeps why, and is
 * left out of the remaining repetitions; a broken untraced run breaks them all.
 *
 *   bench_conds_run(conds, n, w, state, opts, reps, c, label)
 *       0, -EINTR when interrupted(), -ENOMEM. Fills each condition's per-repetition
 *       arrays; progress through c->progress as "LABEL: rep 2/7 NAME".
 *   bench_conds_release(conds, n)      frees those arrays
 *   bench_added_ns(base, traced)       added ns per operation: 1e9/traced - 1e9/base (ops/s)
 */
#ifndef BPFGAUGE_BENCH_CONDS_H
#define BPFGAUGE_BENCH_CONDS_H

#include <stddef.h>

#include "benchmark.h"
#include "workloads/workload.h"

struct bench_cond {
	const char *name;
	int (*attach)(void *ctx, char *why, size_t sz);		/* NULL: nothing */
	int (*count)(void *ctx, double *events, char *why, size_t sz);	/* NULL: counts none */
	void (*detach)(void *ctx);				/* NULL: nothing */
	void *ctx;
	/* Per measured repetition, reps entries (0 where broken or never counted). */
	double *ops_per_s, *ops, *events;
	int broken;		/* 0, or the -errno that broke it */
	char why[256];
};

int bench_conds_run(struct bench_cond *conds, int n, const struct workload *w, void *state,
		    const struct workload_opts *o, int reps, struct bench_ctx *c,
		    const char *label);
void bench_conds_release(struct bench_cond *conds, int n);
double bench_added_ns(double base_ops_per_s, double ops_per_s);

#endif
