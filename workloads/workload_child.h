/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helper processes that built-in workloads keep between repetitions (the far end of a
 * ping-pong). A helper dies with this process (PR_SET_PDEATHSIG), ignores Ctrl-C (this
 * process winds down and stops it), runs pinned when asked, and keeps open only the fds it is
 * given, so that no BPF link or map of this process lives on in it.
 *
 *   workload_child_fork(keep, n, cpu)   like fork(): the helper's pid here, 0 in the helper,
 *                                       or -errno; cpu -1: not pinned
 *   workload_child_stop(pid)            SIGKILL and reap it; nothing for pid <= 0
 *   workload_pin(cpu)                   pin the calling thread to cpu; 0 or -errno
 *   workload_cpu_allowed(cpu, why, sz)  whether this process may run on cpu (-1: true); if
 *                                       not, why says so
 */
#ifndef BPFGAUGE_WORKLOAD_CHILD_H
#define BPFGAUGE_WORKLOAD_CHILD_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

pid_t workload_child_fork(const int *keep, size_t n, int cpu);
void workload_child_stop(pid_t pid);
int workload_pin(int cpu);
bool workload_cpu_allowed(int cpu, char *why, size_t sz);

#endif
