/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Throughputs adjusted for the machine's speed (docs/compare.md, "Adjusted for the machine"):
 * a workload's ops/s in a repetition, divided by the reference workload's speed timed right
 * after that repetition (RESULT_REFERENCE_METRIC). A slower or faster machine moves both; a
 * kernel that made the workload slower moves only the first.
 *
 *   metric_adjusted_run_medians(doc, m, out, cap)   for a metric in ops/s: each run's median
 *        of sample / reference, how many runs (out[0..runs-1]); 0 when the pairing cannot be
 *        made exactly: the reference must hold one sample per repetition of every benchmark
 *        in benchmarks[] order in every run (reps each), and the metric one per repetition
 *        of its benchmark in every run
 */
#ifndef BPFGAUGE_ADJUST_H
#define BPFGAUGE_ADJUST_H

#include <stddef.h>
#include <jansson.h>

size_t metric_adjusted_run_medians(const json_t *doc, const json_t *m, double *out, size_t cap);

#endif
