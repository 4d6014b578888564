// SPDX-License-Identifier: GPL-2.0
/*
 * The benchmark runner with conditions that measure themselves (no workload, no timing): an
 * unpaired loop, a paired one whose untraced run breaks, a detach after a failed attach,
 * the repetitions completed, and pairing that refuses a sample that was never measured.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "bench/runner.h"

#define REPS 3

struct probe {
	double rate;		/* ops/s it reports */
	int fail_measure_at;	/* the nth measure fails (1-based, warm-up included); 0: never */
	int fail_attach;	/* every attach fails with this; 0: none */
	int measures, attaches, detaches;
	bool why_is_own;	/* breaks itself through bench_cond_break on its own why */
	struct bench_cond *self;
};

static int probe_attach(void *ctx, char *why, size_t sz)
{
	struct probe *p = ctx;

	p->attaches++;
	if (!p->fail_attach)
		return 0;
	snprintf(why, sz, "attach refused: %s", strerror(-p->fail_attach));
	return p->fail_attach;
}

static int probe_measure(void *ctx, struct bench_sample *s, char *why, size_t sz)
{
	struct probe *p = ctx;

	if (++p->measures == p->fail_measure_at) {
		snprintf(why, sz, "measure %d failed", p->measures);
		if (p->why_is_own)
			bench_cond_break(p->self, -EIO, "%s", why);
		return -EIO;
	}
	s->ops = 1000;
	s->ops_per_s = p->rate;
	s->extra[0] = p->measures;
	return 0;
}

static void probe_detach(void *ctx)
{
	struct probe *p = ctx;

	p->detaches++;
}

static void setup_conds(struct bench_cond *k, struct probe *p, int n)
{
	static const char *const names[] = { "a", "b", "c", "d" };

	memset(k, 0, n * sizeof(*k));
	for (int i = 0; i < n; i++) {
		p[i] = (struct probe){ .rate = 1e6 / (i + 1), .self = &k[i] };
		k[i] = (struct bench_cond){ .name = names[i], .attach = probe_attach,
					    .measure = probe_measure, .detach = probe_detach,
					    .ctx = &p[i] };
	}
}

static int run_loop(struct bench_cond *k, int n, bool paired, int *reps_done)
{
	struct bench_loop l = { .conds = k, .n = n, .reps = REPS, .label = "test",
				.paired = paired };
	struct bench_ctx c = {};
	int err = bench_loop_run(&l, &c);

	*reps_done = l.reps_done;
	return err;
}

/* Every condition runs once per repetition (and in the warm-up), its own numbers kept. */
Test(runner, conditions_that_measure_themselves_keep_their_samples)
{
	struct bench_cond k[3];
	struct probe p[3];
	int done;

	setup_conds(k, p, 3);
	cr_assert_eq(run_loop(k, 3, false, &done), 0);
	cr_assert_eq(done, REPS);
	for (int i = 0; i < 3; i++) {
		cr_assert_eq(k[i].broken, 0, "%s", k[i].why);
		cr_assert_eq(p[i].measures, REPS + 1, "warm-up + reps");
		cr_assert_eq(p[i].detaches, REPS + 1);
		for (int r = 0; r < REPS; r++) {
			cr_assert(k[i].samples[r].ok);
			cr_assert_eq(k[i].samples[r].ops_per_s, p[i].rate);
			/* The warm-up was measure 1: repetition r is measure r + 2. */
			cr_assert_eq(k[i].samples[r].extra[0], r + 2);
		}
	}
	/* 1e6 ops/s is 1000 ns an op; 5e5 ops/s is 2000 ns: 1000 ns added. */
	cr_assert_float_eq(bench_paired_added_ns(k, 1, 0), 1000.0, 1e-6);
	bench_conds_release(k, 3);
}

/* Unpaired, one condition breaking leaves the others be; paired, the untraced run's breaking
 * breaks every other with its reason. */
Test(runner, only_a_paired_untraced_run_breaks_the_others)
{
	struct bench_cond k[3];
	struct probe p[3];
	int done;

	setup_conds(k, p, 3);
	p[0].fail_measure_at = 2;	/* the first measured repetition */
	cr_assert_eq(run_loop(k, 3, false, &done), 0);
	cr_assert_eq(done, REPS);
	cr_assert_eq(k[0].broken, -EIO);
	cr_assert_str_eq(k[0].why, "measure 2 failed");
	cr_assert_eq(k[1].broken, 0);
	cr_assert_eq(p[1].measures, REPS + 1);
	bench_conds_release(k, 3);

	setup_conds(k, p, 3);
	p[0].fail_measure_at = 2;
	cr_assert_eq(run_loop(k, 3, true, &done), 0);
	cr_assert_eq(done, 0, "the repetition the untraced run broke in is not complete");
	for (int i = 1; i < 3; i++) {
		cr_assert_eq(k[i].broken, -EIO);
		cr_assert_str_eq(k[i].why, "measure 2 failed");
	}
	/* No sample of a repetition that was not measured pairs. */
	cr_assert(isnan(bench_paired_added_ns(k, 1, 1)));
	bench_conds_release(k, 3);
}

/* An attach that fails half-way is detached all the same, and its reason kept. */
Test(runner, a_failed_attach_is_detached_and_says_why)
{
	struct bench_cond k[2];
	struct probe p[2];
	int done;

	setup_conds(k, p, 2);
	p[1].fail_attach = -EPERM;
	cr_assert_eq(run_loop(k, 2, true, &done), 0);
	cr_assert_eq(k[1].broken, -EPERM);
	cr_assert_str_eq(k[1].why, "attach refused: Operation not permitted");
	cr_assert_eq(p[1].attaches, 1, "never tried again");
	cr_assert_eq(p[1].detaches, 1);
	cr_assert_eq(p[1].measures, 0);
	cr_assert_eq(k[0].broken, 0);
	cr_assert_eq(done, REPS);
	bench_conds_release(k, 2);
}

/* A condition broken from inside its own hook, with its own why as the text, keeps the text. */
Test(runner, breaking_a_condition_with_its_own_reason_keeps_it)
{
	struct bench_cond k[2];
	struct probe p[2];
	int done;

	setup_conds(k, p, 2);
	p[1].fail_measure_at = 3;
	p[1].why_is_own = true;
	cr_assert_eq(run_loop(k, 2, false, &done), 0);
	cr_assert_eq(k[1].broken, -EIO);
	cr_assert_str_eq(k[1].why, "measure 3 failed");
	/* It was measured in the warm-up and the first repetition only. */
	cr_assert(k[1].samples[0].ok);
	cr_assert(!k[1].samples[1].ok);
	bench_conds_release(k, 2);
}
