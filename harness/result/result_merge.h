/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Several runs of one suite in one environment as one result document: the run, not the
 * repetition, is the unit of replication across runs (docs/compare.md), so a baseline, a
 * calibration and 'run --runs K' keep every run's own median beside the pooled samples.
 *
 *   result_merge(docs, n, err, sz)   a new document holding the runs of docs[0..n-1] (each a
 *                                    result of one run or already of several): "runs": one
 *                                    {time, duration_s, interrupted} per run (a run given
 *                                    twice is refused); every metric
 *                                    "ok" in all runs with its samples pooled in run order
 *                                    and "run_medians", one per run; a metric not "ok" (or
 *                                    missing) in some run is that run's entry, its reason
 *                                    saying which run; checks and benchmarks of the first
 *                                    run, with what another run saw differently in the
 *                                    reason or error. NULL with one line in err when the
 *                                    runs are of different suites or environments (kernel,
 *                                    CPU, machine class), or on ENOMEM
 *   result_env_mismatch(env_a, env_b, kernel)   the first of the keys that must agree
 *                                    ("cpu.model", ...; "kernel.release" too when 'kernel')
 *                                    that differs between two environments, or NULL
 *   result_runs_of(doc)              its "runs" entries (a copy; caller owns it), or one
 *                                    made from a result of one run; NULL on ENOMEM
 *   result_run_same(run_a, run_b)     whether two "runs" entries are one run (time, duration)
 *   result_runs(doc)                 how many runs a document holds (1 without "runs")
 *   metric_run_medians(m, out, cap)  a metric's run medians: "run_medians", or the median of
 *                                    its samples as one run. How many (0 when none)
 */
#ifndef BPFGAUGE_RESULT_MERGE_H
#define BPFGAUGE_RESULT_MERGE_H

#include <stdbool.h>
#include <stddef.h>
#include <jansson.h>

#define RESULT_MAX_RUNS 256

json_t *result_merge(json_t *const *docs, size_t n, char *err, size_t errsz);
const char *result_env_mismatch(const json_t *a, const json_t *b, bool kernel);
json_t *result_runs_of(const json_t *doc);
bool result_run_same(const json_t *a, const json_t *b);
size_t result_runs(const json_t *doc);
size_t metric_run_medians(const json_t *m, double *out, size_t cap);

#endif
