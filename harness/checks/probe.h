/* SPDX-License-Identifier: GPL-2.0 */
/*
 * 'bpfgauge probe': run capability checks and print their verdicts.
 *
 *   cmd_probe(argc, argv)        the subcommand; returns the exit code
 *   probe_run_checks(want, opts, &run)   run a set of checks (also for 'bpfgauge run')
 *   probe_print_table(run, ...)  human table grouped by area, with a summary line
 *   probe_to_json(run, env)      {schema_version, environment, checks[], summary}
 *   probe_to_junit(run)          JUnit XML (malloc'd), one testcase per check
 */
#ifndef BPFGAUGE_PROBE_H
#define BPFGAUGE_PROBE_H

#include <stdbool.h>
#include <stdio.h>
#include <jansson.h>

#include "check.h"

#define PROBE_SCHEMA_VERSION "1.0"

struct probe_run {
	const struct check **checks;
	struct check_result *results;
	size_t n;		/* checks that ran (all, unless interrupted) */
	size_t planned;
	double total_ms;
	bool interrupted;
};

int cmd_probe(int argc, char **argv);

/* Runs the checks marked in want[] (indexed like check_registry) as opts allow (NULL: the
 * defaults); stops when interrupted. 0 or -ENOMEM. probe_run_release() frees what it filled. */
int probe_run_checks(const bool *want, const struct check_opts *opts, struct probe_run *run);
void probe_run_release(struct probe_run *run);

void probe_print_table(const struct probe_run *run, FILE *out, bool colour);
json_t *probe_to_json(const struct probe_run *run, json_t *env);
json_t *probe_check_json(const struct check *c, const struct check_result *r);
char *probe_to_junit(const struct probe_run *run);
/* "N checks in T s: a pass, b unsupported, ..." */
void probe_summary(const struct probe_run *run, char *buf, size_t sz);

#endif
