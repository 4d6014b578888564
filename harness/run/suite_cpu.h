/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The CPU a suite's workloads are pinned to: 'cpu' in a suite file and 'bpfgauge run --cpu'.
 *
 *   SUITE_CPU_AUTO                'auto' (the default): the last online CPU when there are two
 *                                 or more, else no pinning
 *   SUITE_CPU_UNSET               a section that did not say: the suite's
 *   suite_parse_cpu(text, &cpu)   "auto", -1 (no pinning) or a CPU number; 0 or -EINVAL
 *   suite_resolve_cpu(cpu)        the CPU 'auto' stands for here (others unchanged)
 *   suite_cpu_check(cpu, why, sz) 0 for an online CPU or none (below 0), else -EINVAL with
 *                                 "no CPU N here (online CPUs: 0-1)" or "CPU N is offline
 *                                 (...)" in why: pinning to it would fail in silence
 *   suite_cpu_option(text, &cpu, why, sz)   a --cpu option: parsed, resolved and checked; 0
 *                                 or -EINVAL with why
 */
#ifndef BPFGAUGE_SUITE_CPU_H
#define BPFGAUGE_SUITE_CPU_H

#include <stddef.h>

#define SUITE_CPU_AUTO (-3)
#define SUITE_CPU_UNSET (-2)

int suite_parse_cpu(const char *text, int *cpu);
int suite_resolve_cpu(int cpu);
int suite_cpu_check(int cpu, char *why, size_t sz);
int suite_cpu_option(const char *text, int *cpu, char *why, size_t sz);

#endif
