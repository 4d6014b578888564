/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What 'bpfgauge run' prints: one progress line per step on stderr ("[2/3] attach-overhead
 * ...", a live line on a terminal, where benchmarks' own progress shows too), and the metrics
 * table on stdout.
 *
 *   run_step_begin(&p, name) / run_step_end(&p, seconds, what)   a step's two lines
 *   run_bench_progress(c, fmt, ...)   a benchmark's progress (bench_ctx.progress; priv: &p)
 *   run_print_metrics(metrics)        each metric's median and [p25, p75], or why not; with
 *                                     several runs, the sd of the logarithms of the run values
 *                                     (a throughput's fastest repetition: result/run_values.h)
 */
#ifndef BPFGAUGE_RUN_OUTPUT_H
#define BPFGAUGE_RUN_OUTPUT_H

#include <stdbool.h>
#include <jansson.h>

struct bench_ctx;

struct run_progress {
	bool live;
	int step, steps;
	char step_name[96];
};

void run_step_begin(struct run_progress *p, const char *name);
void run_step_end(struct run_progress *p, double seconds, const char *what);
__attribute__((format(printf, 2, 3)))
void run_bench_progress(struct bench_ctx *c, const char *fmt, ...);
void run_print_metrics(const json_t *metrics);

#endif
