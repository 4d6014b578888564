// SPDX-License-Identifier: GPL-2.0
/*
 * fork-exec: fork, exec of a tiny static program (build/workloads/true-static, which exits 0
 * at once) and wait for it. One operation is one fork + exec + exit + wait. The forks are this
 * process's (pid() 0); each exec is a new child's.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "lib/interrupt.h"
#include "workload.h"
#include "workload_child.h"
#include "workload_util.h"

#define TRUE_STATIC "true-static"
#define BATCH 16

extern char **environ;

struct fork_exec {
	char path[PATH_MAX];
};

/*
 * The program sits in build/workloads/, next to build/bpfgauge; the test binary is one
 * directory further down (build/tests/).
 */
static int find_true_static(char *path, size_t sz)
{
	static const char *const rel[] = { "workloads/" TRUE_STATIC, "../workloads/" TRUE_STATIC };
	char exe[PATH_MAX], *dir;
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	struct stat st;

	if (n < 0)
		return -errno;
	exe[n] = '\0';
	dir = dirname(exe);
	for (size_t i = 0; i < sizeof(rel) / sizeof(rel[0]); i++) {
		snprintf(path, sz, "%s/%s", dir, rel[i]);
		if (!stat(path, &st) && S_ISREG(st.st_mode) && !access(path, X_OK))
			return 0;
	}
	return -ENOENT;
}

static int fe_setup(const struct workload_opts *o, void **state, char *why, size_t sz)
{
	struct fork_exec *fe;
	int err;

	*state = NULL;
	if (!workload_cpu_allowed(o->cpu, why, sz))
		return -EINVAL;
	fe = calloc(1, sizeof(*fe));
	if (!fe)
		return -ENOMEM;
	err = find_true_static(fe->path, sizeof(fe->path));
	if (err) {
		snprintf(why, sz, "'%s' not found next to this program (build/workloads/): "
			 "run make", TRUE_STATIC);
		free(fe);
		return err;
	}
	*state = fe;
	return 0;
}

/* One fork + exec + exit + wait: 0, or -errno (-ECHILD: the program did not exit 0). */
static int fork_exec_once(void *state)
{
	const struct fork_exec *fe = state;
	char *const argv[] = { TRUE_STATIC, NULL };
	pid_t pid = fork();
	int status;

	if (pid < 0)
		return -errno;
	if (pid == 0) {
		execve(fe->path, argv, environ);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -errno;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -ECHILD;
}

static int fe_run(void *state, const struct workload_opts *o, struct workload_result *r)
{
	return workload_loop(state, o, r, BATCH, fork_exec_once);
}

static void fe_teardown(void *state)
{
	free(state);
}

static pid_t fe_pid(void *state)
{
	(void)state;
	return 0;
}

DEFINE_WORKLOAD(fork_exec, "fork-exec",
		"fork, exec of a static program that exits at once, wait; one op = all four",
		"sched_process_fork, sched_process_exec, sched_process_exit", fe_setup, fe_run,
		fe_teardown, fe_pid);
