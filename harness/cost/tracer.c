// SPDX-License-Identifier: GPL-2.0
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "lib/clock.h"
#include "lib/cgroup.h"
#include "lib/interrupt.h"
#include "lib/memfile.h"
#include "lib/spawn.h"
#include "tools/command.h"
#include "object_hold.h"
#include "tracer.h"
#include "tracer_fds.h"

/*
 * In the child: into the cgroup, the defaults of a shell, output to the log, exec (or, for
 * an object, hold it). It dies with bpfgauge (its own children are the cgroup's to stop).
 */
__attribute__((noreturn)) static void child_run(const struct tracer *t, const char *path,
						const struct tracer_cmd *cmd, pid_t parent)
{
	char procs[PATH_MAX + 16];
	int fd, devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);

	if (prctl(PR_SET_PDEATHSIG, SIGKILL) || getppid() != parent)
		_exit(126);
	snprintf(procs, sizeof(procs), "%s/cgroup.procs", t->cgroup);
	fd = open(procs, O_WRONLY | O_CLOEXEC);
	if (fd < 0 || write(fd, "0", 1) != 1) {
		dprintf(t->log_fd, "cannot join the cgroup %s: %s\n", t->cgroup, strerror(errno));
		_exit(126);
	}
	close(fd);
	command_child_defaults();
	if (devnull < 0 || dup2(devnull, 0) < 0 || dup2(t->log_fd, 1) < 0 ||
	    dup2(t->log_fd, 2) < 0) {
		dprintf(t->log_fd, "cannot set up stdin, stdout, stderr: %s\n", strerror(errno));
		_exit(126);
	}
	if (cmd->object) {
		/* Nothing of bpfgauge's (the stats fd) is held on by the holder. */
		syscall(SYS_close_range, 3, ~0U, 0);
		object_hold(cmd->object);
	}
	command_exec(path, cmd->argv);
	dprintf(2, "cannot run '%s': %s\n", cmd->argv[0], strerror(errno));
	_exit(127);
}

int tracer_start(struct tracer *t, const struct tracer_cmd *cmd, char *why, size_t sz)
{
	static unsigned int starts;
	char path[PATH_MAX] = "", tag[32];
	pid_t parent = getpid();
	int err;

	memset(t, 0, sizeof(*t));
	t->log_fd = -1;
	t->object = cmd->object;
	if (cmd->argv && strchr(cmd->argv[0], '/')) {
		snprintf(path, sizeof(path), "%s", cmd->argv[0]);
	} else if (cmd->argv && program_path(cmd->argv[0], path, sizeof(path))) {
		snprintf(why, sz, "cannot run '%s': no such program in PATH", cmd->argv[0]);
		return -ENOENT;
	}
	/* A name of its own per start: one that could not be removed is not in the way. */
	snprintf(tag, sizeof(tag), "cost-%u", starts++);
	err = cgroup_tmp_new(tag, t->cgroup, sizeof(t->cgroup));
	if (err) {
		t->cgroup[0] = '\0';
		snprintf(why, sz, "cannot make a cgroup for the tracer: %s", strerror(-err));
		return err;
	}
	t->log_fd = memfile_new("tracer-log", "");
	if (t->log_fd < 0) {
		err = t->log_fd;
		snprintf(why, sz, "memfd for the tracer's output: %s", strerror(-err));
		return err;
	}
	t->pid = fork();
	if (t->pid < 0) {
		err = -errno;
		t->pid = 0;
		snprintf(why, sz, "fork: %s", strerror(-err));
		return err;
	}
	if (t->pid == 0)
		child_run(t, path, cmd, parent);
	return 0;
}

/* Whether its first process still runs (reaped when it exited). */
static bool first_running(struct tracer *t)
{
	if (!t->pid || t->exited)
		return false;
	if (waitpid(t->pid, &t->status, WNOHANG) == t->pid)
		t->exited = true;
	return !t->exited;
}

bool tracer_running(struct tracer *t)
{
	pid_t pid;
	bool others;

	if (first_running(t))
		return true;
	/* A tracer that daemonized runs on in its cgroup after its first process exited. */
	others = t->pid && t->cgroup[0] && cgroup_pids(t->cgroup, &pid, 1);
	t->daemonized |= others;
	return others;
}

int tracer_progs(struct tracer *t, unsigned int *ids, int max)
{
	int attached;

	return tracer_fds_progs(t->cgroup, ids, max, &attached);
}

/*
 * The line that says why it failed: the last one naming an error (bpftrace follows its error
 * with the offending line and a caret line), else the last one.
 */
static void failure_line(int log_fd, char *buf, size_t sz)
{
	char *text = memfile_read(log_fd), *line, *save = NULL;

	memfile_last_line(log_fd, buf, sz);
	for (line = text ? strtok_r(text, "\n", &save) : NULL; line;
	     line = strtok_r(NULL, "\n", &save))
		if (strstr(line, "ERROR") || strstr(line, "rror:"))
			snprintf(buf, sz, "%s", line);
	free(text);
}

