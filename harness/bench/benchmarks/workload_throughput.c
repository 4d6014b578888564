// SPDX-License-Identifier: GPL-2.0
/*
 * workload-throughput: each built-in workload untraced, for what the kernel itself costs with
 * no tracing at all: a kernel or an instance type slower at syscalls, file reads, context
 * switches, loopback UDP or fork+exec shows here first.
 *
 * Method (benchmark.h, runner.h): every variant (a workload) set up once, then each one a
 * condition of the runner, unpaired: a warm-up repetition, discarded, then reps
 * repetitions, each running every workload for 'seconds' in an order rotated by one per
 * repetition (a b c, b c a, c a b ...), so that drift on a shared machine falls on all of
 * them alike. Metric: workload-throughput/WORKLOAD/ops_per_s, one sample per
 * repetition. A workload that cannot run here (setup says -EOPNOTSUPP) is skipped with its
 * reason; one that fails is an error, its samples dropped, and the others go on.
 * inject_extra_pct reaches every workload; 'syscall' is the one that takes it.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "bench/benchmark.h"
#include "bench/runner.h"
#include "workloads/workload.h"

#define BENCH "workload-throughput"

/* The built-in workloads that are cheap to set up (no fio or stress-ng). */
static const char *const variant_names[] = {
	"syscall", "file-read", "pipe-pingpong", "udp-pingpong", "fork-exec", NULL,
};

struct wt {
	const struct workload *w;
	void *state;
	struct metric *m;
	bool set_up;
};

/* The samples of every workload that ran; a workload that broke says why instead. */
static int record(struct wt *xs, const struct bench_loop *l)
{
	for (int i = 0; i < l->n; i++) {
		const struct bench_cond *k = &l->conds[i];
		int err = 0;

		if (!xs[i].set_up)
			continue;
		if (k->broken) {
			metric_unavailable(xs[i].m, "error", k->why);
			continue;
		}
		for (int r = 0; r < l->reps_done && !err; r++)
			err = metric_add(xs[i].m, k->samples[r].ops_per_s);
		if (err)
			return err;
	}
	return 0;
}

static int wt_run(const struct bench_params *p, struct bench_ctx *c)
{
	enum { MAX = sizeof(variant_names) / sizeof(variant_names[0]) };
	struct wt xs[MAX] = {};
	struct bench_cond conds[MAX] = {};
	struct bench_loop l = { .conds = conds, .reps = p->reps, .label = BENCH,
				.o = bench_workload_opts(p) };
	int err = 0;

	if (p->reps < 1 || !(p->seconds > 0))
		return -EINVAL;
	for (size_t i = 0; variant_names[i]; i++) {
		struct wt *x = &xs[l.n];
		struct bench_cond *k = &conds[l.n];
		char name[128], why[256] = "";

		if (!bench_wants(p, variant_names[i]))
			continue;
		snprintf(name, sizeof(name), BENCH "/%s/ops_per_s", variant_names[i]);
		x->m = metric_get(c->metrics, name, "ops/s", BETTER_HIGHER);
		if (!x->m) {
			err = -ENOMEM;
			goto cleanup;
		}
		l.n++;
		k->name = variant_names[i];
		x->w = k->w = workload_find(variant_names[i]);
		if (!x->w) {
			metric_unavailable(x->m, "error", "not a built-in workload");
			bench_cond_break(k, -ENOENT, "not a built-in workload");
			continue;
		}
		if (c->progress)
			c->progress(c, BENCH ": set up workload '%s'", x->w->name);
		err = x->w->setup(&l.o, &x->state, why, sizeof(why));
		if (err) {
			char text[sizeof(why) + 64];

			snprintf(text, sizeof(text), "workload '%s': %s", x->w->name,
				 why[0] ? why : strerror(-err));
			metric_unavailable(x->m, err == -EOPNOTSUPP ? "skipped" : "error", text);
			bench_cond_break(k, err, "%s", text);
			err = 0;
			continue;
		}
		x->set_up = true;
		k->state = x->state;
	}
	err = bench_loop_run(&l, c);
	if (err != -ENOMEM) {
		int rec = record(xs, &l);

		err = rec ? rec : err;
	}
cleanup:
	bench_loop_release(&l);
	for (int i = 0; i < l.n; i++)
		if (xs[i].set_up)
			xs[i].w->teardown(xs[i].state);
	return err;
}

static const char *workload_of(const char *variant)
{
	return variant;
}

DEFINE_BENCHMARK_WL(workload_throughput, BENCH,
		    "each built-in workload untraced (syscall, file-read, pipe-pingpong, "
		    "udp-pingpong, fork-exec): the kernel's own speed at syscalls, reads, "
		    "context switches, loopback UDP and fork+exec, in ops/s",
		    variant_names, wt_run, workload_of);
