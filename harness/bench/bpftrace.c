// SPDX-License-Identifier: GPL-2.0
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "lib/clock.h"
#include "bpftrace.h"
#include "lib/interrupt.h"

#define READY "bpfgauge: bpftrace ready"
#define START_TIMEOUT_S 30

bool bpftrace_installed(void)
{
	return system("command -v bpftrace >/dev/null 2>&1") == 0;
}

static void __attribute__((noreturn)) child_exec(const char *prog, int out, pid_t parent)
{
	char *text;

	if (prctl(PR_SET_PDEATHSIG, SIGKILL) || getppid() != parent)
		_exit(127);
	if (asprintf(&text, "BEGIN { printf(\"%s\\n\"); } %s", READY, prog) < 0)
		_exit(127);
	dup2(out, STDOUT_FILENO);
	dup2(out, STDERR_FILENO);
	execlp("bpftrace", "bpftrace", "-e", text, (char *)NULL);
	_exit(127);
}

int bpftrace_start(struct bpftrace *bt, const char *prog, char *err, size_t sz)
{
	double deadline = clock_now_s() + START_TIMEOUT_S;
	pid_t parent = getpid();
	char buf[4096];
	size_t len = 0;
	int fds[2], ret;

	memset(bt, 0, sizeof(*bt));
	buf[0] = '\0';
	if (pipe2(fds, O_CLOEXEC)) {
		ret = -errno;
		snprintf(err, sz, "pipe for bpftrace's output: %s", strerror(-ret));
		return ret;
	}
	bt->pid = fork();
	if (bt->pid < 0) {
		ret = -errno;
		bt->pid = 0;
		close(fds[0]);
		close(fds[1]);
		snprintf(err, sz, "fork for bpftrace: %s", strerror(-ret));
		return ret;
	}
	if (bt->pid == 0)
		child_exec(prog, fds[1], parent);
	close(fds[1]);
	bt->out = fds[0];
	while (clock_now_s() < deadline && !interrupted()) {
		struct pollfd p = { .fd = bt->out, .events = POLLIN };
		ssize_t n;

		if (poll(&p, 1, 200) <= 0)
			continue;
		n = read(bt->out, buf + len, sizeof(buf) - 1 - len);
		if (n <= 0)
			break;
		len += n;
		buf[len] = '\0';
		if (strstr(buf, READY "\n"))
			return 0;
		if (len == sizeof(buf) - 1)
			len = 0;
	}
	buf[strcspn(buf, "\n")] = '\0';
	snprintf(err, sz, "bpftrace did not start: %.160s", buf[0] ? buf : interrupted() ?
		 "interrupted" : "no output");
	bpftrace_stop(bt);
	return interrupted() ? -EINTR : -EIO;
}

void bpftrace_stop(struct bpftrace *bt)
{
	double start = clock_now_s(), last_signal = 0;
	char buf[4096];
	bool eof = false;

	if (bt->pid <= 0)
		return;
	for (;;) {
		struct pollfd p = { .fd = bt->out, .events = POLLIN };
		double waited = clock_now_s() - start;
		pid_t r = waitpid(bt->pid, NULL, WNOHANG);

		/* Gone, or not a child of ours any more (reaped elsewhere). */
		if (r == bt->pid || (r < 0 && errno != EINTR))
			break;
		if (clock_now_s() - last_signal > 1) {
			kill(bt->pid, waited > 10 ? SIGKILL : waited > 5 ? SIGTERM : SIGINT);
			last_signal = clock_now_s();
		}
		if (!eof && poll(&p, 1, 100) > 0)
			eof = read(bt->out, buf, sizeof(buf)) <= 0;
		else if (eof)
			usleep(10 * 1000);
	}
	close(bt->out);
	memset(bt, 0, sizeof(*bt));
}
