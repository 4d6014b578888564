// SPDX-License-Identifier: GPL-2.0
/* run_once(): one run of a suite, its checks then its benchmarks, as one result document. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "bench/benchmark.h"
#include "lib/errno_name.h"
#include "lib/interrupt.h"
#include "result/env.h"
#include "result/result.h"
#include "run_once.h"
#include "run_output.h"
#include "run_result.h"
#include "suite.h"
#include "workloads/workload.h"

/*
 * Runs one benchmark of the suite, or breaks it at once with the errno the suite's
 * inject_error names. 0, -EINTR when interrupted, or -errno with what broke in reason:
 * "WHY: ENAME (text)", WHY when the benchmark said.
 */
static int bench_run(const struct suite_bench *b, struct bench_ctx *ctx, char *reason,
		     size_t sz)
{
	int err;

	if (b->inject_error) {
		snprintf(ctx->why, sizeof(ctx->why), "made to break by the suite's inject_error");
		err = -b->inject_error;
	} else {
		err = b->bench->run(&b->params, ctx);
	}
	if (err && err != -EINTR)
		snprintf(reason, sz, "%s%s%s (%s)", ctx->why, ctx->why[0] ? ": " : "",
			 errno_name(err), strerror(-err));
	return err;
}

/* The metrics from 'first' on that a benchmark which broke left "ok" become "error". */
static void metrics_broken(struct metric_set *ms, size_t first, const char *bench,
			   const char *reason)
{
	char why[512];

	snprintf(why, sizeof(why), "benchmark '%s' broke: %s", bench, reason);
	for (size_t i = first; i < ms->n; i++)
		if (!strcmp(ms->m[i]->status, "ok"))
			metric_unavailable(ms->m[i], "error", why);
}

/* The checks, into the document; whether one the suite requires did not pass. */
static int run_checks(struct suite *s, struct run_progress *prog, struct run_once_out *out)
{
	json_t *jchecks = json_object_get(out->doc, "checks");
	char summary[256];

	run_step_begin(prog, "checks");
	if (probe_run_checks(s->run_check, &out->checks))
		return -ENOMEM;
	for (size_t i = 0; i < out->checks.n; i++)
		json_array_append_new(jchecks, probe_check_json(out->checks.checks[i],
								&out->checks.results[i]));
	probe_summary(&out->checks, summary, sizeof(summary));
	run_step_end(prog, out->checks.total_ms / 1e3, summary);
	for (size_t i = 0; i < out->checks.n; i++) {
		const struct check *c = out->checks.checks[i];
		const struct check_result *r = &out->checks.results[i];

		if (s->require_check[check_index(c)] && r->status != CHECK_PASS) {
			fprintf(stderr, "bpfgauge run: required check '%s' is %s: %s\n", c->name,
				check_status_name(r->status), r->reason);
			out->required_failed = true;
		}
	}
	return 0;
}

/*
 * After each repetition of a benchmark: the machine's own speed on the CPU of the
 * repetition's workloads, one sample of each machine metric: the reference workload
 * (multiply chains: a slower or busier machine) and the calls workload (a shared core). Each
 * is the fastest of five 4 ms slices 5 ms apart, so that what a repetition leaves behind for
 * a moment (programs freed, probes unregistered, a thread winding down) does not count, while
 * a slower machine slows all five. Their samples, spread over the whole run, tell how fast
 * the machine was while the run measured.
 */
static const struct {
	const char *workload, *metric;
} machine_workloads[RUN_MACHINE_METRICS] = {
	{ "reference", RESULT_REFERENCE_METRIC },
	{ "calls", RESULT_CALLS_METRIC },
};

struct machine_timing {
	struct metric **m;	/* one per machine_workloads[] */
	int cpu;		/* the benchmark's workloads' (-1: not pinned) */
};

static double fastest_slice(const struct workload *w, int cpu)
{
	struct workload_opts o = { .seconds = 0.004, .cpu = cpu };
	double best = 0;

	for (int i = 0; w && i < 5; i++) {
		struct workload_result r = {};

		if (i)
			usleep(5000);
		if (!w->run(NULL, &o, &r) && r.ops_per_s > best)
			best = r.ops_per_s;
	}
	return best;
}

