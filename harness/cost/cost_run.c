// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cost_method.h"
#include "cost_run.h"
#include "lib/interrupt.h"
#include "lib/mounts.h"
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
	/* The runner discards the warm-up's sample; its counts are left out here. */
	bool warmup = c->attributed_runs++ == 0;

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
		for (int k = 0; !err && !warmup && k < n; k++) {
			struct cost_prog *p;

			if (!before[k].id || prog_stat_read(ids[k], &after, true))
				continue;
			/* A perf event's link says its type only: the event says where. */
			if ((!after.hook[0] || !strncmp(after.hook, "perf_event", 10)) &&
			    tracer_fds_hook(c->t.cgroup, ids[k], after.hook, sizeof(after.hook)) &&
			    !after.hook[0])
				snprintf(after.hook, sizeof(after.hook),
					 "(no link or named perf event)");
			p = prog_slot(cw, &after);
			if (!p)
				continue;
			p->runs += after.run_cnt - before[k].run_cnt;
			p->run_ns += after.run_time_ns - before[k].run_time_ns;
			c->stats_seen |= after.run_time_ns > 0;
		}
		if (!err && !warmup) {
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

int cost_run(struct cost *c, char **argv, char *err, size_t sz)
{
	struct bench_ctx ctx = {.progress = c->progress ? c->progress : progress,
				.priv = c->progress_priv};
	int ret;

	c->cmd = (struct tracer_cmd){.argv = c->object ? NULL : argv, .object = c->object};
	/*
	 * Tracers take tracefs (tracepoints by name: bpftrace, BCC) and bpffs (pinning) for
	 * granted, as a systemd machine mounts them; mounted here when missing, saying so. One
	 * that cannot be mounted is the tracer's to report.
	 */
	pseudo_fs_ensure(FS_TRACEFS, NULL, NULL);
	pseudo_fs_ensure(FS_BPFFS, NULL, NULL);
	for (int i = 0; i < c->nr; i++)
		c->ws[i].drift_pct = NAN;
	/* Once before anything is measured: a tracer that cannot start says so at once. */
	ret = cost_first_start(c, err, sz);
	if (ret)
		return ret;
	c->bracketed = c->bracket || c->ready_s >= COST_BRACKET_READY_S;
	ret = setup(c, err, sz);
	if (ret)
		return ret;
	c->conds[COST_UNTRACED] =
		(struct bench_cond){.name = "untraced", .measure = measure_plain, .ctx = c};
	c->conds[COST_TRACED] =
		(struct bench_cond){.name = "traced", .measure = measure_plain, .ctx = c};
	c->conds[COST_ATTRIBUTED] =
		(struct bench_cond){.name = "attributed", .measure = measure_attributed, .ctx = c};
	ret = c->bracketed ? cost_bracketed(c, &ctx, err, sz) : cost_interleaved(c, &ctx);
	if (!c->progress && isatty(STDERR_FILENO))
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
	cost_stats_off(c);
}
