// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lib/clock.h"
#include "cost_run.h"
#include "lib/interrupt.h"
#include "lib/stats.h"
#include "tracer_fds.h"

static void progress(struct bench_ctx *c, const char *fmt, ...)
{
	va_list ap;

	(void)c;
	if (!isatty(STDERR_FILENO))
		return;
	va_start(ap, fmt);
	fputs("\r\033[K", stderr);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
}

static struct cost_prog *prog_slot(struct cost_workload *cw, const struct prog_stat *s)
{
	for (int i = 0; i < cw->nr_progs; i++)
		if (!strcmp(cw->progs[i].name, s->name) && !strcmp(cw->progs[i].type, s->type) &&
		    !strcmp(cw->progs[i].hook, s->hook) && !memcmp(cw->progs[i].tag, s->tag, 8))
			return &cw->progs[i];
	if (cw->nr_progs == COST_MAX_PROGS) {
		cw->progs_lost = true;
		return NULL;
	}
	snprintf(cw->progs[cw->nr_progs].name, sizeof(cw->progs[0].name), "%s", s->name);
	snprintf(cw->progs[cw->nr_progs].type, sizeof(cw->progs[0].type), "%s", s->type);
	snprintf(cw->progs[cw->nr_progs].hook, sizeof(cw->progs[0].hook), "%s", s->hook);
	memcpy(cw->progs[cw->nr_progs].tag, s->tag, 8);
	return &cw->progs[cw->nr_progs++];
}

/* One run of workload i; its ops/s into s->extra[i]. */
static int run_one(struct cost *c, int i, struct bench_sample *s, struct workload_result *res,
		   char *why, size_t sz)
{
	struct cost_workload *cw = &c->ws[i];
	int err = cw->w->run(cw->state, &c->o, res);

	if (err && !(err == -EINTR && interrupted()))
		snprintf(why, sz, "workload '%s' failed: %s", cw->w->name, strerror(-err));
	else if (!err && (res->ops <= 0 || res->ops_per_s <= 0)) {
		snprintf(why, sz, "workload '%s' did no operations", cw->w->name);
		err = -EIO;
	}
	if (!err)
		s->extra[i] = res->ops_per_s;
	return err;
}

/* Each workload once: the untraced and the traced condition. */
static int measure_plain(void *ctx, struct bench_sample *s, char *why, size_t sz)
{
	struct cost *c = ctx;

	/* A tracer that broke one condition ends the run: nothing is compared without it. */
	if (c->conds[COST_TRACED].broken || c->conds[COST_ATTRIBUTED].broken) {
		snprintf(why, sz, "stopped: the tracer broke another condition");
		return -ECANCELED;
	}
	for (int i = 0; i < c->nr; i++) {
		struct workload_result res = {};
		int err = c->ws[i].skipped[0] ? 0 : run_one(c, i, s, &res, why, sz);

		workload_result_release(&res);
		if (err)
			return err;
	}
	if (c->t.pid && !tracer_running(&c->t)) {
		snprintf(why, sz, "the tracer exited during the run");
		return -ECHILD;
	}
	s->ops_per_s = 1; /* the runner's own number: unused, must be set */
	return 0;
}

/* Each workload once, with the programs' run-time stats read around it. */
static int measure_attributed(void *ctx, struct bench_sample *s, char *why, size_t sz)
{
	struct cost *c = ctx;

	for (int i = 0; i < c->nr; i++) {
		struct cost_workload *cw = &c->ws[i];
		struct prog_stat before[COST_MAX_PROGS], after;
		unsigned int ids[COST_MAX_PROGS];
		struct workload_result res = {};
		long long cpu0, cpu1;
		int n, err;

		if (cw->skipped[0])
			continue;
		n = tracer_progs(&c->t, ids, COST_MAX_PROGS);
		for (int k = 0; k < n; k++)
			if (prog_stat_read(ids[k], &before[k], false))
				before[k].id = 0;
		cpu0 = tracer_cpu_us(&c->t);
		err = run_one(c, i, s, &res, why, sz);
		cpu1 = tracer_cpu_us(&c->t);
		if (!err && !tracer_running(&c->t)) {
			snprintf(why, sz, "the tracer exited during the run");
			err = -ECHILD;
		}
		for (int k = 0; !err && k < n; k++) {
			struct cost_prog *p;

			if (!before[k].id || prog_stat_read(ids[k], &after, true))
				continue;
			/* A perf event's link says its type only: the event says where. */
			if (!after.hook[0] || !strncmp(after.hook, "perf_event", 10))
				tracer_fds_hook(c->t.cgroup, ids[k], after.hook,
						sizeof(after.hook));
			p = prog_slot(cw, &after);
			if (!p)
				continue;
			p->runs += after.run_cnt - before[k].run_cnt;
			p->run_ns += after.run_time_ns - before[k].run_time_ns;
			c->stats_seen |= after.run_time_ns > 0;
		}
		if (!err) {
			cw->traced_ops += res.ops;
			cw->traced_s += res.seconds;
			if (cpu0 >= 0 && cpu1 >= cpu0) {
				cw->tracer_cpu_us += cpu1 - cpu0;
				cw->cpu_known = true;
			}
		}
		workload_result_release(&res);
		if (err)
			return err;
	}
	s->ops_per_s = 1;
	return 0;
}

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

static void stats_off(struct cost *c)
{
	if (c->stats_fd >= 0)
		close(c->stats_fd);
	c->stats_fd = -1;
}

