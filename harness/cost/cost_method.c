// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cost_method.h"
#include "lib/clock.h"
#include "lib/stats.h"

static int tracer_on(void *ctx, char *why, size_t sz)
{
	struct cost *c = ctx;
	int err = tracer_start(&c->t, &c->cmd, why, sz);

	if (!err)
		err = tracer_wait_ready(&c->t, c->ready_after, c->ready_timeout, why, sz);
	return err;
}

static void tracer_off(void *ctx)
{
	struct cost *c = ctx;

	tracer_stop(&c->t);
}

void cost_stats_off(struct cost *c)
{
	if (c->stats_fd >= 0)
		close(c->stats_fd);
	c->stats_fd = -1;
}

/* The kernel's run-time stats on until stats_off_hook(). */
static int stats_on(void *ctx, char *why, size_t sz)
{
	struct cost *c = ctx;

	c->stats_fd = prog_stats_enable();
	if (c->stats_fd >= 0)
		return 0;
	snprintf(why, sz, "cannot switch on BPF run-time stats (BPF_ENABLE_STATS): %s",
		 strerror(-c->stats_fd));
	return c->stats_fd;
}

static void stats_off_hook(void *ctx)
{
	cost_stats_off(ctx);
}

/* The tracer, with the kernel's run-time stats on until attributed_off(). */
static int attributed_on(void *ctx, char *why, size_t sz)
{
	int err = stats_on(ctx, why, sz);

	return err ? err : tracer_on(ctx, why, sz);
}

static void attributed_off(void *ctx)
{
	tracer_off(ctx);
	cost_stats_off(ctx);
}

int cost_first_start(struct cost *c, char *err, size_t sz)
{
	int ret = stats_on(c, err, sz);
	double t0 = clock_now_s();

	if (!ret) {
		ret = tracer_on(c, err, sz);
		c->ready_s = clock_now_s() - t0; /* not how long it takes to stop */
	}
	attributed_off(c);
	return ret;
}

/* The conditions in rotation, the tracer started before each traced run and stopped after. */
int cost_interleaved(struct cost *c, struct bench_ctx *ctx)
{
	struct bench_loop l = {.conds = c->conds,
			       .n = COST_NR_CONDS,
			       .reps = c->reps,
			       .label = "cost",
			       .paired = true};
	int ret;

	c->conds[COST_TRACED].attach = tracer_on;
	c->conds[COST_TRACED].detach = tracer_off;
	c->conds[COST_ATTRIBUTED].attach = attributed_on;
	c->conds[COST_ATTRIBUTED].detach = attributed_off;
	c->attributed_runs = 0;
	ret = bench_loop_run(&l, ctx);
	c->reps_done = l.reps_done;
	return ret;
}

/*
 * Untraced repetitions before and after the tracer (each run paired with the geometric mean
 * of its repetition's two), the tracer started once for every traced and attributed run in
 * between; how far the two untraced sides differ is each workload's drift.
 */
int cost_bracketed(struct cost *c, struct bench_ctx *ctx, char *err, size_t sz)
{
	struct bench_cond before = c->conds[COST_UNTRACED], after = before;
	struct bench_loop l = {.reps = c->reps, .label = "cost", .paired = true};
	int ret, reps = c->reps;

	before.name = "untraced before";
	after.name = "untraced after";
	l.conds = &before;
	l.n = 1;
	ret = bench_loop_run(&l, ctx);
	reps = l.reps_done;
	if (!ret && !before.broken) {
		ret = tracer_on(c, err, sz);
		if (!ret) {
			c->conds[COST_ATTRIBUTED].attach = stats_on;
			c->conds[COST_ATTRIBUTED].detach = stats_off_hook;
			l.conds = &c->conds[COST_TRACED];
			l.n = 2;
			l.paired = false;
			c->attributed_runs = 0;
			ret = bench_loop_run(&l, ctx);
			reps = reps < l.reps_done ? reps : l.reps_done;
		}
		tracer_off(c);
	}
	if (!ret && !before.broken && !c->conds[COST_TRACED].broken &&
	    !c->conds[COST_ATTRIBUTED].broken) {
		l.conds = &after;
		l.n = 1;
		l.paired = true;
		ret = bench_loop_run(&l, ctx);
		reps = reps < l.reps_done ? reps : l.reps_done;
	}
	/* Untraced: the geometric mean of before and after, repetition by repetition. */
	c->conds[COST_UNTRACED] = before;
	c->conds[COST_UNTRACED].broken = before.broken ? before.broken : after.broken;
	if (after.broken)
		snprintf(c->conds[COST_UNTRACED].why, sizeof(before.why), "%s", after.why);
	for (int i = 0; i < c->nr; i++) {
		double b[COST_MAX_REPS], a[COST_MAX_REPS];
		int n = 0;

		for (int r = 0; after.samples && r < reps; r++) {
			struct bench_sample *u = &c->conds[COST_UNTRACED].samples[r];

			if (!u->ok || !after.samples[r].ok)
				continue;
			b[n] = u->extra[i];
			a[n++] = after.samples[r].extra[i];
			u->extra[i] = sqrt(b[n - 1] * a[n - 1]);
		}
		c->ws[i].drift_pct =
			n && !c->ws[i].skipped[0]
				? 100 * (stats_quantile(a, n, 0.5) / stats_quantile(b, n, 0.5) - 1)
				: NAN;
	}
	for (int r = 0; after.samples && r < reps; r++)
		c->conds[COST_UNTRACED].samples[r].ok &= after.samples[r].ok;
	/* A side never measured has no samples: nothing is paired then. */
	c->reps_done = ret || before.broken || after.broken || !after.samples ? 0 : reps;
	free(after.samples);
	return ret;
}
