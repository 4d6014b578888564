// SPDX-License-Identifier: GPL-2.0
#define _GNU_SOURCE
#include <time.h>

#include <errno.h>

#include "lib/interrupt.h"
#include "workload_util.h"

double workload_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

void workload_clock_start(struct workload_clock *c, const struct workload_opts *o)
{
	c->pinned = false;
	if (o->cpu >= 0 && sched_getaffinity(0, sizeof(c->saved), &c->saved) == 0) {
		cpu_set_t one;

		CPU_ZERO(&one);
		CPU_SET(o->cpu, &one);
		c->pinned = sched_setaffinity(0, sizeof(one), &one) == 0;
	}
	c->seconds = o->seconds;
	c->left = o->ops;
	c->fixed = o->ops > 0;
	c->start = workload_now();
}

bool workload_clock_done(const struct workload_clock *c)
{
	return workload_now() - c->start >= c->seconds;
}

long workload_batch(const struct workload_clock *c, long batch)
{
	return c->fixed && c->left < batch ? c->left : batch;
}

bool workload_next(struct workload_clock *c, long n, int *err)
{
	c->left -= n;
	if (interrupted()) {
		*err = -EINTR;
		return false;
	}
	return c->fixed ? c->left > 0 : !workload_clock_done(c);
}

void workload_clock_stop(struct workload_clock *c, struct workload_result *r)
{
	r->seconds = workload_now() - c->start;
	r->ops_per_s = r->seconds > 0 ? r->ops / r->seconds : 0;
	if (c->pinned)
		sched_setaffinity(0, sizeof(c->saved), &c->saved);
}

int workload_loop(void *state, const struct workload_opts *o, struct workload_result *r,
		  long batch, int (*op)(void *state))
{
	struct workload_clock clk;
	long n;
	int err = 0;

	workload_clock_start(&clk, o);
	do {
		n = workload_batch(&clk, batch);
		for (long i = 0; i < n && !err; i++) {
			err = op(state);
			r->ops += !err;
		}
	} while (!err && workload_next(&clk, n, &err));
	workload_clock_stop(&clk, r);
	return err;
}

int workload_spawn(struct spawn *s, int log_fd, const struct workload_opts *o,
		   struct workload_result *r, char *what, size_t sz)
{
	struct workload_clock clk;
	int err;

	/* Pinned here, the program and its children (fio's jobs, stressors) inherit the CPU. */
	workload_clock_start(&clk, o);
	err = spawn_run(s);
	workload_clock_stop(&clk, r);
	if (err)
		spawn_describe(s, err, log_fd, what, sz);
	return err;
}

int workload_stateless_setup(const struct workload_opts *o, void **state, char *why, size_t sz)
{
	(void)o;
	(void)why;
	(void)sz;
	*state = NULL;
	return 0;
}

void workload_stateless_teardown(void *state)
{
	(void)state;
}

pid_t workload_own_pid(void *state)
{
	(void)state;
	return 0;
}