/* The tracer, with the kernel's run-time stats on until attributed_off(). */
static int attributed_on(void *ctx, char *why, size_t sz)
{
	struct cost *c = ctx;

	c->stats_fd = prog_stats_enable();
	if (c->stats_fd < 0) {
		snprintf(why, sz, "cannot switch on BPF run-time stats (BPF_ENABLE_STATS): %s",
			 strerror(-c->stats_fd));
		return c->stats_fd;
	}
	return tracer_on(c, why, sz);
}

static void attributed_off(void *ctx)
{
	tracer_off(ctx);
	stats_off(ctx);
}

/* Sets up the workloads; one that does not apply here is skipped with why. */
static int setup(struct cost *c, char *err, size_t sz)
{
	int ran = 0;

	for (int i = 0; i < c->nr; i++) {
		struct cost_workload *cw = &c->ws[i];
		int ret;

		cw->w = workload_find(c->names[i]);
		ret = cw->w->setup(&c->o, &cw->state, cw->skipped, sizeof(cw->skipped));
		if (ret == -EOPNOTSUPP)
			continue;
		if (ret) {
			snprintf(err, sz, "set up workload '%s': %s", cw->w->name,
				 cw->skipped[0] ? cw->skipped : strerror(-ret));
			return ret;
		}
		cw->skipped[0] = '\0';
		ran++;
	}
	if (!ran) {
		snprintf(err, sz, "none of the workloads runs here");
		return -EOPNOTSUPP;
	}
	return 0;
}

/* Stats on and off around an attributed run of a tracer that stays up (bracketed). */
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
	stats_off(ctx);
}

/* The conditions in rotation, the tracer started before each traced run and stopped after. */
static int interleaved(struct cost *c, struct bench_ctx *ctx)
{
	struct bench_loop l = { .conds = c->conds, .n = COST_NR_CONDS, .reps = c->reps,
				.label = "cost", .paired = true };
	int ret;

	c->conds[COST_TRACED].attach = tracer_on;
	c->conds[COST_TRACED].detach = tracer_off;
	c->conds[COST_ATTRIBUTED].attach = attributed_on;
	c->conds[COST_ATTRIBUTED].detach = attributed_off;
	ret = bench_loop_run(&l, ctx);
	c->reps_done = l.reps_done;
	return ret;
}

/* The ratio of two medians of n values: b's over a's. */
static double median_ratio(double *a, double *b, int n)
{
	struct stats_summary x, y;

	stats_summarize(a, n, &x);
	stats_summarize(b, n, &y);
	return y.median / x.median;
}

/*
 * Untraced repetitions before and after the tracer (each run paired with the geometric mean
 * of its repetition's two), the tracer started once for every traced and attributed run in
 * between; how far the two untraced sides differ is each workload's drift.
 */
static int bracketed(struct cost *c, struct bench_ctx *ctx, char *err, size_t sz)
{
	struct bench_cond before = c->conds[COST_UNTRACED], after = before;
	struct bench_loop l = { .reps = c->reps, .label = "cost", .paired = true };
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
		c->ws[i].drift_pct = n && !c->ws[i].skipped[0]
					     ? 100 * (median_ratio(b, a, n) - 1) : NAN;
	}
	for (int r = 0; after.samples && r < reps; r++)
		c->conds[COST_UNTRACED].samples[r].ok &= after.samples[r].ok;
	/* A side never measured has no samples: nothing is paired then. */
	c->reps_done = ret || before.broken || after.broken || !after.samples ? 0 : reps;
	free(after.samples);
	return ret;
}

int cost_run(struct cost *c, char **argv, char *err, size_t sz)
{
	struct bench_ctx ctx = { .progress = progress };
	double t0 = clock_now_s();
	int ret;

	c->cmd = (struct tracer_cmd){ .argv = c->object ? NULL : argv, .object = c->object };
	for (int i = 0; i < c->nr; i++)
		c->ws[i].drift_pct = NAN;
	/* Once before anything is measured: a tracer that cannot start says so at once. */
	ret = attributed_on(c, err, sz);
	attributed_off(c);
	if (ret)
		return ret;
	c->ready_s = clock_now_s() - t0;
	c->bracketed = c->bracket || c->ready_s >= COST_BRACKET_READY_S;
	ret = setup(c, err, sz);
	if (ret)
		return ret;
	c->conds[COST_UNTRACED] =
		(struct bench_cond){ .name = "untraced", .measure = measure_plain, .ctx = c };
	c->conds[COST_TRACED] =
		(struct bench_cond){ .name = "traced", .measure = measure_plain, .ctx = c };
	c->conds[COST_ATTRIBUTED] =
		(struct bench_cond){ .name = "attributed", .measure = measure_attributed, .ctx = c };
	ret = c->bracketed ? bracketed(c, &ctx, err, sz) : interleaved(c, &ctx);
	if (isatty(STDERR_FILENO))
		fputs("\r\033[K", stderr);
	if (ret)
		return ret;
	/* The tracer's conditions first: the untraced one breaks when they do. */
	for (int k = COST_NR_CONDS - 1; k >= 0; k--)
		if (c->conds[k].broken) {
			snprintf(err, sz, "%s", c->conds[k].why);
			return c->conds[k].broken;
		}
	return 0;
}

void cost_release(struct cost *c)
{
	tracer_stop(&c->t);
	for (int i = 0; i < c->nr; i++)
		if (c->ws[i].w && !c->ws[i].skipped[0])
			c->ws[i].w->teardown(c->ws[i].state);
	bench_conds_release(c->conds, COST_NR_CONDS);
	stats_off(c);
}
