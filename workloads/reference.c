// SPDX-License-Identifier: GPL-2.0
/*
 * reference: the machine's own speed, for telling which speed state a repetition ran in.
 * One operation is 1000 steps of a 64-bit linear congruential generator, each step waiting
 * for the last (a multiply and an add on one register): no memory traffic, no system call,
 * nothing the kernel under test takes part in. On a VM whose host runs it slower at times,
 * or on a machine busy with other work, it slows with everything else; a new kernel leaves it
 * alone. 'bpfgauge run' times it after every repetition of every benchmark
 * (machine/reference/ops_per_s), and 'bpfgauge compare' reads it (docs/compare.md).
 */
#include <stdint.h>

#include "workload.h"
#include "workload_util.h"

static volatile uint64_t sink;

static int reference_setup(const struct workload_opts *o, void **state, char *why, size_t sz)
{
	(void)o;
	(void)why;
	(void)sz;
	*state = NULL;
	return 0;
}

static int reference_run(void *state, const struct workload_opts *o, struct workload_result *r)
{
	struct workload_clock clk;
	uint64_t x = 1;

	(void)state;
	workload_clock_start(&clk, o);
	do {
		long n = o->ops ? o->ops : 16;

		for (long i = 0; i < n; i++)
			for (int k = 0; k < 1000; k++)
				x = x * 6364136223846793005ULL + 1442695040888963407ULL;
		r->ops += n;
	} while (!o->ops && !workload_clock_done(&clk));
	workload_clock_stop(&clk, r);
	sink = x;
	return 0;
}

static void reference_teardown(void *state)
{
	(void)state;
}

static pid_t reference_pid(void *state)
{
	(void)state;
	return 0;
}

DEFINE_WORKLOAD(reference, "reference", "1000 dependent multiply-adds per operation: the "
		"machine's own speed, without the kernel", "nothing", reference_setup,
		reference_run, reference_teardown, reference_pid);
