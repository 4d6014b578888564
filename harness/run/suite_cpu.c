// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "lib/cpu_list.h"
#include "lib/numbers.h"
#include "suite_cpu.h"

int suite_parse_cpu(const char *text, int *cpu)
{
	if (!strcmp(text, "auto")) {
		*cpu = SUITE_CPU_AUTO;
		return 0;
	}
	return parse_int(text, -1, 4095, cpu);
}

/* The online CPUs; without /sys, the first of them as many as are online. */
static void online_cpus(char *buf, size_t sz)
{
	if (cpus_online(buf, sz) || cpu_list_last(buf) < 0)
		snprintf(buf, sz, "0-%ld", sysconf(_SC_NPROCESSORS_ONLN) - 1);
}

/*
 * 'auto' pins to the last online CPU when there are two or more: the workload then keeps its
 * caches and is not moved around by the scheduler, and CPU 0, which takes most device
 * interrupts in small VMs, stays for the rest. Measured on a 2-CPU VM (attach-overhead twice,
 * back to back): unpinned, the medians of three attach types moved by 11-30 %; pinned, by at
 * most 9 % but one.
 */
int suite_resolve_cpu(int cpu)
{
	char online[4096];

	if (cpu != SUITE_CPU_AUTO)
		return cpu;
	if (sysconf(_SC_NPROCESSORS_ONLN) < 2)
		return -1;
	online_cpus(online, sizeof(online));
	return cpu_list_last(online);
}

int suite_cpu_check(int cpu, char *why, size_t sz)
{
	char online[4096];

	if (cpu < 0)
		return 0;
	online_cpus(online, sizeof(online));
	if (cpu_list_has(online, cpu) == 1)
		return 0;
	if (cpu >= sysconf(_SC_NPROCESSORS_CONF))
		snprintf(why, sz, "no CPU %d here (online CPUs: %s)", cpu, online);
	else
		snprintf(why, sz, "CPU %d is offline (online CPUs: %s)", cpu, online);
	return -EINVAL;
}

int suite_cpu_option(const char *text, int *cpu, char *why, size_t sz)
{
	if (suite_parse_cpu(text, cpu)) {
		snprintf(why, sz, "not a CPU number, auto or -1");
		return -EINVAL;
	}
	*cpu = suite_resolve_cpu(*cpu);
	return suite_cpu_check(*cpu, why, sz);
}
