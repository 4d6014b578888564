/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What 'bpfgauge cost' found, per workload: untraced and traced ops/s (medians over the
 * repetitions, with p25..p75), the slowdown and the ns added per operation (each repetition's
 * traced run paired with its untraced run), the tracer's programs by CPU (runs, ns per run,
 * runs per second, CPU %, from the kernel's run-time stats), the ns per operation they account
 * for, and the tracer's own CPU time.
 *
 *   cost_summarize(&c, &rows)      one row per workload into rows[c.nr]
 *   cost_print(&c, rows, budget, f)   the table; budget < 0: none
 *   cost_json(&c, rows, budget)    the same as a JSON document
 *   cost_workload_over(&c, rows, i, budget)   whether workload i ran and its median slowdown
 *                                  exceeds budget (budget < 0: none, never)
 *   cost_over_budget(&c, rows, budget)   how many workloads are over it
 */
#ifndef BPFGAUGE_COST_REPORT_H
#define BPFGAUGE_COST_REPORT_H

#include <stdio.h>
#include <jansson.h>

#include "cost_run.h"
#include "lib/stats.h"

#define COST_DRIFT_WARN_PCT 5.0 /* a bracketed workload drifting more is warned of */

struct cost_row {
	struct stats_summary untraced, traced, slowdown_pct, added_ns;
	struct stats_summary with_stats; /* traced ops/s with run-time stats on */
	double prog_ns_per_op;		 /* the programs' run time per operation */
	double tracer_cpu_pct;		 /* the tracer's processes, % of one CPU; NAN unknown */
};

void cost_summarize(const struct cost *c, struct cost_row *rows);
void cost_print(const struct cost *c, const struct cost_row *rows, double budget, FILE *f);
json_t *cost_json(const struct cost *c, const struct cost_row *rows, double budget);
bool cost_workload_over(const struct cost *c, const struct cost_row *rows, int i, double budget);
int cost_over_budget(const struct cost *c, const struct cost_row *rows, double budget);

#endif
