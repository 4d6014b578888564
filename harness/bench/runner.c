// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/interrupt.h"
#include "runner.h"

double bench_added_ns(double base_ops_per_s, double ops_per_s)
{
	return 1e9 / ops_per_s - 1e9 / base_ops_per_s;
}

double bench_paired_added_ns(const struct bench_cond *conds, int k, int r)
{
	const struct bench_sample *base = &conds[0].samples[r], *s = &conds[k].samples[r];

	return base->ok && s->ok ? bench_added_ns(base->ops_per_s, s->ops_per_s) : NAN;
}

void bench_cond_break(struct bench_cond *k, int err, const char *fmt, ...)
{
	char why[sizeof(k->why)];
	va_list ap;

	k->broken = err ? err : -EIO;
	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);	/* fmt's arguments may be k->why itself */
	va_end(ap);
	memcpy(k->why, why, sizeof(why));
}

/* The default measure: one run of the condition's workload, then what it counted. */
static int run_workload(struct bench_cond *k, const struct bench_loop *l,
			struct bench_sample *s)
{
	const struct workload *w = k->w ? k->w : l->w;
	struct workload_result res = {};
	int err = w->run(k->w ? k->state : l->state, &l->o, &res);

	if (err) {
		if (err != -EINTR || !interrupted())
			snprintf(k->why, sizeof(k->why), "workload '%s' failed: %s", w->name,
				 strerror(-err));
	} else if (res.ops <= 0 || res.ops_per_s <= 0) {
		snprintf(k->why, sizeof(k->why), "workload '%s' did no operations", w->name);
		err = -EIO;
	} else if (k->count) {
		err = k->count(k->ctx, &s->events, k->why, sizeof(k->why));
	}
	s->ops = res.ops;
	s->ops_per_s = res.ops_per_s;
	workload_result_release(&res);
	return err;
}

/*
 * One run of one condition; r < 0 is the warm-up. 0, -EINTR, or the condition broke. Its
 * detach runs after a failed attach too: an attach may fail half-way.
 */
static int measure(struct bench_cond *k, const struct bench_loop *l, int r)
{
	struct bench_sample s = {};
	int err = 0;

	if (k->attach)
		err = k->attach(k->ctx, k->why, sizeof(k->why));
	if (!err)
		err = k->measure ? k->measure(k->ctx, &s, k->why, sizeof(k->why)) :
				   run_workload(k, l, &s);
	if (k->detach)
		k->detach(k->ctx);
	if (err == -EINTR && interrupted())
		return err;
	if (err)
		k->broken = err;	/* the hook said why */
	else if (r >= 0) {
		s.ok = true;
		k->samples[r] = s;
	}
	return 0;
}

int bench_loop_run(struct bench_loop *l, struct bench_ctx *c)
{
	struct bench_cond *conds = l->conds;
	int n = l->n;

	l->reps_done = 0;
	for (int k = 0; k < n; k++) {
		conds[k].samples = calloc(l->reps > 0 ? l->reps : 1, sizeof(struct bench_sample));
		if (!conds[k].samples)
			return -ENOMEM;
	}
	for (int r = -1; r < l->reps; r++) {
		for (int i = 0; i < n; i++) {
			struct bench_cond *k = &conds[(i + r + 1) % n];

			if (interrupted())
				return -EINTR;
			if (k->broken)
				continue;
			if (c->progress)
				c->progress(c, "%s: %s %d/%d %s", l->label, r < 0 ? "warm-up" : "rep",
					    r < 0 ? 0 : r + 1, l->reps, k->name);
			if (measure(k, l, r))
				return -EINTR;
		}
		if (l->paired && conds[0].broken) {
			for (int k = 1; k < n; k++)
				if (!conds[k].broken)
					bench_cond_break(&conds[k], conds[0].broken, "%s",
							 conds[0].why);
			break;
		}
		if (r >= 0) {
			l->reps_done = r + 1;
			if (c->each_rep)
				c->each_rep(c);
		}
	}
	return 0;
}

void bench_loop_release(struct bench_loop *l)
{
	bench_conds_release(l->conds, l->n);
}

int bench_conds_run(struct bench_cond *conds, int n, const struct workload *w, void *state,
		    const struct workload_opts *o, int reps, struct bench_ctx *c,
		    const char *label, int *reps_done)
{
	struct bench_loop l = { .conds = conds, .n = n, .reps = reps, .label = label,
				.paired = true, .w = w, .state = state, .o = *o };
	int err = bench_loop_run(&l, c);

	if (reps_done)
		*reps_done = l.reps_done;
	return err;
}

void bench_conds_release(struct bench_cond *conds, int n)
{
	for (int k = 0; k < n; k++) {
		free(conds[k].samples);
		conds[k].samples = NULL;
	}
}
