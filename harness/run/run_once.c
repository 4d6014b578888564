// SPDX-License-Identifier: GPL-2.0
/*
 * run_once(): one run of a suite, its checks, its benchmarks, then its cost sections
 * (run_cost.c), as one result document.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "lib/clock.h"
#include "bench/benchmark.h"
#include "lib/errno_name.h"
#include "lib/interrupt.h"
#include "result/env.h"
#include "result/result.h"
#include "result/result_json.h"
#include "run_cost.h"
#include "run_once.h"
#include "run_output.h"
#include "run_result.h"
#include "suite.h"
#include "workloads/workload.h"

/*
 * Runs one benchmark of the suite, or breaks it at once with the errno the suite's
 * inject_error names. 0, -EINTR when interrupted, or -errno (what broke in ctx->why when the
 * benchmark said).
 */
static int bench_run(const struct suite_bench *b, struct bench_ctx *ctx)
{
	if (b->inject_error) {
		snprintf(ctx->why, sizeof(ctx->why), "made to break by the suite's inject_error");
		return -b->inject_error;
	}
	return b->bench->run(&b->params, ctx);
}

void run_step_broke(struct run_once_out *out, json_t *entry, size_t first, const char *what,
		    int err, const char *why)
{
	char reason[512], text[640];

	snprintf(reason, sizeof(reason), "%s%s%s (%s)", why, why[0] ? ": " : "",
		 errno_name(err), strerror(-err));
	snprintf(text, sizeof(text), "%s: %s", result_str(entry, "name"), reason);
	json_object_set_new(entry, "error", json_string(text));
	snprintf(text, sizeof(text), "%s broke: %s", what, reason);
	for (size_t i = first; i < out->metrics.n; i++)
		if (!strcmp(out->metrics.m[i]->status, "ok"))
			metric_unavailable(out->metrics.m[i], "error", text);
	fprintf(stderr, "bpfgauge run: %s\n", text);
	out->broke = true;
}

/* The checks, into the document; whether one the suite requires did not pass. */
static int run_checks(struct suite *s, const struct run_once_opts *o, struct run_progress *prog,
		      struct run_once_out *out)
{
	json_t *jchecks = json_object_get(out->doc, "checks");
	char summary[256];

	run_step_begin(prog, "checks");
	if (probe_run_checks(s->run_check, &o->checks, &out->checks))
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
	double t0 = clock_now_s();
	size_t first = out->metrics.n;
	char what[96];
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
	err = bench_run(b, &ctx);
	run_step_end(prog, clock_now_s() - t0, err == -EINTR ? "interrupted" : err ? "broke" :
		     "done");
	if (err && err != -EINTR) {
		snprintf(what, sizeof(what), "benchmark '%s'", b->bench->name);
		run_step_broke(out, jbench, first, what, err, ctx.why);
	}
}

int run_once(struct suite *s, const struct run_once_opts *o, struct run_progress *prog,
	     struct run_once_out *out)
{
	double start = clock_now_s();
	json_t *jmetrics;

	memset(out, 0, sizeof(*out));
	out->doc = run_result_new(s, env_collect());
	for (size_t i = 0; i < RUN_MACHINE_METRICS; i++)
		if (!(out->machine[i] = metric_get(&out->machine_set, machine_workloads[i].metric,
						   "ops/s", BETTER_HIGHER)))
			return -ENOMEM;
	if (!out->doc || run_checks(s, o, prog, out))
		return -ENOMEM;
	for (size_t i = 0; i < s->nr_benches && !interrupted(); i++)
		run_bench(&s->benches[i], o, prog, out);
	for (size_t i = 0; i < s->nr_costs && !interrupted(); i++)
		if (run_cost(&s->costs[i], o, prog, out))
			return -ENOMEM;
	jmetrics = json_object_get(out->doc, "metrics");
	for (size_t i = 0; i < out->metrics.n; i++)
		json_array_append_new(jmetrics, metric_to_json(out->metrics.m[i]));
	for (size_t i = 0; i < RUN_MACHINE_METRICS; i++)
		if (out->machine[i]->n)
			json_array_append_new(jmetrics, metric_to_json(out->machine[i]));
	json_object_set_new(out->doc, "duration_s", json_real(clock_now_s() - start));
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
