/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A metric's value in each run, as 'bpfgauge compare' takes it (docs/compare.md, "Across
 * runs"). Noise on a shared machine only ever slows a workload down: another VM on the
 * core's other hardware thread, a busy neighbour, the host. So a throughput's run value is its
 * fastest repetition, the one the machine left alone (seen here: getppid at 5.39 M/s in half
 * of a run's repetitions, to 0.1%, and 3.8-4.3 M/s in the others, their share changing from
 * run to run); anything else, a cost or a percentage measured against an untraced run of the
 * same moment, is the median of the run's repetitions. That holds only where the runs that
 * never had the CPU to themselves are left out (compare/compare_state.c): a result without
 * the calls workload (RESULT_CALLS_METRIC) cannot tell them, and is compared by its medians.
 *
 *   metric_run_fastest(m)            whether its run value can be the fastest repetition (ops/s)
 *   metric_run_values(m, fastest, out, cap, took)   its value in each run (out[0..runs-1]),
 *                                    how many (0 when none): with 'fastest', a throughput's
 *                                    fastest repetition, its repetitions split into runs
 *                                    evenly, and only when that split gives back the run
 *                                    medians the result holds; otherwise (and without
 *                                    'fastest') the run medians. *took (when not NULL): whether
 *                                    they are the fastest repetitions
 */
#ifndef BPFGAUGE_RESULT_RUN_VALUES_H
#define BPFGAUGE_RESULT_RUN_VALUES_H

#include <stdbool.h>
#include <stddef.h>
#include <jansson.h>

bool metric_run_fastest(const json_t *m);
size_t metric_run_values(const json_t *m, bool fastest, double *out, size_t cap, bool *took);

#endif
