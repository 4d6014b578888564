/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Built-in workloads, run in this process as a benchmark runs them (setup, several runs,
 * teardown), for the test_workloads*.c files. They are checked against evidence gathered by
 * other means: tgid-filtered BPF counters of the helpers' syscalls and of this process's forks
 * and its children's execs, context switch counts in /proc, the file system type as stat(1)
 * reports it, this process's children and open fds, and the workdir's contents. Never the
 * machine's speed.
 */
#ifndef BPFGAUGE_TEST_WORKLOAD_RUN_H
#define BPFGAUGE_TEST_WORKLOAD_RUN_H

#include "workloads/workload.h"

struct wl {
	const struct workload *w;
	void *state;
	int fds_before;
};

/* Sets up workload name (asserting it exists and sets up). */
struct wl wl_setup(const char *name, const struct workload_opts *o);
/* One run, asserting that some work was done and that its rate is its count over its time. */
struct workload_result wl_run(struct wl *x, const struct workload_opts *o);
/* Teardown, asserting that it leaves no child and no open fd behind. */
void wl_teardown(struct wl *x);

/* Entries of a directory but . and .. (asserting it opens). */
int entries_in(const char *dir);
/* The first CPU this process may run on. */
int first_cpu(void);

#endif
