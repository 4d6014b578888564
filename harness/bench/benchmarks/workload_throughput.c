// SPDX-License-Identifier: GPL-2.0
/*
 * workload-throughput: each built-in workload untraced, for what the kernel itself costs with
 * no tracing at all: a kernel or an instance type slower at syscalls, file reads, context
 * switches, loopback UDP or fork+exec shows here first.
 *
 * Method (benchmark.h): every variant (a workload) set up once; a warm-up repetition,
 * discarded, then reps repetitions, each running every workload for 'seconds' in an order
 * rotated by one per repetition (a b c, b c a, c a b ...), so that drift on a shared machine
 * falls on all of them alike. Metric: workload-throughput/WORKLOAD/ops_per_s, one sample per
 * repetition. A workload that cannot run here (setup says -EOPNOTSUPP) is skipped with its
 * reason; one that fails is an error, its samples dropped, and the others go on.
 * inject_extra_pct reaches every workload; 'syscall' is the one that takes it.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "bench/benchmark.h"
#include "lib/interrupt.h"
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
	bool set_up, broken;
};

static void progress(struct bench_ctx *c, int r, int reps, const char *name)
{
	if (c->progress)
		c->progress(c, BENCH ": %s %d/%d %s", r < 0 ? "warm-up" : "rep", r < 0 ? 0 : r + 1,
			    reps, name);
}

/* One run of x's workload; a failure marks it broken and drops its samples. */
static int measure(struct wt *x, const struct workload_opts *o, int r)
{
	struct workload_result res = {};
	char why[256];
	int err = x->w->run(x->state, o, &res);

	if (!err && (res.ops <= 0 || res.ops_per_s <= 0))
		snprintf(why, sizeof(why), "workload '%s' did no operations", x->w->name);
	else if (err)
		snprintf(why, sizeof(why), "workload '%s' failed: %s", x->w->name,
			 strerror(-err));
	if (err == -EINTR) {
		workload_result_release(&res);
		return err;
	}
	if (err || res.ops <= 0 || res.ops_per_s <= 0) {
		metric_unavailable(x->m, "error", why);
		x->m->n = 0;
		x->broken = true;
		err = 0;
	} else if (r >= 0) {
		err = metric_add(x->m, res.ops_per_s);
	}
	workload_result_release(&res);
	return err;
}

static int wt_run(const struct bench_params *p, struct bench_ctx *c)
{
	struct workload_opts o = { .seconds = p->seconds, .cpu = p->cpu, .workdir = p->workdir,
				   .extra_pct = p->inject_extra_pct };
	struct wt xs[sizeof(variant_names) / sizeof(variant_names[0])] = {};
	int n = 0, err = 0;

	if (p->reps < 1 || !(p->seconds > 0))
		return -EINVAL;
	for (size_t i = 0; variant_names[i]; i++) {
		struct wt *x = &xs[n];
		char name[128], why[256] = "";

		if (!bench_wants(p, variant_names[i]))
			continue;
		snprintf(name, sizeof(name), BENCH "/%s/ops_per_s", variant_names[i]);
		x->m = metric_get(c->metrics, name, "ops/s", BETTER_HIGHER);
		if (!x->m) {
			err = -ENOMEM;
			goto cleanup;
		}
		n++;
		x->w = workload_find(variant_names[i]);
		if (!x->w) {
			metric_unavailable(x->m, "error", "not a built-in workload");
			x->broken = true;
			continue;
		}
		if (c->progress)
			c->progress(c, BENCH ": set up workload '%s'", x->w->name);
		err = x->w->setup(&o, &x->state, why, sizeof(why));
		if (err) {
			char text[sizeof(why) + 64];

			snprintf(text, sizeof(text), "workload '%s': %s", x->w->name,
				 why[0] ? why : strerror(-err));
			metric_unavailable(x->m, err == -EOPNOTSUPP ? "skipped" : "error", text);
			x->broken = true;
			err = 0;
			continue;
		}
		x->set_up = true;
	}
	for (int r = -1; r < p->reps && !err; r++) {
		for (int i = 0; i < n && !err; i++) {
			struct wt *x = &xs[(i + r + 1) % n];

			if (interrupted())
				err = -EINTR;
			else if (!x->broken) {
				progress(c, r, p->reps, x->w->name);
				err = measure(x, &o, r);
			}
		}
	}
cleanup:
	for (int i = 0; i < n; i++)
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
