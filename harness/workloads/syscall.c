// SPDX-License-Identifier: GPL-2.0
/* syscall: a getppid loop in this process; one operation is one getppid syscall. */
#include <errno.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "workload.h"
#include "workload_util.h"

static int syscall_setup(const struct workload_opts *o, void **state, char *why, size_t sz)
{
	(void)o;
	(void)why;
	(void)sz;
	*state = NULL;
	return 0;
}

static int syscall_run(void *state, const struct workload_opts *o, struct workload_result *r)
{
	struct workload_clock clk;
	long batch = 1000;

	(void)state;
	workload_clock_start(&clk, o);
	do {
		long n = o->ops ? o->ops : batch;

		for (long i = 0; i < n; i++)
			syscall(SYS_getppid);
		r->ops += n;
	} while (!o->ops && !workload_clock_done(&clk));
	workload_clock_stop(&clk, r);
	return 0;
}

static void syscall_teardown(void *state)
{
	(void)state;
}

static pid_t syscall_pid(void *state)
{
	(void)state;
	return 0;
}

DEFINE_WORKLOAD(syscall, "syscall", "getppid() in a loop in this process", "sys_enter getppid",
		syscall_setup, syscall_run, syscall_teardown, syscall_pid);
