// SPDX-License-Identifier: GPL-2.0
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
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
#include "command.h"
#include "lib/spawn.h"
#include "proc_tree.h"

#define HELD_WAIT_MS 5000

/* Whether pid sits in read(2) (or has gone): /proc/PID/syscall starts with the number. */
static bool held_in_read(pid_t pid)
{
	char path[64], buf[128];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/syscall", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return true;	/* gone, or not ours to read (yama): nothing to wait for */
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	/* "running" while it runs; SYS_read is 0 on x86-64. */
	return isdigit((unsigned char)buf[0]) && atol(buf) == SYS_read;
}

/* Runs the script at path with sh and argv's arguments; returns only when that fails. */
static void sh_exec(const char *path, char **argv)
{
	size_t n = 0;
	char **v;

	while (argv[n])
		n++;
	v = calloc(n + 2, sizeof(*v));
	if (!v)
		return;
	v[0] = "sh";
	v[1] = (char *)path;
	for (size_t i = 1; i < n; i++)
		v[i + 1] = argv[i];
	execv("/bin/sh", v);
	errno = ENOEXEC;
}

void command_exec(const char *path, char **argv)
{
	execv(path, argv);
	/* A script without '#!' runs under sh, as execvp() and shells do. */
	if (errno == ENOEXEC)
		sh_exec(path, argv);
}

void command_child_defaults(void)
{
	/* The kernel's struct sigaction, all zero: SIG_DFL, no flags, empty mask. */
	unsigned long dfl[4] = {};
	sigset_t none;

	/*
	 * The system call, not sigaction(3): glibc refuses the two real-time signals it keeps
	 * for itself, which a parent may have left ignored. SIGKILL, SIGSTOP: EINVAL, default.
	 */
	for (int sig = 1; sig < NSIG; sig++)
		syscall(SYS_rt_sigaction, sig, dfl, NULL, (NSIG - 1) / 8);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
}

/* In the child: the defaults a command gets from a shell, then wait for the go byte. */
__attribute__((noreturn))
static void child_run(const char *path, char **argv, const char *who, int go)
{
	char c;

	/* Until exec, as perf does: a profile shows this name, not the parent's. */
	prctl(PR_SET_NAME, COMMAND_PRE_EXEC_NAME);
	command_child_defaults();
	/* EOF without a byte means the caller gave up: do not run. The pipe closes at exec. */
	if (read(go, &c, 1) != 1)
		_exit(127);
	command_exec(path, argv);
	fprintf(stderr, "%s: cannot run '%s': %s\n", who, argv[0], strerror(errno));
	_exit(127);
}

pid_t command_fork_held(char **argv, const char *who, int *go_fd)
{
	static char path[PATH_MAX];
	int fds[2], err;
	pid_t pid;

	/* A name with a '/' is the kernel's to refuse, with its own reason. */
	if (!strchr(argv[0], '/') && program_path(argv[0], path, sizeof(path))) {
		fprintf(stderr, "%s: cannot run '%s': no such program in PATH\n", who, argv[0]);
		return -1;
	}
	if (strchr(argv[0], '/'))
		snprintf(path, sizeof(path), "%s", argv[0]);
	if (pipe2(fds, O_CLOEXEC)) {
		fprintf(stderr, "%s: pipe: %s\n", who, strerror(errno));
		return -1;
	}
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	pid = fork();
	if (pid < 0) {
		err = errno;
		close(fds[0]);
		close(fds[1]);
		fprintf(stderr, "%s: fork: %s\n", who, strerror(err));
		return -1;
	}
	if (pid == 0)
		child_run(path, argv, who, fds[0]);
	close(fds[0]);
	*go_fd = fds[1];
	for (int ms = 0; ms < HELD_WAIT_MS && !held_in_read(pid); ms++)
		clock_sleep_ms(1);
	return pid;
}

void command_release(int *go_fd, bool run)
{
	if (*go_fd < 0)
		return;
	if (run && write(*go_fd, "g", 1) != 1)
		run = false;
	close(*go_fd);
	*go_fd = -1;
}

/* Reaps what has exited; sends sig (0: none) to every descendant still there: how many. */
static long tree_signal(int sig)
{
	pid_t *pids;
	long n;

	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
	n = proc_descendants(getpid(), &pids);
	if (n < 0)
		return n;
	for (long i = 0; i < n; i++)
		if (sig)
			kill(pids[i], sig);
	free(pids);
	return n;
}

int command_stop_tree(void)
{
	long running = tree_signal(SIGTERM);

	if (running <= 0)
		return 0;
	for (int ms = 0; ms < COMMAND_GRACE_MS && tree_signal(0) > 0; ms += 10)
		clock_sleep_ms(10);
	/* A process in an uninterruptible wait dies when it leaves it: not waited for beyond. */
	for (int ms = 0; ms < COMMAND_GRACE_MS && tree_signal(SIGKILL) > 0; ms += 10)
		clock_sleep_ms(10);
	return (int)running;
}
