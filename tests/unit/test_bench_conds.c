// SPDX-License-Identifier: GPL-2.0
/*
 * The conditions driver of the benchmarks: the order conditions run in (a warm-up, then a
 * rotation per repetition), what it keeps per repetition, and what a broken condition does.
 * The 'syscall' workload runs an exact number of operations, so no timing is involved.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "bench/runner.h"
#include "workloads/workload.h"

#define OPS 1000

struct fake {
	char *log;		/* every attach appends the condition's letter */
	char letter;
	int fail_attach_at;	/* the nth attach fails (1-based); 0: never */
	int attaches, detaches;
	double events;
};

static int fake_attach(void *ctx, char *why, size_t sz)
{
	struct fake *f = ctx;
	size_t len = strlen(f->log);

	f->log[len] = f->letter;
	f->log[len + 1] = '\0';
	if (++f->attaches == f->fail_attach_at) {
		snprintf(why, sz, "attach '%c' failed: EPERM", f->letter);
		return -EPERM;
	}
	return 0;
}

static int fake_count(void *ctx, double *events, char *why, size_t sz)
{
	struct fake *f = ctx;

	(void)why;
	(void)sz;
	*events = f->events;
	return 0;
}

static void fake_detach(void *ctx)
{
	struct fake *f = ctx;

	f->detaches++;
}

static void setup_conds(struct bench_cond *k, struct fake *f, int n, char *log)
{
	memset(k, 0, n * sizeof(*k));
	k[0].name = "none";
	for (int i = 1; i < n; i++) {
		f[i] = (struct fake){ .log = log, .letter = 'a' + i, .events = 10.0 * i };
		k[i] = (struct bench_cond){ .name = "fake", .attach = fake_attach,
					    .count = fake_count, .detach = fake_detach,
					    .ctx = &f[i] };
	}
}

static int run(struct bench_cond *k, int n, int reps)
{
	const struct workload *w = workload_find("syscall");
	struct workload_opts o = { .ops = OPS, .cpu = -1 };
	struct bench_ctx c = {};
	char why[128];
	void *state;
	int err;

	cr_assert_not_null(w);
	cr_assert_eq(w->setup(&o, &state, why, sizeof(why)), 0);
	err = bench_conds_run(k, n, w, state, &o, reps, &c, "test", NULL);
	w->teardown(state);
	return err;
}

Test(bench_conds, warm_up_then_rotation_and_one_sample_per_rep)
{
	struct bench_cond k[3];
	struct fake f[3];
	char log[64] = "";

	setup_conds(k, f, 3, log);
	cr_assert_eq(run(k, 3, 3), 0);
	/*
	 * Attach order of b and c (the untraced run attaches nothing): warm-up 0 1 2, then
	 * 1 2 0, 2 0 1, 0 1 2.
	 */
	cr_assert_str_eq(log, "bc" "bc" "cb" "bc");
	for (int i = 0; i < 3; i++) {
		cr_assert_eq(k[i].broken, 0);
		for (int r = 0; r < 3; r++) {
			cr_assert_eq(k[i].samples[r].ops, OPS);
			cr_assert_gt(k[i].samples[r].ops_per_s, 0);
			cr_assert_eq(k[i].samples[r].events, 10.0 * i, "cond %d rep %d", i, r);
		}
	}
	cr_assert_eq(f[1].detaches, 4);
	cr_assert_eq(f[2].detaches, 4);
	bench_conds_release(k, 3);
}

Test(bench_conds, a_broken_condition_keeps_why_and_is_left_out)
{
	struct bench_cond k[3];
	struct fake f[3];
	char log[64] = "";

	setup_conds(k, f, 3, log);
	f[2].fail_attach_at = 2;	/* in the first measured repetition */
	cr_assert_eq(run(k, 3, 3), 0);
	cr_assert_eq(k[2].broken, -EPERM);
	cr_assert_str_eq(k[2].why, "attach 'c' failed: EPERM");
	/* c failed in its second attach and never ran again; b ran every time. */
	cr_assert_eq(f[2].attaches, 2);
	cr_assert_eq(f[1].attaches, 4);
	cr_assert_eq(k[1].broken, 0);
	for (int r = 0; r < 3; r++)
		cr_assert_eq(k[1].samples[r].ops, OPS);
	bench_conds_release(k, 3);
}

Test(bench_conds, added_ns_per_operation)
{
	/* 1e6 ops/s is 1000 ns an op; 5e5 ops/s is 2000 ns. */
	cr_assert_float_eq(bench_added_ns(1e6, 5e5), 1000.0, 1e-9);
	cr_assert_float_eq(bench_added_ns(1e6, 1e6), 0.0, 1e-9);
}
