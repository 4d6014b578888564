/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What workloads share: timing a repetition (for a duration or an op count), pinning, and a
 * repetition that is one external program (fio, stress-ng).
 *   workload_clock_start(&c, opts)   pins to opts->cpu when set, starts the clock
 *   workload_clock_done(&c)          whether opts->seconds have passed (cheap: call per batch)
 *   workload_batch(&c, batch)        how many operations the next batch does: batch, or what
 *                                    is left of opts->ops when fewer
 *   workload_next(&c, n, &err)       after a batch of n: whether another follows (time or
 *                                    operations left); false with err = -EINTR on Ctrl-C or
 *                                    SIGTERM, so that no count however large runs on
 *   workload_clock_stop(&c, r)       fills r->seconds and r->ops_per_s from r->ops; unpins
 *   workload_loop(state, opts, r, batch, op)   the whole of a run() whose operation is one
 *                                    call of op(state): opts->ops operations, or as many as
 *                                    opts->seconds allow (checking the clock and Ctrl-C every
 *                                    'batch' operations); stops at op's first error
 *   workload_spawn(&s, log_fd, opts, r, what, sz)   a repetition that is one external program
 *                                    (spawn.h): spawn_run(&s), pinned and timed as above; 0, or
 *                                    its error with spawn_describe()'s words in what
 *   workload_stateless_setup, workload_stateless_teardown, workload_own_pid
 *                                    the setup, teardown and pid of a workload that keeps no
 *                                    state and runs in this process (pid 0)
 */
#ifndef BPFGAUGE_WORKLOAD_UTIL_H
#define BPFGAUGE_WORKLOAD_UTIL_H

#include <sched.h>
#include <stdbool.h>

#include "lib/spawn.h"
#include "workload.h"

struct workload_clock {
	double start, seconds;
	long left;		/* operations to do; 0: run for seconds */
	bool fixed;		/* opts->ops was set */
	bool pinned;
	cpu_set_t saved;
};

double workload_now(void);
void workload_clock_start(struct workload_clock *c, const struct workload_opts *o);
bool workload_clock_done(const struct workload_clock *c);
long workload_batch(const struct workload_clock *c, long batch);
bool workload_next(struct workload_clock *c, long n, int *err);
void workload_clock_stop(struct workload_clock *c, struct workload_result *r);
int workload_loop(void *state, const struct workload_opts *o, struct workload_result *r,
		  long batch, int (*op)(void *state));
int workload_spawn(struct spawn *s, int log_fd, const struct workload_opts *o,
		   struct workload_result *r, char *what, size_t sz);
int workload_stateless_setup(const struct workload_opts *o, void **state, char *why, size_t sz);
void workload_stateless_teardown(void *state);
pid_t workload_own_pid(void *state);

#endif
