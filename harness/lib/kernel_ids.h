/* SPDX-License-Identifier: GPL-2.0 */
/*
 * This process's ids as BPF programs see them. bpf_get_current_pid_tgid() and task->tgid give
 * ids in the initial PID namespace; getpid() and gettid() those of the namespace the process
 * lives in, which differ inside a container. A check that filters on its own process must use
 * these; messages to the user may keep getpid(), the user's view.
 *
 *   kernel_tgid()   this process's tgid in the initial PID namespace (once, then cached)
 *   kernel_tid()    the calling thread's id there
 * Both return getpid()/gettid() in the initial namespace; elsewhere they ask the kernel through a
 * raw tracepoint program run in this thread (BPF_PROG_TEST_RUN, Linux 5.10), and fall back to
 * getpid()/gettid() where it cannot run (a filter on them then misses in a container).
 */
#ifndef BPFGAUGE_KERNEL_IDS_H
#define BPFGAUGE_KERNEL_IDS_H

int kernel_tgid(void);
int kernel_tid(void);

#endif