/* Why it ended: its exit status and the line that says why. */
static void exited_why(const struct tracer *t, char *why, size_t sz)
{
	char last[200];

	failure_line(t->log_fd, last, sizeof(last));
	if (t->object && !strncmp(last, "error: ", 7))
		snprintf(why, sz, "the object: %s", last + 7);
	else if (t->daemonized)
		snprintf(why, sz, "every process of the tracer exited (its first with status %d, "
			 "after starting the others)%s%s", WEXITSTATUS(t->status),
			 last[0] ? ": " : "", last);
	else if (WIFEXITED(t->status))
		snprintf(why, sz, "the tracer exited with status %d%s%s", WEXITSTATUS(t->status),
			 last[0] ? ": " : "", last);
	else
		snprintf(why, sz, "the tracer was killed by signal %d%s%s", WTERMSIG(t->status),
			 last[0] ? ": " : "", last);
}

static int by_id(const void *a, const void *b)
{
	unsigned int x = *(const unsigned int *)a, y = *(const unsigned int *)b;

	return (x > y) - (x < y);
}

int tracer_wait_ready(struct tracer *t, double ready_after, double timeout, char *why, size_t sz)
{
	static unsigned int ids[TRACER_MAX_PROGS], last[TRACER_MAX_PROGS];
	double start = clock_now_s(), first_seen = 0;
	int last_n = -1, last_attached = -1, stable_ms = 0;

	while (!interrupted()) {
		int attached, n = tracer_fds_progs(t->cgroup, ids, TRACER_MAX_PROGS, &attached);
		double now = clock_now_s(), waited = now - start;
		bool same;

		if (!tracer_running(t)) {
			exited_why(t, why, sz);
			return -ECHILD;
		}
		qsort(ids, n, sizeof(ids[0]), by_id);
		same = n > 0 && n == last_n && attached == last_attached &&
		       !memcmp(ids, last, n * sizeof(ids[0]));
		stable_ms = same ? stable_ms + 100 : 0;
		if (n > 0 && !first_seen)
			first_seen = now;
		last_n = n;
		last_attached = attached;
		memcpy(last, ids, n * sizeof(ids[0]));
		if (ready_after > 0 ? first_seen && now - first_seen >= ready_after
				    : stable_ms >= TRACER_SETTLE_MS)
			return 0;
		if (waited >= timeout) {
			snprintf(why, sz, "the tracer held no BPF program %s after %.0f s",
				 n ? "long enough to be ready" : "at all", timeout);
			return -ETIMEDOUT;
		}
		clock_sleep_ms(100);
	}
	return -EINTR;
}

long long tracer_cpu_us(const struct tracer *t)
{
	char path[PATH_MAX + 16], key[32];
	long long v, us = -1;
	FILE *f;

	snprintf(path, sizeof(path), "%s/cpu.stat", t->cgroup);
	f = fopen(path, "re");
	if (!f)
		return -1;
	while (fscanf(f, "%31s %lld", key, &v) == 2)
		if (!strcmp(key, "usage_usec"))
			us = v;
	fclose(f);
	return us;
}

/* Sends sig to every process of the cgroup and reaps what exited: how many there were. */
static int signal_all(struct tracer *t, int sig)
{
	int n = cgroup_signal(t->cgroup, sig);

	/* Only its first process is ours to reap: the others' parents are in the cgroup. */
	first_running(t);
	return n;
}

void tracer_stop(struct tracer *t)
{
	/* Its first process too: it may not have joined the cgroup yet. */
	if (first_running(t))
		kill(t->pid, SIGTERM);
	if (t->cgroup[0]) {
		signal_all(t, SIGTERM);
		for (int ms = 0; ms < TRACER_GRACE_MS && (signal_all(t, 0) || first_running(t));
		     ms += 20)
			clock_sleep_ms(20);
		/* At once, new processes included; signalled one by one where it is older. */
		if (signal_all(t, 0) && cgroup_kill(t->cgroup))
			signal_all(t, SIGKILL);
		for (int ms = 0; ms < TRACER_GRACE_MS && signal_all(t, 0); ms += 20)
			clock_sleep_ms(20);
	}
	if (first_running(t))
		kill(t->pid, SIGKILL);
	if (t->pid && !t->exited && waitpid(t->pid, &t->status, 0) == t->pid)
		t->exited = true;
	if (t->cgroup[0]) {
		int err = cgroup_tmp_remove(t->cgroup);

		if (err)
			fprintf(stderr, "warning: cannot remove the tracer's cgroup %s: %s\n",
				t->cgroup, strerror(-err));
	}
	t->cgroup[0] = '\0';
	if (t->log_fd >= 0)
		close(t->log_fd);
	t->log_fd = -1;
	t->pid = 0;
}
