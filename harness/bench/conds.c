// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <string.h>

#include "conds.h"

static int floor_cond_attach(void *ctx, char *why, size_t sz)
{
	struct floor_cond *fc = ctx;

	return floor_attach(&fc->f, fc->rep, &fc->opts, why, sz);
}

static void floor_cond_detach(void *ctx)
{
	struct floor_cond *fc = ctx;

	floor_detach(&fc->f);
}

struct bench_cond floor_cond(const char *name, struct floor_cond *fc)
{
	return (struct bench_cond){ .name = name, .attach = floor_cond_attach,
				    .detach = floor_cond_detach, .ctx = fc };
}

static int tool_cond_attach(void *ctx, char *why, size_t sz)
{
	struct tool_cond *tc = ctx;

	return tc->tool->start(&tc->opts, &tc->state, why, sz);
}

static int tool_cond_count(void *ctx, double *events, char *why, size_t sz)
{
	struct tool_cond *tc = ctx;
	struct tool_report rep = {};
	int err = tc->tool->read(tc->state, &rep);

	*events = 0;
	if (err)
		snprintf(why, sz, "read %s's histograms: %s", tc->tool->name, strerror(-err));
	for (size_t i = 0; !err && i < rep.nr_hists; i++)
		*events += rep.hists[i].h.count;
	tool_report_release(&rep);
	return err;
}

static void tool_cond_detach(void *ctx)
{
	struct tool_cond *tc = ctx;

	tc->tool->stop(tc->state);
	tc->state = NULL;
}

struct bench_cond tool_cond(const char *name, struct tool_cond *tc)
{
	return (struct bench_cond){ .name = name, .attach = tool_cond_attach,
				    .count = tool_cond_count, .detach = tool_cond_detach,
				    .ctx = tc };
}

int tool_cond_report(struct tool_cond *tc, struct tool_report *rep, char *why, size_t sz)
{
	int err = tool_cond_attach(tc, why, sz);

	if (!err) {
		err = tc->tool->read(tc->state, rep);
		if (err)
			snprintf(why, sz, "read %s's report: %s", tc->tool->name, strerror(-err));
	}
	tool_cond_detach(tc);
	return err;
}

static int bpftrace_cond_attach(void *ctx, char *why, size_t sz)
{
	struct bpftrace_cond *bc = ctx;

	return bpftrace_start(&bc->bt, bc->prog, why, sz);
}

static void bpftrace_cond_detach(void *ctx)
{
	struct bpftrace_cond *bc = ctx;

	bpftrace_stop(&bc->bt);
}

struct bench_cond bpftrace_cond(const char *name, struct bpftrace_cond *bc)
{
	return (struct bench_cond){ .name = name, .attach = bpftrace_cond_attach,
				    .detach = bpftrace_cond_detach, .ctx = bc };
}