static void time_machine(struct bench_ctx *c)
{
	const struct machine_timing *ref = c->each_rep_arg;

	for (size_t i = 0; i < RUN_MACHINE_METRICS; i++) {
		double best = fastest_slice(workload_find(machine_workloads[i].workload),
					    ref->cpu);

		if (best > 0)
			metric_add(ref->m[i], best);
	}
}

static void run_bench(struct suite_bench *b, const struct run_once_opts *o,
		      struct run_progress *prog, struct run_once_out *out)
{
	struct machine_timing ref = { .m = out->machine };
	struct bench_ctx ctx = { .metrics = &out->metrics, .progress = run_bench_progress,
				 .priv = prog, .each_rep = time_machine, .each_rep_arg = &ref };
	double t0 = run_now_s();
	size_t first = out->metrics.n;
	char reason[384], error[512];
	json_t *jbench;
	int err;

	if (o->reps)
		b->params.reps = o->reps;
	if (o->seconds > 0)
		b->params.seconds = o->seconds;
	if (o->cpu != -2)
		b->params.cpu = o->cpu;
	b->params.workdir = o->workdir;
	ref.cpu = b->params.cpu;
	run_step_begin(prog, b->bench->name);
	jbench = json_pack("{s:s s:i s:f s:i}", "name", b->bench->name, "reps", b->params.reps,
			   "seconds", b->params.seconds, "cpu", b->params.cpu);
	if (b->params.inject_extra_pct)
		json_object_set_new(jbench, "inject_extra_pct",
				    json_integer(b->params.inject_extra_pct));
	if (b->inject_error)
		json_object_set_new(jbench, "inject_error",
				    json_string(errno_name(b->inject_error)));
	json_array_append_new(json_object_get(out->doc, "benchmarks"), jbench);
	err = bench_run(b, &ctx, reason, sizeof(reason));
	run_step_end(prog, run_now_s() - t0, err == -EINTR ? "interrupted" : err ? "broke" :
		     "done");
	if (err && err != -EINTR) {
		snprintf(error, sizeof(error), "%s: %s", b->bench->name, reason);
		json_object_set_new(jbench, "error", json_string(error));
		metrics_broken(&out->metrics, first, b->bench->name, reason);
		fprintf(stderr, "bpfgauge run: benchmark '%s' broke: %s\n", b->bench->name, reason);
		out->broke = true;
	}
}

int run_once(struct suite *s, const struct run_once_opts *o, struct run_progress *prog,
	     struct run_once_out *out)
{
	double start = run_now_s();
	json_t *jmetrics;

	memset(out, 0, sizeof(*out));
	out->doc = run_result_new(s, env_collect());
	for (size_t i = 0; i < RUN_MACHINE_METRICS; i++)
		if (!(out->machine[i] = metric_get(&out->machine_set, machine_workloads[i].metric,
						   "ops/s", BETTER_HIGHER)))
			return -ENOMEM;
	if (!out->doc || run_checks(s, prog, out))
		return -ENOMEM;
	for (size_t i = 0; i < s->nr_benches && !interrupted(); i++)
		run_bench(&s->benches[i], o, prog, out);
	jmetrics = json_object_get(out->doc, "metrics");
	for (size_t i = 0; i < out->metrics.n; i++)
		json_array_append_new(jmetrics, metric_to_json(out->metrics.m[i]));
	for (size_t i = 0; i < RUN_MACHINE_METRICS; i++)
		if (out->machine[i]->n)
			json_array_append_new(jmetrics, metric_to_json(out->machine[i]));
	json_object_set_new(out->doc, "duration_s", json_real(run_now_s() - start));
	json_object_set_new(out->doc, "interrupted", json_boolean(interrupted()));
	return 0;
}

void run_once_release(struct run_once_out *out)
{
	json_decref(out->doc);
	probe_run_release(&out->checks);
	metric_set_release(&out->metrics);
	metric_set_release(&out->machine_set);
	memset(out, 0, sizeof(*out));
}
