// SPDX-License-Identifier: GPL-2.0
/*
 * syscall-tools: what syscall-latency costs per syscall here, next to nothing attached, empty
 * programs on the same hooks (the floor, attach/floor.h), the same reading the clock once on
 * each hook (floor+clock: the least any latency tool must do) and bpftrace's hist() one-liner
 * doing the same job (bpftrace.h), on the 'syscall' workload (a getppid loop).
 *
 * Conditions (runner.h: warm-up discarded, order rotating per repetition, paired with the
 * same repetition's untraced run): none, and the variants floor, floor+clock,
 * syscall-latency and bpftrace. The floors sit on the hooks of the method syscall-latency
 * takes here (the benchmark's note says which). Metrics, per repetition:
 *   CONDITION/ns_per_call   1e9 / the condition's calls per second
 *   CONDITION/added_ns      the same minus the untraced run's (not for none)
 *   syscall/untraced_ops_per_s   the untraced run's calls per second
 * 'bpfgauge bench tools' prints them side by side, with ratios to the floors.
 * bpftrace not in PATH: its metrics 'skipped', "bpftrace is not installed".
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "bench/benchmark.h"
#include "bench/conds.h"
#include "bench/runner.h"
#include "syscall_tools.h"
#include "workloads/workload.h"

#define BENCH "syscall-tools"

const char *const syscall_tools_conds[ST_NR_CONDS] = { "none", "floor", "floor+clock",
							 "syscall-latency", "bpftrace" };
static const char *const variant_names[] = { "floor", "floor+clock", "syscall-latency",
					     "bpftrace", NULL };

struct st {
	struct tool_cond tool;
	struct tool_report rep;		/* syscall-latency's, from a first start: its hooks */
	struct floor_cond floor, clock;
	struct bpftrace_cond bt;
	struct metric *per_call[ST_NR_CONDS], *added[ST_NR_CONDS], *untraced;
	bool wanted[ST_NR_CONDS];
};

static int plan(struct st *x, const struct bench_params *p, struct bench_ctx *c)
{
	char name[128];

	x->untraced = metric_get(c->metrics, BENCH "/syscall/untraced_ops_per_s", "ops/s",
				 BETTER_HIGHER);
	if (!x->untraced)
		return -ENOMEM;
	for (int k = 0; k < ST_NR_CONDS; k++) {
		x->wanted[k] = k == ST_NONE || bench_wants(p, syscall_tools_conds[k]);
		if (!x->wanted[k])
			continue;
		snprintf(name, sizeof(name), BENCH "/%s/ns_per_call", syscall_tools_conds[k]);
		x->per_call[k] = metric_get(c->metrics, name, "ns", BETTER_LOWER);
		if (!x->per_call[k])
			return -ENOMEM;
		if (k == ST_NONE)
			continue;
		snprintf(name, sizeof(name), BENCH "/%s/added_ns", syscall_tools_conds[k]);
		x->added[k] = metric_get(c->metrics, name, "ns", BETTER_LOWER);
		if (!x->added[k])
			return -ENOMEM;
	}
	return 0;
}

static void unavailable(struct st *x, int k, const char *status, const char *why)
{
	metric_unavailable(x->per_call[k], status, why);
	x->per_call[k]->n = 0;
	if (k == ST_NONE) {
		metric_unavailable(x->untraced, status, why);
		x->untraced->n = 0;
	}
	if (x->added[k]) {
		metric_unavailable(x->added[k], status, why);
		x->added[k]->n = 0;
	}
}

/* Each condition's samples; a broken one says why (a broken untraced run breaks all). */
static int record(struct st *x, const struct bench_loop *l, const int *which)
{
	int err = 0;

	for (int i = 0; i < l->n; i++) {
		const struct bench_cond *k = &l->conds[i];
		int c = which[i];

		if (k->broken) {
			unavailable(x, c, "error", k->why);
			continue;
		}
		for (int r = 0; r < l->reps_done && !err; r++) {
			err = metric_add(x->per_call[c], 1e9 / k->samples[r].ops_per_s);
			if (!err && c == ST_NONE)
				err = metric_add(x->untraced, k->samples[r].ops_per_s);
			else if (!err)
				err = metric_add(x->added[c], bench_paired_added_ns(l->conds, i, r));
		}
	}
	return err;
}

static int st_run(const struct bench_params *p, struct bench_ctx *c)
{
	struct st x = { .tool = { .tool = tool_find("syscall-latency") } };
	struct bench_cond conds[ST_NR_CONDS] = {};
	struct bench_loop l = { .conds = conds, .reps = p->reps, .label = BENCH, .paired = true,
				.w = workload_find("syscall"), .o = bench_workload_opts(p) };
	int which[ST_NR_CONDS], err;
	char why[256];

	if (!l.w || !x.tool.tool || p->reps < 1 || (p->seconds <= 0 && p->ops <= 0))
		return -EINVAL;
	err = plan(&x, p, c);
	if (err)
		return err;
	/* Which method the tool takes here decides the floors' hooks. */
	err = tool_cond_report(&x.tool, &x.rep, why, sizeof(why));
	if (err) {
		char text[sizeof(why) + 32];

		snprintf(text, sizeof(text), "syscall-latency: %s", why);
		for (int k = 0; k < ST_NR_CONDS; k++)
			if (x.wanted[k])
				unavailable(&x, k, tool_start_status(err), text);
		tool_report_release(&x.rep);
		return 0;
	}
	snprintf(c->note, sizeof(c->note), "%s", x.rep.method);
	x.floor = (struct floor_cond){ .rep = &x.rep };
	x.clock = (struct floor_cond){ .rep = &x.rep, .opts = { .clock = true } };
	x.bt.prog = BPFTRACE_SYSCALL_HIST;
	if (x.wanted[ST_BPFTRACE] && !bpftrace_installed()) {
		unavailable(&x, ST_BPFTRACE, "skipped", "bpftrace is not installed");
		x.wanted[ST_BPFTRACE] = false;
	}
	conds[0] = (struct bench_cond){ .name = syscall_tools_conds[ST_NONE] };
	which[l.n++] = ST_NONE;
	for (int k = ST_FLOOR; k < ST_NR_CONDS; k++) {
		if (!x.wanted[k])
			continue;
		conds[l.n] = k == ST_FLOOR ? floor_cond(syscall_tools_conds[k], &x.floor) :
			     k == ST_CLOCK ? floor_cond(syscall_tools_conds[k], &x.clock) :
			     k == ST_TOOL ? tool_cond(syscall_tools_conds[k], &x.tool) :
			     bpftrace_cond(syscall_tools_conds[k], &x.bt);
		which[l.n++] = k;
	}
	err = l.w->setup(&l.o, &l.state, why, sizeof(why));
	if (err) {
		for (int k = 0; k < ST_NR_CONDS; k++)
			if (x.wanted[k])
				unavailable(&x, k, "error", why);
		tool_report_release(&x.rep);
		return 0;
	}
	err = bench_loop_run(&l, c);
	if (err != -ENOMEM) {
		int rec = record(&x, &l, which);

		err = rec ? rec : err;
	}
	bench_loop_release(&l);
	l.w->teardown(l.state);
	tool_report_release(&x.rep);
	return err;
}

DEFINE_BENCHMARK(syscall_tools, BENCH,
		 "ns per syscall: syscall-latency next to nothing, empty programs on its hooks "
		 "(the floor), the same reading the clock, and bpftrace's hist() one-liner",
		 variant_names, st_run);
