/* SPDX-License-Identifier: GPL-2.0 */
/*
 * 'bpfgauge compare' and 'bpfgauge baseline': results compared with real statistics
 * (verdict.h), the environments diffed, the outcome as a table, JSON, JUnit or Markdown.
 *
 *   compare_pair(base, new, settings, &c)   one row per check and per metric of either
 *                                           result, each with its verdict; the environment
 *                                           differences; the power warning. 0, -ENODATA when
 *                                           nothing is in common, -ENOMEM
 *   comparison_release(&c)                  frees what compare_pair allocated
 *   env_diff(base_env, new_env, &diffs, &n) what differs between two environment objects,
 *                                           walked generically (time, hostname, boot
 *                                           skipped)
 *   compare_print_table/_json/_junit/_markdown(c, ...)   the outputs (compare_output.c)
 *   compare_matrix(results, n, settings, fmt)            one column per result, each against
 *                                                        the first (compare_matrix.c)
 *   result_bench_error(r, metric)           the error of the benchmark that made metric
 *                                           (BENCH/...) when it broke in r, else NULL
 *   compare_resolve(arg, path, sz)          a path, or a baseline NAME ->
 *                                           results/baselines/NAME.json when that exists
 */
#ifndef BPFGAUGE_COMPARE_H
#define BPFGAUGE_COMPARE_H

#include <stdbool.h>
#include <stdio.h>
#include <jansson.h>

#include "lib/strbuf.h"
#include "result/result_load.h"
#include "run_mask.h"
#include "verdict.h"

#define BASELINE_DIR "results/baselines"
#define COMPARE_MAX_WARNINGS 5

struct compare_settings {
	double threshold_pct;	/* --threshold: replaces the suite's default; NAN: keep it */
	/* Calibrations loaded (calibration.h); those of the new result's machine class give
	 * their run-to-run noise to the metrics they measured alike. */
	const struct loaded_result *cals;
	size_t nr_cals;
	double alpha;
	int resamples;
	double level;
	unsigned long seed;
};

enum presence { IN_BOTH, ONLY_BASE, ONLY_NEW };

struct cmp_row {
	bool is_check;
	enum presence presence;
	const char *name;
	const json_t *base, *cur;	/* the entries in each document (NULL when absent) */
	const char *base_status, *new_status, *base_reason, *new_reason;
	bool higher_is_better;
	const char *unit;
	bool measured;			/* samples on both sides: mc holds the statistics */
	double threshold_pct;
	struct metric_cmp mc;
	/* The error of the metric's benchmark where it broke (its benchmarks[] entry has
	 * "error"), else NULL. That side's status is then "broken" and its reason the error,
	 * and a metric missing there because its benchmark broke is IN_BOTH. */
	const char *base_error, *new_error;
	enum verdict verdict;		/* meaningful when presence == IN_BOTH */
	char why[320];			/* why inconclusive, a status change, a new reason */
};

struct env_change {
	char key[160];			/* "kernel.release", "cpu.count" */
	const json_t *base, *cur;	/* NULL when absent on that side */
};

struct comparison {
	const struct loaded_result *base, *cur;
	struct compare_settings set;
	struct cmp_row *rows;		/* checks, then metrics; base's order, then new's */
	size_t n;
	size_t count[4];		/* rows IN_BOTH by verdict */
	size_t only_base, only_new;
	size_t broken_base, broken_new;	/* metric rows whose benchmark broke on that side */
	struct env_change *env;
	size_t nr_env;
	/* The run-to-run noise: the runs of each side, the calibrations that apply and their
	 * runs. Metrics are compared run by run (metric_cmp_runs) when there is any spread of
	 * runs to go by, else repetition by repetition (metric_cmp_measure). */
	size_t base_runs, new_runs;
	const struct loaded_result **cals;
	size_t nr_cals, cal_runs;
	/* The machine's speed in NEW against BASE, from RESULT_REFERENCE_METRIC (NAN without
	 * it), and whether the machine differed: the reference beyond its threshold, or a side
	 * with no run that had the CPU to itself. Every performance verdict is then
	 * inconclusive (compare_state.c). */
	double machine_speed;
	bool machine_differs;
	/* The runs of each side and of each calibration (parallel to cals) that had the CPU to
	 * themselves, from RESULT_CALLS_METRIC: only those are compared (compare_state.c). */
	struct run_mask base_mask, new_mask, *cal_masks;
	/* Every one of them has the calls workload: throughputs count by their fastest
	 * repetition (result/run_values.h), else by their medians. */
	bool fastest;
	/* The power warning (too few samples for any verdict), the machine-speed warning
	 * (the untraced throughput itself changed: costs measured on it move with it), the
	 * broken-benchmark warning (a benchmark broke and no metric of it is in either
	 * result: no row shows it). */
	char warnings[COMPARE_MAX_WARNINGS][512];
	size_t nr_warnings;
};

