// SPDX-License-Identifier: GPL-2.0
/*
 * reference: the machine's own speed, for telling which speed state a repetition ran in.
 * One operation is 125 indirect calls of a function that takes 8 steps of a 64-bit linear
 * congruential generator, each step waiting for the last: 1000 multiply-adds, and calls and
 * returns through the branch predictors (a VM whose host flushes them on its exits slows
 * there before it slows in arithmetic). No memory traffic beyond the stack, no system call,
 * nothing the kernel under test takes part in: on a VM whose host runs it slower at times,
 * or on a machine busy with other work, it slows with everything else; a new kernel leaves it
 * alone. 'bpfgauge run' times it after every repetition of every benchmark
 * (machine/reference/ops_per_s), and 'bpfgauge compare' reads it (docs/compare.md).
 */
#include <stdint.h>

#include "workload.h"
#include "workload_util.h"

static volatile uint64_t sink;

static __attribute__((noinline)) uint64_t eight_steps(uint64_t x)
{
	for (int k = 0; k < 8; k++)
		x = x * 6364136223846793005ULL + 1442695040888963407ULL;
	return x;
}

/* Called through a pointer the compiler cannot see through: a real indirect call. */
static uint64_t (*volatile step)(uint64_t) = eight_steps;

static int reference_run(void *state, const struct workload_opts *o, struct workload_result *r)
{
	struct workload_clock clk;
	long n;
	int err = 0;
	uint64_t x = 1;

	(void)state;
	workload_clock_start(&clk, o);
	do {
		n = workload_batch(&clk, 16);
		for (long i = 0; i < n; i++)
			for (int k = 0; k < 125; k++)
				x = step(x);
		r->ops += n;
	} while (workload_next(&clk, n, &err));
	workload_clock_stop(&clk, r);
	sink = x;
	return err;
}

DEFINE_WORKLOAD(reference, "reference", "125 indirect calls of 8 dependent multiply-adds "
		"per operation: the machine's own speed, without the kernel", "nothing",
		workload_stateless_setup, reference_run, workload_stateless_teardown,
		workload_own_pid);
