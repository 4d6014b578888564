// SPDX-License-Identifier: GPL-2.0
/* 'bpfgauge bench tools': shape of its result and its handling of bad input (no timings). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "integration.h"
#include "support.h"

Test(bench, tools_reports_every_condition_with_one_sample_per_rep)
{
	const char *want[] = { "none", "floor", "floor+clock", "syscall-latency" };
	char cmd[256], *out;
	json_t *doc, *conds, *c;
	size_t i;
	int st;

	snprintf(cmd, sizeof(cmd), "%s bench tools --reps 3 --calls 20000 --no-bpftrace --json "
		 "2>/dev/null", bpfgauge_bin());
	out = sh(cmd, &st);
	cr_assert_eq(st, 0, "%s", out);
	doc = json_loads(out, 0, NULL);
	cr_assert_not_null(doc, "not JSON: %s", out);
	conds = json_object_get(doc, "conditions");
	cr_assert_eq(json_array_size(conds), 4);
	json_array_foreach(conds, i, c) {
		cr_assert_str_eq(json_string_value(json_object_get(c, "name")), want[i]);
		cr_assert_eq(json_array_size(json_object_get(c, "samples_ns_per_call")), 3);
	}
	/* Ratios are against the floors: the floor's own is 1 by definition. */
	c = json_array_get(conds, 1);
	cr_assert_float_eq(json_real_value(json_object_get(c, "x_floor")), 1.0, 1e-9);
	cr_assert(json_is_null(json_object_get(json_array_get(conds, 0), "x_floor")));
	cr_assert_str_eq(json_string_value(json_object_get(doc, "note")), "");
	json_decref(doc);
	free(out);
}

Test(bench, bad_input_exits_2)
{
	const char *cases[] = { "tools --reps 0", "tools --calls 10", "tools --bogus", "nosuch" };
	char cmd[256], *out;
	int st;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(cmd, sizeof(cmd), "%s bench %s 2>&1", bpfgauge_bin(), cases[i]);
		out = sh(cmd, &st);
		cr_assert_eq(st, 2, "'%s': %s", cases[i], out);
		cr_assert_eq(strchr(out, '\n'), out + strlen(out) - 1, "'%s': %s", cases[i], out);
		free(out);
	}
}

/*
 * A count of calls however large stops at SIGTERM, as a run for a time does: every workload
 * checks for it between batches (here 1e9 getppid calls, the most --calls takes: a quarter of
 * an hour here; before, the signal was noted and the loop ran on to its end).
 */
Test(bench, a_huge_count_stops_at_sigterm, .timeout = 120)
{
	char cmd[512], *out;
	int st;

	snprintf(cmd, sizeof(cmd), "%s bench tools --reps 3 --calls 1000000000 --no-bpftrace "
		 "2>&1 & pid=$!; sleep 2; kill -TERM $pid; wait $pid", bpfgauge_bin());
	out = sh(cmd, &st);
	cr_assert_eq(st, 130, "exit %d: %s", st, out);
	cr_assert(strstr(out, "interrupted"), "%s", out);
	free(out);
}
