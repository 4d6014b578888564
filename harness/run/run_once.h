/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One run of a suite: its checks, its benchmarks, then its cost sections, as one result
 * document (docs/results-schema.md). 'bpfgauge run' makes one or, with --runs, several and
 * merges them.
 *
 *   run_once(s, o, prog, &out)   fills out: the document (caller owns it), the checks (for the
 *                                summary table; probe_run_release()), the metrics, whether a
 *                                required check did not pass, a benchmark or cost section
 *                                broke, or a cost section went over its budget (each said on
 *                                stderr); after the benchmarks' and costs' metrics,
 *                                RESULT_REFERENCE_METRIC when a benchmark ran. 0, or -ENOMEM
 *   run_once_release(&out)       frees what run_once made
 *   run_step_broke(&out, entry, first, what, err, why)   a step (benchmark, cost section)
 *                                broke: "WHY: ENAME (text)" as the error of its entry in
 *                                benchmarks[], its metrics from index 'first' on left "ok"
 *                                made "error", "WHAT broke: ..." on stderr; out.broke set
 */
#ifndef BPFGAUGE_RUN_ONCE_H
#define BPFGAUGE_RUN_ONCE_H

#include <stdbool.h>
#include <jansson.h>

#include "checks/probe.h"
#include "result/metric.h"

struct suite;
struct run_progress;

#define RUN_MACHINE_METRICS 2

struct run_once_opts {
	int reps;		/* 0: the suite's */
	double seconds;		/* 0: the suite's */
	int cpu;		/* -2: the suite's */
	const char *workdir;
	struct check_opts checks;	/* what the suite's checks may do (--intrusive) */
};

struct run_once_out {
	json_t *doc;
	struct probe_run checks;
	struct metric_set metrics;
	/* The machine's speed (RESULT_REFERENCE_METRIC, RESULT_CALLS_METRIC: one sample per
	 * repetition each), kept apart so that they come after the benchmarks' metrics. */
	struct metric_set machine_set;
	struct metric *machine[RUN_MACHINE_METRICS];
	bool required_failed;	/* a check the suite requires did not pass */
	bool broke;		/* a benchmark or cost section broke (its error is in the doc) */
	bool over_budget;	/* a cost section's workload was over its budget */
};

int run_once(struct suite *s, const struct run_once_opts *o, struct run_progress *prog,
	     struct run_once_out *out);
void run_once_release(struct run_once_out *out);
void run_step_broke(struct run_once_out *out, json_t *entry, size_t first, const char *what,
		    int err, const char *why);

#endif
