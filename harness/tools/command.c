// SPDX-License-Identifier: GPL-2.0
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "command.h"

pid_t command_fork_held(char **argv, const char *who, int *go_fd)
{
	int fds[2];
	pid_t pid;

	if (pipe2(fds, O_CLOEXEC))
		return -1;
	pid = fork();
	if (pid < 0) {
		int err = errno;

		close(fds[0]);
		close(fds[1]);
		errno = err;
		return -1;
	}
	if (pid == 0) {
		char c;

		close(fds[1]);
		/* Until exec, as perf does: a profile shows this name, not the parent's. */
		prctl(PR_SET_NAME, COMMAND_PRE_EXEC_NAME);
		/* EOF without a byte means the caller gave up: do not run. */
		if (read(fds[0], &c, 1) != 1)
			_exit(127);
		close(fds[0]);
		execvp(argv[0], argv);
		fprintf(stderr, "%s: cannot run '%s': %s\n", who, argv[0], strerror(errno));
		_exit(127);
	}
	close(fds[0]);
	*go_fd = fds[1];
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
