// SPDX-License-Identifier: GPL-2.0
/*
 * pipe-pingpong: this process and a helper pass one byte back and forth through two pipes.
 * One operation is one round trip: a write and a read on each side and, with both pinned to
 * one CPU (opts->cpu), two context switches. pid() is the helper's: its events are the
 * workload's alone (per operation: one read, one write, one switch in and out).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/interrupt.h"
#include "workload.h"
#include "workload_child.h"
#include "workload_util.h"

#define BATCH 256

struct pipe_pingpong {
	pid_t helper;
	int to_helper, from_helper;	/* this process's ends */
};

/* One byte in, the same byte out, until the pipe closes. */
__attribute__((noreturn))
static void echo(int in, int out)
{
	char c;

	for (;;) {
		ssize_t n = read(in, &c, 1);

		if (n == 0)
			_exit(0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			_exit(1);
		while ((n = write(out, &c, 1)) < 0 && errno == EINTR)
			;
		if (n != 1)
			_exit(1);
	}
}

static void pp_teardown(void *state)
{
	struct pipe_pingpong *pp = state;

	if (!pp)
		return;
	if (pp->to_helper >= 0)
		close(pp->to_helper);
	if (pp->from_helper >= 0)
		close(pp->from_helper);
	workload_child_stop(pp->helper);
	free(pp);
}

static int pp_setup(const struct workload_opts *o, void **state, char *why, size_t sz)
{
	int down[2] = { -1, -1 }, up[2] = { -1, -1 }, err;
	struct pipe_pingpong *pp;

	*state = NULL;
	if (!workload_cpu_allowed(o->cpu, why, sz))
		return -EINVAL;
	pp = calloc(1, sizeof(*pp));
	if (!pp)
		return -ENOMEM;
	pp->to_helper = pp->from_helper = -1;
	if (pipe2(down, O_CLOEXEC) || pipe2(up, O_CLOEXEC)) {
		err = -errno;
		snprintf(why, sz, "pipe() failed: %s", strerror(-err));
		goto cleanup;
	}
	pp->helper = workload_child_fork((const int[]){ down[0], up[1] }, 2, o->cpu);
	if (pp->helper < 0) {
		err = pp->helper;
		snprintf(why, sz, "fork() failed: %s", strerror(-err));
		goto cleanup;
	}
	if (pp->helper == 0)
		echo(down[0], up[1]);
	pp->to_helper = down[1];
	pp->from_helper = up[0];
	down[1] = up[0] = -1;
	*state = pp;
	err = 0;
cleanup:
	for (int i = 0; i < 2; i++) {
		if (down[i] >= 0)
			close(down[i]);
		if (up[i] >= 0)
			close(up[i]);
	}
	if (err)
		pp_teardown(pp);
	return err;
}

/* One round trip; 0 or -errno (-EPIPE when the helper is gone). */
static int round_trip(void *state)
{
	struct pipe_pingpong *pp = state;
	char c = 'x';
	ssize_t n;

	while ((n = write(pp->to_helper, &c, 1)) < 0 && errno == EINTR)
		;
	if (n != 1)
		return n < 0 ? -errno : -EPIPE;
	while ((n = read(pp->from_helper, &c, 1)) < 0 && errno == EINTR)
		;
	if (n != 1)
		return n < 0 ? -errno : -EPIPE;
	return 0;
}

static int pp_run(void *state, const struct workload_opts *o, struct workload_result *r)
{
	return workload_loop(state, o, r, BATCH, round_trip);
}

static pid_t pp_pid(void *state)
{
	return ((struct pipe_pingpong *)state)->helper;
}

DEFINE_WORKLOAD(pipe_pingpong, "pipe-pingpong",
		"a byte back and forth through two pipes between this process and a helper; "
		"one op = one round trip", "helper: sys_enter read + write, 1 switch in/out",
		pp_setup, pp_run, pp_teardown, pp_pid);
