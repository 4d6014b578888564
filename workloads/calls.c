// SPDX-License-Identifier: GPL-2.0
/*
 * calls: how fast this CPU runs short function calls, for telling whether a repetition ran
 * while the CPU was shared. One operation is a call of a function that calls another and adds
 * to a sum; the operations do not wait for each other, so the loop runs as fast as the
 * core can fetch, predict and retire calls and returns. That is what a core's other
 * hardware thread, busy with another VM's work, takes away (x0.7 seen here, while the
 * reference workload's dependent multiply-adds barely slowed): on a VM the host's scheduler
 * decides it, seconds at a time, and it slows system calls as much. No memory traffic beyond
 * the stack, no system call, nothing the kernel under test takes part in. 'bpfgauge run'
 * times it after every repetition of every benchmark (machine/calls/ops_per_s), and
 * 'bpfgauge compare' leaves out the runs that never ran at the machine's full speed
 * (docs/compare.md, "Machine state").
 */
#include "workload.h"
#include "workload_util.h"

/* noipa: called for real, neither inlined nor cloned. */
#if defined(__has_attribute)
#if __has_attribute(noipa)
#define CALLS_ATTR __attribute__((noipa))
#endif
#endif
#ifndef CALLS_ATTR
#define CALLS_ATTR __attribute__((noinline))
#endif

static volatile long sink;

static CALLS_ATTR int inner(int x)
{
	__asm__ volatile("" : "+r"(x) : : "memory");
	return 3 * x + 7;
}

static CALLS_ATTR int outer(int x)
{
	return inner(x) + 1;
}

static int calls_run(void *state, const struct workload_opts *o, struct workload_result *r)
{
	struct workload_clock clk;
	long acc = 0, n;
	int err = 0;

	(void)state;
	workload_clock_start(&clk, o);
	do {
		n = workload_batch(&clk, 1000);
		for (long i = 0; i < n; i++)
			acc += outer((int)i);
		r->ops += n;
	} while (workload_next(&clk, n, &err));
	workload_clock_stop(&clk, r);
	sink = acc;
	return err;
}

DEFINE_WORKLOAD(calls, "calls", "a call of a function that calls another, per operation, "
		"independent of each other: how fast the CPU runs calls, which a busy sibling "
		"hardware thread slows", "nothing", workload_stateless_setup, calls_run,
		workload_stateless_teardown, workload_own_pid);
