// SPDX-License-Identifier: GPL-2.0
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "workload_child.h"

int workload_pin(int cpu)
{
	cpu_set_t one;

	if (cpu < 0 || cpu >= CPU_SETSIZE)
		return -EINVAL;
	CPU_ZERO(&one);
	CPU_SET(cpu, &one);
	return sched_setaffinity(0, sizeof(one), &one) ? -errno : 0;
}

bool workload_cpu_allowed(int cpu, char *why, size_t sz)
{
	cpu_set_t set;

	if (cpu < 0 || (cpu < CPU_SETSIZE && sched_getaffinity(0, sizeof(set), &set) == 0 &&
			CPU_ISSET(cpu, &set)))
		return true;
	snprintf(why, sz, "cpu %d is not one this process may run on", cpu);
	return false;
}

static void close_from(unsigned int from, unsigned int to)
{
	struct rlimit rl;
	unsigned int max = 65536;

	if (from > to || syscall(SYS_close_range, from, to, 0) == 0)
		return;
	/* No close_range (kernel < 5.9): one by one, up to the fd limit. */
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < max)
		max = rl.rlim_cur;
	for (unsigned int fd = from; fd <= to && fd < max; fd++)
		close(fd);
}

/* Closes every fd from 3 up, but keep[]. */
static void close_all_but(const int *keep, size_t n)
{
	unsigned int from = 3;

	for (;;) {
		unsigned int next = ~0U;

		/* The smallest kept fd at or above 'from' (n is tiny). */
		for (size_t i = 0; i < n; i++)
			if (keep[i] >= (int)from && (unsigned int)keep[i] < next)
				next = keep[i];
		if (next == ~0U) {
			close_from(from, ~0U);
			return;
		}
		if (next > from)
			close_from(from, next - 1);
		from = next + 1;
	}
}

pid_t workload_child_fork(const int *keep, size_t n, int cpu)
{
	pid_t parent = getpid(), pid = fork();

	if (pid < 0)
		return -errno;
	if (pid > 0) {
		/* Pinned from here too, so that it is pinned when this returns, not a moment later. */
		if (cpu >= 0) {
			cpu_set_t one;

			CPU_ZERO(&one);
			CPU_SET(cpu, &one);
			sched_setaffinity(pid, sizeof(one), &one);
		}
		return pid;
	}
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) || getppid() != parent)
		_exit(1);
	signal(SIGINT, SIG_IGN);
	signal(SIGTERM, SIG_IGN);
	close_all_but(keep, n);
	if (cpu >= 0 && workload_pin(cpu))
		_exit(1);
	return 0;
}

void workload_child_stop(pid_t pid)
{
	if (pid <= 0)
		return;
	kill(pid, SIGKILL);
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
}
