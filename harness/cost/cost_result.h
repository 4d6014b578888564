/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A cost run as a result document (docs/results-schema.md), for compare and history: the
 * suite is "cost" (its description the tracer's command line, or "object FILE", with
 * " [bracketed]" when it was), no checks,
 * and per workload the metrics cost/WORKLOAD/untraced_ops_per_s, traced_ops_per_s,
 * slowdown_pct and added_ns, one sample a measured repetition.
 *
 *   cost_result(&c)         the document (caller owns it), or NULL out of memory
 *   cost_metrics(&c, prefix, set)   those metrics, named PREFIX/WORKLOAD/..., added to set:
 *                           0, or -1 out of memory; also of a run that broke (the samples
 *                           of the repetitions it completed, none when it broke at once)
 */
#ifndef BPFGAUGE_COST_RESULT_H
#define BPFGAUGE_COST_RESULT_H

#include <jansson.h>

#include "cost_run.h"
#include "result/metric.h"

#define COST_THRESHOLD_PCT 5.0	/* compare's threshold for its metrics */

json_t *cost_result(const struct cost *c);
int cost_metrics(const struct cost *c, const char *prefix, struct metric_set *set);

#endif
