// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_conds.h"
#include "lib/interrupt.h"

double bench_added_ns(double base_ops_per_s, double ops_per_s)
{
	return 1e9 / ops_per_s - 1e9 / base_ops_per_s;
}

static void broke(struct bench_cond *k, int err, const char *why)
{
	k->broken = err ? err : -EIO;
	if (why != k->why)
		snprintf(k->why, sizeof(k->why), "%s", why);
}

/* One run of one condition; r < 0 is the warm-up. */
static void measure(struct bench_cond *k, const struct workload *w, void *state,
		    const struct workload_opts *o, int r)
{
	struct workload_result res;
	double events = 0;
	int err = 0;

	memset(&res, 0, sizeof(res));
	if (k->attach && (err = k->attach(k->ctx, k->why, sizeof(k->why)))) {
		broke(k, err, k->why);
		return;
	}
	err = w->run(state, o, &res);
	if (err) {
		snprintf(k->why, sizeof(k->why), "workload '%s' failed: %s", w->name,
			 strerror(-err));
		broke(k, err, k->why);
	} else if (res.ops <= 0 || res.ops_per_s <= 0) {
		snprintf(k->why, sizeof(k->why), "workload '%s' did no operations", w->name);
		broke(k, -EIO, k->why);
	} else if (k->count && (err = k->count(k->ctx, &events, k->why, sizeof(k->why)))) {
		broke(k, err, k->why);
	}
	if (k->detach)
		k->detach(k->ctx);
	if (!k->broken && r >= 0) {
		k->ops_per_s[r] = res.ops_per_s;
		k->ops[r] = res.ops;
		k->events[r] = events;
	}
	workload_result_release(&res);
}

int bench_conds_run(struct bench_cond *conds, int n, const struct workload *w, void *state,
		    const struct workload_opts *o, int reps, struct bench_ctx *c,
		    const char *label)
{
	for (int k = 0; k < n; k++) {
		conds[k].ops_per_s = calloc(reps, sizeof(double));
		conds[k].ops = calloc(reps, sizeof(double));
		conds[k].events = calloc(reps, sizeof(double));
		if (!conds[k].ops_per_s || !conds[k].ops || !conds[k].events)
			return -ENOMEM;
	}
	for (int r = -1; r < reps; r++) {
		for (int i = 0; i < n; i++) {
			struct bench_cond *k = &conds[(i + r + 1) % n];

			if (interrupted())
				return -EINTR;
			if (k->broken)
				continue;
			if (c->progress)
				c->progress(c, "%s: %s %d/%d %s", label, r < 0 ? "warm-up" : "rep",
					    r < 0 ? 0 : r + 1, reps, k->name);
			measure(k, w, state, o, r);
		}
		if (conds[0].broken) {
			for (int k = 1; k < n; k++)
				if (!conds[k].broken)
					broke(&conds[k], conds[0].broken, conds[0].why);
			break;
		}
	}
	return 0;
}

void bench_conds_release(struct bench_cond *conds, int n)
{
	for (int k = 0; k < n; k++) {
		free(conds[k].ops_per_s);
		free(conds[k].ops);
		free(conds[k].events);
		conds[k].ops_per_s = conds[k].ops = conds[k].events = NULL;
	}
}
