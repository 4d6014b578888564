// SPDX-License-Identifier: GPL-2.0
/*
 * uprobe-target: calls uprobe_target_call() of this binary in a loop, in this process; one
 * operation is one call, which fires the USDT probe bpfgauge:target_call once and calls the
 * never-inlined bpfgauge_uprobe_target() once (see uprobe_target.h), with the operation's index
 * in its batch of 1000 (0..999) as argument. Nothing to set up.
 */
#include "lib/uprobe_target.h"
#include "workload.h"
#include "workload_util.h"

/* Where the results go, so that the calls' values are used; their sum wraps (unsigned). */
static volatile unsigned int sink;

static int uprobe_target_run(void *state, const struct workload_opts *o,
			     struct workload_result *r)
{
	struct workload_clock clk;
	long batch = 1000, n;
	unsigned int acc = 0;
	int err = 0;

	(void)state;
	workload_clock_start(&clk, o);
	do {
		n = workload_batch(&clk, batch);
		for (long i = 0; i < n; i++)
			acc += uprobe_target_call((int)i);
		r->ops += n;
	} while (workload_next(&clk, n, &err));
	workload_clock_stop(&clk, r);
	sink = acc;
	return err;
}

DEFINE_WORKLOAD(uprobe_target, "uprobe-target", "calls a never-inlined function of this binary "
		"in a loop, in this process", "USDT bpfgauge:target_call, then a call of "
		"bpfgauge_uprobe_target", workload_stateless_setup, uprobe_target_run,
		workload_stateless_teardown, workload_own_pid);