int compare_pair(const struct loaded_result *base, const struct loaded_result *cur,
		 const struct compare_settings *set, struct comparison *c);
/* One metric row in both results (compare_metric.c): its statistics in r->mc (r->measured),
 * or its verdict from the statuses. 0, or -ENOMEM. */
int compare_metric_row(const struct comparison *c, struct cmp_row *r,
		       const struct compare_opts *o);
void comparison_release(struct comparison *c);
bool comparison_regressed(const struct comparison *c);
const char *result_bench_error(const struct loaded_result *r, const char *metric);
/* compare_pair()'s warnings, each added to c->warnings when it applies (compare_warnings.c). */
void compare_warn_power(struct comparison *c, struct metric_cmp **mc, size_t m);
void compare_warn_speed(struct comparison *c);
void compare_warn_broken(struct comparison *c);
/* The machine's state (compare_state.c). compare_run_masks: which runs of each side and
 * calibration had the CPU to themselves (0, or -ENOMEM). compare_machine_state: when the
 * reference workload ran at another speed in NEW than in BASE, or no run of a side had the CPU
 * to itself, every performance verdict becomes inconclusive, saying so. The runs a mask
 * leaves out, those of all calibrations. */
int compare_run_masks(struct comparison *c);
void compare_machine_state(struct comparison *c);
size_t compare_left_out(const struct run_mask *m);
size_t compare_cal_left_out(const struct comparison *c);
/* One line: the runs of each side and where the run-to-run noise came from, if anywhere. */
void compare_noise_text(const struct comparison *c, struct strbuf *sb);

int env_diff(const json_t *base, const json_t *cur, struct env_change **out, size_t *n);
/* A JSON value for a table cell: strings bare, null as "null", absent as "(absent)". */
void env_value_text(const json_t *v, struct strbuf *sb);
/* "base -> new", or for long word lists only the words removed and added: "-quiet +debug". */
void env_change_text(const struct env_change *e, struct strbuf *sb);

void compare_print_table(const struct comparison *c, FILE *out, bool colour);
json_t *compare_to_json(const struct comparison *c);
void compare_markdown(const struct comparison *c, struct strbuf *sb);
void compare_junit(const struct comparison *c, struct strbuf *sb);
/* One <testsuite> named 'name', for documents holding several comparisons (the matrix). */
void compare_junit_suite(const struct comparison *c, const char *name, struct strbuf *sb);
/* The column's "time" (environment.time), or "time unknown". */
const char *result_time(const struct loaded_result *r);
/* Writes sb to a new file; 0, or -errno with the message on stderr. */
int compare_write_file(const char *path, const struct strbuf *sb);

enum compare_format { FORMAT_TABLE, FORMAT_JSON, FORMAT_MARKDOWN };

/* Prints the matrix in fmt and, when junit is set, writes it there. 0 nothing regressed,
 * 1 something did, 2 bad input or an unwritable junit file (message on stderr). */
int compare_matrix(struct loaded_result *r, size_t n, const struct compare_settings *set,
		   enum compare_format fmt, const char *junit);

int compare_resolve(const char *arg, char *path, size_t sz);
/* 0 when name is a valid baseline name, else -EINVAL. */
int baseline_name_check(const char *name);

int cmd_compare(int argc, char **argv);
int cmd_baseline(int argc, char **argv);

#endif
