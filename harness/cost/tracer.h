/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Someone else's tracer, run by 'bpfgauge cost': a command started in a cgroup of its own
 * (its whole process tree stays there: stopped together, its CPU time read from cpu.stat),
 * its output kept in a memory file for its last line, and its BPF programs found through the
 * file descriptors its processes hold (/proc/PID/fdinfo: prog_id of bpf-prog and bpf_link
 * fds).
 *
 *   tracer_start(&t, &cmd, why, sz)         0, or -errno with one line (no such program,
 *                                           no cgroup v2)
 *   tracer_wait_ready(&t, ready_after, timeout, why, sz)   0 once it holds BPF programs and
 *                                           its programs and attachments stayed the same for
 *                                           TRACER_SETTLE_MS (or, with ready_after > 0, that
 *                                           many seconds after it first held one); -ECHILD
 *                                           every process of it exited (the line that says
 *                                           why in why),
 *                                           -ETIMEDOUT it held none in time, -EINTR
 *                                           interrupted()
 *   tracer_progs(&t, ids, max)              the ids of the programs it holds now: how many
 *   tracer_cpu_us(&t)                       CPU time its cgroup used so far, in us; -1 unknown
 *   tracer_running(&t)                      whether a process of it still runs: its first,
 *                                           or another in its cgroup (a tracer that
 *                                           daemonizes runs on after its first exited)
 *   tracer_stop(&t)                         SIGTERM to its cgroup, SIGKILL after
 *                                           TRACER_GRACE_MS, reaped, cgroup removed;
 *                                           accepts a tracer never started
 */
#ifndef BPFGAUGE_TRACER_H
#define BPFGAUGE_TRACER_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define TRACER_SETTLE_MS 500
#define TRACER_GRACE_MS 3000
#define TRACER_MAX_PROGS 256

/* What runs: a command (argv), or a BPF object held by a process of bpfgauge's (object). */
struct tracer_cmd {
	char **argv;
	const char *object;
};

struct tracer {
	pid_t pid;  /* 0: not started */
	int status; /* its wait status once it exited */
	bool exited;
	bool object;	 /* a BPF object held by a process of bpfgauge's */
	bool daemonized; /* its first process exited, leaving others running */
	int log_fd;	       /* its stdout and stderr; -1 */
	char cgroup[PATH_MAX]; /* "" when none was made */
};

int tracer_start(struct tracer *t, const struct tracer_cmd *cmd, char *why, size_t sz);
int tracer_wait_ready(struct tracer *t, double ready_after, double timeout, char *why, size_t sz);
int tracer_progs(struct tracer *t, unsigned int *ids, int max);
long long tracer_cpu_us(const struct tracer *t);
bool tracer_running(struct tracer *t);
void tracer_stop(struct tracer *t);

#endif
