// SPDX-License-Identifier: GPL-2.0
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/close_range.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "clock.h"
#include "interrupt.h"
#include "memfile.h"
#include "spawn.h"

extern char **environ;

static bool executable(const char *file)
{
	struct stat st;

	return !stat(file, &st) && S_ISREG(st.st_mode) && !access(file, X_OK);
}

int program_path(const char *name, char *buf, size_t sz)
{
	const char *path = getenv("PATH"), *p;

	if (strchr(name, '/')) {
		snprintf(buf, sz, "%s", name);
		return executable(name) ? 0 : -ENOENT;
	}
	for (p = path ? path : "/usr/bin:/bin"; *p;) {
		size_t len = strcspn(p, ":");

		snprintf(buf, sz, "%.*s/%s", (int)(len ? len : 1), len ? p : ".", name);
		if (executable(buf))
			return 0;
		p += len + (p[len] == ':');
	}
	return -ENOENT;
}

bool program_installed(const char *name)
{
	char file[4096];

	return !program_path(name, file, sizeof(file));
}

/* The environment with s->env added, later entries replacing earlier ones of the same name. */
static char **env_merge(char *const *add)
{
	size_t n = 0, m = 0, k = 0;
	char **env;

	while (environ[n])
		n++;
	while (add && add[m])
		m++;
	env = calloc(n + m + 1, sizeof(*env));
	if (!env)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		bool replaced = false;

		for (size_t j = 0; j < m && !replaced; j++) {
			size_t len = strcspn(add[j], "=");

			replaced = !strncmp(environ[i], add[j], len) && environ[i][len] == '=';
		}
		if (!replaced)
			env[k++] = environ[i];
	}
	for (size_t j = 0; j < m; j++)
		env[k++] = add[j];
	return env;
}

/* In the child: never returns. An exec failure goes back through errfd as an errno. */
__attribute__((noreturn))
static void child_exec(const struct spawn *s, char **env, int errfd, pid_t parent)
{
	static const int sigs[] = { SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGCHLD };
	sigset_t none;
	int devnull, err;

	setpgid(0, 0);
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) || getppid() != parent)
		_exit(127);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		signal(sigs[i], SIG_DFL);
	devnull = open("/dev/null", O_RDWR);
	if (devnull < 0 || dup2(devnull, 0) < 0 ||
	    dup2(s->out_fd >= 0 ? s->out_fd : devnull, 1) < 0 ||
	    dup2(s->err_fd >= 0 ? s->err_fd : devnull, 2) < 0)
		goto fail;
	/* Every other fd closes at exec, but those the program opens by path. */
	syscall(SYS_close_range, 3, ~0U, CLOSE_RANGE_CLOEXEC);
	for (size_t i = 0; i < s->nr_keep_fds; i++)
		if (s->keep_fds[i] >= 0 && fcntl(s->keep_fds[i], F_SETFD, 0))
			goto fail;
	execvpe(s->argv[0], s->argv, env);
fail:
	err = errno;
	if (write(errfd, &err, sizeof(err)) < 0)
		_exit(127);
	_exit(127);
}

/*
 * Waits until pid exits, the deadline passes or interrupted(): 0, -ETIMEDOUT or -EINTR. A
 * pidfd makes this one blocking poll(); without one (kernel < 5.3), it waits without deadline.
 */
static int wait_exit(pid_t pid, double timeout_s)
{
	int pidfd = syscall(SYS_pidfd_open, pid, 0), err = 0;
	double deadline = clock_now_s() + timeout_s;

	if (pidfd < 0)
		return 0;
	for (;;) {
		struct pollfd pfd = { .fd = pidfd, .events = POLLIN };
		double left = deadline - clock_now_s();
		int n;

		if (left <= 0) {
			err = -ETIMEDOUT;
			break;
		}
		n = poll(&pfd, 1, (int)(left * 1e3) + 1);
		if (n > 0)
			break;
		if (n < 0 && errno != EINTR) {
			err = -errno;
			break;
		}
		if (interrupted()) {
			err = -EINTR;
			break;
		}
	}
	close(pidfd);
	return err;
}

int spawn_run(struct spawn *s)
{
	int errpipe[2] = { -1, -1 }, child_err = 0, err;
	pid_t parent = getpid(), pid;
	char **env;
	ssize_t n;

	s->status = 0;
	env = env_merge(s->env);
	if (!env)
		return -ENOMEM;
	if (pipe2(errpipe, O_CLOEXEC)) {
		err = -errno;
		goto out;
	}
	pid = fork();
	if (pid < 0) {
		err = -errno;
		goto out;
	}
	if (pid == 0)
		child_exec(s, env, errpipe[1], parent);
	setpgid(pid, pid);	/* also here: no window in which the group does not exist */
	close(errpipe[1]);
	errpipe[1] = -1;
	/* The pipe closes at a successful exec; a failed one writes its errno first. */
	do
		n = read(errpipe[0], &child_err, sizeof(child_err));
	while (n < 0 && errno == EINTR);
	err = n == sizeof(child_err) ? -child_err : wait_exit(pid, s->timeout_s);
	/*
	 * Exited or not, nothing of its group may go on: the group's leader is a zombie at most
	 * until reaped below, so its pid (the group id) cannot have been reused.
	 */
	kill(-pid, SIGKILL);
	while (waitpid(pid, &s->status, 0) < 0 && errno == EINTR)
		;
	if (!err && !(WIFEXITED(s->status) && WEXITSTATUS(s->status) == 0))
		err = -ECHILD;
out:
	if (errpipe[0] >= 0)
		close(errpipe[0]);
	if (errpipe[1] >= 0)
		close(errpipe[1]);
	free(env);
	return err;
}

int spawn_capture(struct spawn *s, char **out, size_t *len)
{
	const char *name = strrchr(s->argv[0], '/') ? strrchr(s->argv[0], '/') + 1 : s->argv[0];
	struct stat st;
	int fd, err;

	*out = NULL;
	fd = memfile_new(name, "");
	if (fd < 0)
		return fd;
	s->out_fd = fd;
	err = spawn_run(s);
	if (!err || err == -ECHILD) {
		if (fstat(fd, &st))
			err = err ? err : -errno;
		else if (!(*out = memfile_read(fd)))
			err = err ? err : -EIO;
		else if (len)
			*len = st.st_size;
	}
	close(fd);
	s->out_fd = -1;
	return err;
}

void spawn_describe(const struct spawn *s, int err, int log_fd, char *buf, size_t sz)
{
	const char *prog = s->argv[0];
	char last[256];

	memfile_last_line(log_fd, last, sizeof(last));
	if (err == -ECHILD && WIFEXITED(s->status))
		snprintf(buf, sz, "%s exited with status %d%s%s", prog, WEXITSTATUS(s->status),
			 last[0] ? ": " : "", last);
	else if (err == -ECHILD && WIFSIGNALED(s->status))
		snprintf(buf, sz, "%s was killed by signal %d (%s)", prog, WTERMSIG(s->status),
			 strsignal(WTERMSIG(s->status)));
	else if (err == -ETIMEDOUT)
		snprintf(buf, sz, "%s did not finish within %.0f s: killed", prog, s->timeout_s);
	else if (err == -EINTR)
		snprintf(buf, sz, "%s was stopped: interrupted", prog);
	else
		snprintf(buf, sz, "running %s failed: %s", prog, strerror(-err));
}
