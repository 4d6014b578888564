// SPDX-License-Identifier: GPL-2.0
/*
 * syscall: a getppid loop in this process; one operation is one getppid syscall.
 *
 * With opts->extra_pct = P, P of every 100 operations make a second getppid: an accumulator
 * gains P per operation and pays 100 for each extra call (Bresenham's line), so after N
 * operations since setup exactly N + floor(N * P / 100) calls were made, spread evenly. An
 * operation then costs (1 + P/100) times as much on average and the ops/s drop to
 * 1 / (1 + P/100) of what they were: a regression of known size, for testing comparisons.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "workload.h"
#include "workload_util.h"

struct syscall_state {
	int acc;	/* extra_pct's accumulator, carried from run to run */
};

static int syscall_setup(const struct workload_opts *o, void **state, char *why, size_t sz)
{
	*state = NULL;
	if (o->extra_pct < 0 || o->extra_pct > 100) {
		snprintf(why, sz, "extra_pct must be from 0 to 100, not %d", o->extra_pct);
		return -EINVAL;
	}
	*state = calloc(1, sizeof(struct syscall_state));
	return *state ? 0 : -ENOMEM;
}

static int syscall_run(void *state, const struct workload_opts *o, struct workload_result *r)
{
	struct syscall_state *st = state;
	struct workload_clock clk;
	long batch = 1000, n;
	int pct = o->extra_pct, acc = pct ? st->acc : 0, err = 0;

	if (pct < 0 || pct > 100)
		return -EINVAL;
	workload_clock_start(&clk, o);
	do {
		n = workload_batch(&clk, batch);
		/* One loop for every P, so that P = 0 and P = 10 differ by the extra calls alone
		 * (a tighter loop for P = 0 made the ratio 0.906, not 0.909). */
		for (long i = 0; i < n; i++) {
			syscall(SYS_getppid);
			acc += pct;
			if (acc >= 100) {
				acc -= 100;
				syscall(SYS_getppid);
			}
		}
		r->ops += n;
	} while (workload_next(&clk, n, &err));
	workload_clock_stop(&clk, r);
	/* Only then: runs without extra_pct may share the state between threads (ringbuf). */
	if (pct)
		st->acc = acc;
	return err;
}

static void syscall_teardown(void *state)
{
	free(state);
}

static pid_t syscall_pid(void *state)
{
	(void)state;
	return 0;
}

/* Spelled out rather than DEFINE_WORKLOAD: the one workload that takes extra_pct. */
const struct workload workload_syscall = {
	.name = "syscall",
	.summary = "getppid() in a loop in this process (extra_pct: that % of operations make a "
		   "second one)",
	.fires = "sys_enter getppid",
	.setup = syscall_setup,
	.run = syscall_run,
	.teardown = syscall_teardown,
	.pid = syscall_pid,
	.takes_extra_pct = true,
};
