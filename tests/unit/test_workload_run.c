// SPDX-License-Identifier: GPL-2.0
/*
 * Built-in workloads that need nothing but this process, run here with no probe attached: they
 * do exactly the operations asked for, however many (SAN=1 finds any arithmetic that overflows
 * on the way).
 */
#include <criterion/criterion.h>

#include "workloads/workload.h"

/* In batches of 1000 calls of 3 * i + 7 (i from 0): their sum is past INT_MAX after 1427. */
Test(workloads, uprobe_target_runs_any_op_count)
{
	const struct workload *w = workload_find("uprobe-target");
	struct workload_opts o = { .ops = 2000000, .cpu = -1 };
	struct workload_result r = {};
	void *state = NULL;
	char why[128] = "";

	cr_assert_eq(w->setup(&o, &state, why, sizeof(why)), 0, "%s", why);
	cr_assert_eq(w->run(state, &o, &r), 0);
	cr_assert_eq(r.ops, 2000000);
	w->teardown(state);
	workload_result_release(&r);
}
