/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A suite's [cost NAME] sections: what a tracer costs the workloads ('bpfgauge cost') as a
 * step of a run (run_cost.h), its metrics cost/NAME/WORKLOAD/... NAME: letters, digits, '-'
 * and '_'. reps, seconds and cpu are read by suite.c as for [bench NAME]; the other keys:
 *
 *   command = TRACER ARGS...   required; split as a shell would (quotes, $VAR), with no
 *                              command substitution and no undefined variable
 *   workloads = a,b            default COST_DEFAULT_WORKLOADS
 *   budget = PCT               the run exits 1 when a workload's median slowdown is above
 *   ready_after = S, ready_timeout = S   as cost's --ready-after and --ready-timeout
 *
 *   suite_cost_new(s, name, line, err, sz)   a new section (cpu SUITE_CPU_UNSET), or NULL
 *                                  with why in err: a bad name, too many (a section given
 *                                  twice is refused before: suite_text.h)
 *   suite_cost_find(s, name)       the section of that name, or NULL
 *   suite_cost_key(c, key, value, err, sz)   0, or -EINVAL with why in err
 *   suite_cost_check(c, err, sz)   once the file is read and the defaults are in: 0, or
 *                                  -EINVAL (no command; more repetitions than cost takes)
 *   suite_cost_release(c)          also of a section half read
 */
#ifndef BPFGAUGE_SUITE_COST_H
#define BPFGAUGE_SUITE_COST_H

#include <stdbool.h>
#include <stddef.h>
#include <wordexp.h>

#include "cost/cost_run.h"

#define SUITE_MAX_COSTS 8
#define SUITE_COST_NAME_MAX 32

struct suite;

struct suite_cost {
	char name[SUITE_COST_NAME_MAX + 1];
	char command[256];		/* as written */
	wordexp_t words;		/* the command split: we_wordv is the tracer's argv */
	bool split;			/* words holds a command */
	const char *workloads[COST_MAX_WORKLOADS];	/* the workload registry's names */
	int nr_workloads;
	double budget_pct;		/* -1: none */
	int reps;
	double seconds;
	int cpu;
	double ready_after, ready_timeout;
	int line;			/* of its [cost NAME] */
};

struct suite_cost *suite_cost_new(struct suite *s, const char *name, int line, char *err,
				  size_t sz);
struct suite_cost *suite_cost_find(struct suite *s, const char *name);
int suite_cost_key(struct suite_cost *c, const char *key, const char *value, char *err,
		   size_t sz);
int suite_cost_check(struct suite_cost *c, char *err, size_t sz);
void suite_cost_release(struct suite_cost *c);

#endif
