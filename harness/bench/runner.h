/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The benchmark runner: the one loop every benchmark runs its conditions in (benchmark.h
 * gives the method). A benchmark supplies conditions, each with hooks; the runner owns the
 * rest: a warm-up repetition, discarded, then reps repetitions, each running every condition
 * once in an order that rotates per repetition (0 1 2, 1 2 0, 2 0 1, ...) so that drift on a
 * shared machine falls on all of them alike; progress; interruption; broken conditions; the
 * samples of each repetition, for pairing with the same repetition's untraced run.
 *
 * A condition's run: attach(), then measure() (by default: one run of the workload, then
 * count() reads how many events the condition recorded), then detach(), also after a failed
 * attach (which may have failed half-way). Any hook may be NULL. A hook that fails breaks its
 * condition: it keeps why and is left out of the remaining repetitions; a hook that returns
 * -EINTR because the run was interrupted() breaks nothing and ends the loop. With 'paired', condition 0 is the untraced run the others are
 * paired with: when it breaks, they all do.
 *
 *   bench_loop_run(&loop, c)      0, -EINTR when interrupted(), -ENOMEM. Fills each
 *                                 condition's samples (loop.reps_done of them are
 *                                 complete); progress through c->progress as
 *                                 "LABEL: rep 2/7 NAME" ("LABEL: warm-up 0/7 NAME");
 *                                 c->each_rep(c) after each measured repetition.
 *   bench_loop_release(&loop)     frees the samples
 *   bench_conds_run(conds, n, w, state, o, reps, c, label, &reps_done)   the common case:
 *                                 conditions paired on one workload
 *   bench_conds_release(conds, n)
 *   bench_cond_break(k, err, fmt, ...)   breaks a condition from outside its hooks (a
 *                                 benchmark whose conditions share a workload that broke)
 *   bench_added_ns(base, traced)  added ns per operation: 1e9/traced - 1e9/base (ops/s)
 *   bench_paired_added_ns(conds, k, r)   the same for condition k against condition 0 in
 *                                 repetition r; NAN when either was not measured then
 */
#ifndef BPFGAUGE_RUNNER_H
#define BPFGAUGE_RUNNER_H

#include <stdbool.h>
#include <stddef.h>

#include "benchmark.h"
#include "workloads/workload.h"

#define BENCH_EXTRA 8

/* What one run of a condition gave. */
struct bench_sample {
	bool ok;		/* measured (set by the runner) */
	double ops_per_s;	/* the workload's throughput */
	double ops;		/* its operations */
	double events;		/* what the condition recorded (count()) */
	double extra[BENCH_EXTRA];	/* a benchmark's own numbers, from its measure() */
};

struct bench_cond {
	const char *name;
	int (*attach)(void *ctx, char *why, size_t sz);
	/* One run; fills s (zeroed before). NULL: the condition's workload runs once. */
	int (*measure)(void *ctx, struct bench_sample *s, char *why, size_t sz);
	int (*count)(void *ctx, double *events, char *why, size_t sz);
	void (*detach)(void *ctx);
	void *ctx;
	/* The workload the default measure runs; NULL: the loop's. */
	const struct workload *w;
	void *state;
	/* Per measured repetition (zeroed where broken or never measured). */
	struct bench_sample *samples;
	int broken;		/* 0, or the -errno that broke it */
	char why[256];
};

struct bench_loop {
	struct bench_cond *conds;
	int n;
	int reps;
	const char *label;	/* of the progress lines */
	bool paired;		/* conds[0] is the untraced run the others pair with */
	/* The workload of conditions without their own, and the options of every run. */
	const struct workload *w;
	void *state;
	struct workload_opts o;
	int reps_done;		/* out: complete measured repetitions */
};

int bench_loop_run(struct bench_loop *l, struct bench_ctx *c);
void bench_loop_release(struct bench_loop *l);
int bench_conds_run(struct bench_cond *conds, int n, const struct workload *w, void *state,
		    const struct workload_opts *o, int reps, struct bench_ctx *c,
		    const char *label, int *reps_done);
void bench_conds_release(struct bench_cond *conds, int n);
__attribute__((format(printf, 3, 4)))
void bench_cond_break(struct bench_cond *k, int err, const char *fmt, ...);
double bench_added_ns(double base_ops_per_s, double ops_per_s);
double bench_paired_added_ns(const struct bench_cond *conds, int k, int r);

#endif
