// SPDX-License-Identifier: GPL-2.0
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/close_range.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "lib/clock.h"
#include "lib/interrupt.h"
#include "lib/spawn.h"
#include "qemu.h"

#define QEMU_PROG "qemu-system-x86_64"

int qemu_find(char *path, size_t sz, char *version, size_t vsz)
{
	char *argv[] = { QEMU_PROG, "--version", NULL }, *text, *v;
	struct spawn s = { .argv = argv, .err_fd = -1, .timeout_s = 30 };
	int err;

	if (program_path(QEMU_PROG, path, sz))
		return -ENOENT;
	err = spawn_capture(&s, &text, NULL);
	if (err) {
		free(text);
		return err;
	}
	/* "QEMU emulator version 7.2.22 (Debian 1:7.2+dfsg-7+deb12u18+b3)\n..." */
	v = strstr(text, "version ");
	snprintf(version, vsz, "%.*s", v ? (int)strcspn(v + 8, "\n") : 0, v ? v + 8 : "");
	free(text);
	return 0;
}

bool qemu_kvm_usable(void)
{
	int fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);

	if (fd < 0)
		return false;
	close(fd);
	return true;
}

/* Splits what arrived into lines for the console and on_line; a partial line waits. */
static void take_output(struct qemu_run *q, struct strbuf *partial, const char *data, size_t n)
{
	size_t start = 0;

	strbuf_add(partial, data, n);
	strbuf_add(&q->console, data, n);
	if (partial->failed)
		return;
	for (size_t i = 0; i < partial->len; i++) {
		if (partial->buf[i] != '\n')
			continue;
		partial->buf[i] = '\0';
		if (i > start && partial->buf[i - 1] == '\r')
			partial->buf[i - 1] = '\0';
		/*
		 * Nested under another hypervisor, KVM may fail to emulate an instruction of the
		 * guest (seen: cmpxchg16b, "Suberror: 1 ... emulation failure"); QEMU then stops
		 * the guest, which would hang until the deadline.
		 */
		if (!strncmp(partial->buf + start, "KVM internal error", 18))
			q->kvm_failed = true;
		else if (strncmp(partial->buf + start, "qemu-system-x86_64:", 19))
			q->booted = true;
		if (q->on_line)
			q->on_line(q, partial->buf + start);
		start = i + 1;
	}
	memmove(partial->buf, partial->buf + start, partial->len - start);
	partial->len -= start;
}

__attribute__((noreturn))
static void child_exec(char **argv, int out, pid_t parent)
{
	int devnull = open("/dev/null", O_RDONLY);

	setpgid(0, 0);
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) || getppid() != parent)
		_exit(127);
	signal(SIGPIPE, SIG_DFL);
	if (devnull < 0 || dup2(devnull, 0) < 0 || dup2(out, 1) < 0 || dup2(out, 2) < 0)
		_exit(127);
	syscall(SYS_close_range, 3, ~0U, CLOSE_RANGE_CLOEXEC);
	execv(argv[0], argv);
	dprintf(2, "%s: cannot run: %s\n", argv[0], strerror(errno));
	_exit(127);
}

int qemu_run(struct qemu_run *q)
{
	char accel[32], cpu[16], smp[16], mem[32], serial1[4200], buf[4096];
	char *argv[] = { (char *)q->qemu, "-name", "bpfgauge-vmtest", "-accel", accel,
			 "-cpu", cpu, "-smp", smp, "-m", mem, "-nodefaults", "-display", "none",
			 "-no-reboot", "-serial", "stdio", "-serial", serial1,
			 "-kernel", (char *)q->kernel, "-initrd", (char *)q->initrd,
			 "-append", (char *)q->append, NULL };
	struct strbuf partial = STRBUF_INIT;
	int pipefd[2], err = 0;
	double start = clock_now_s(), deadline = start + q->timeout_s;
	pid_t parent = getpid(), pid;

	snprintf(accel, sizeof(accel), "%s", q->accel);
	snprintf(cpu, sizeof(cpu), "%s", strcmp(q->accel, "kvm") ? "max" : "host");
	snprintf(smp, sizeof(smp), "%d", q->cpus);
	snprintf(mem, sizeof(mem), "%luM", q->mem_mib);
	snprintf(serial1, sizeof(serial1), "file:%s", q->serial_file);
	q->status = 0;
	q->booted = q->kvm_failed = false;
	if (pipe2(pipefd, O_CLOEXEC))
		return -errno;
	pid = fork();
	if (pid < 0) {
		err = -errno;
		close(pipefd[0]);
		close(pipefd[1]);
		return err;
	}
	if (pid == 0)
		child_exec(argv, pipefd[1], parent);
	setpgid(pid, pid);
	close(pipefd[1]);
	for (;;) {
		struct pollfd pfd = { .fd = pipefd[0], .events = POLLIN };
		double left = deadline - clock_now_s();
		ssize_t n;

		if (interrupted()) {
			err = -EINTR;
			break;
		}
		if (q->kvm_failed) {
			err = -EFAULT;
			break;
		}
		if (left <= 0) {
			err = -ETIMEDOUT;
			break;
		}
		n = poll(&pfd, 1, left > 1 ? 1000 : (int)(left * 1e3) + 1);
		if (n < 0 && errno != EINTR) {
			err = -errno;
			break;
		}
		if (n <= 0)
			continue;
		n = read(pipefd[0], buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;		/* QEMU closed its output: it is exiting */
		take_output(q, &partial, buf, n);
	}
	if (partial.len)
		take_output(q, &partial, "\n", 1);
	/* The group leader is a zombie at most until reaped: the group id cannot be reused. */
	kill(-pid, SIGKILL);
	while (waitpid(pid, &q->status, 0) < 0 && errno == EINTR)
		;
	close(pipefd[0]);
	strbuf_release(&partial);
	q->seconds = clock_now_s() - start;
	if (!err && !(WIFEXITED(q->status) && WEXITSTATUS(q->status) == 0))
		err = -ECHILD;
	return err;
}

void qemu_message(const struct qemu_run *q, char *buf, size_t sz)
{
	const char *p = q->console.len ? strstr(q->console.buf, "qemu-system-x86_64: ") : NULL;

	snprintf(buf, sz, "%.*s", p ? (int)strcspn(p, "\r\n") : 0, p ? p : "");
}

void qemu_tail(const struct qemu_run *q, int n, FILE *out)
{
	const char *p = q->console.buf, *end = p + q->console.len, *ring[64];
	size_t count = 0, want = n < 1 ? 1 : n > 64 ? 64 : n;

	if (!q->console.len) {
		fprintf(out, "    (no output)\n");
		return;
	}
	while (p < end) {
		ring[count++ % want] = p;
		p = memchr(p, '\n', end - p);
		p = p ? p + 1 : end;
	}
	for (size_t i = count > want ? count - want : 0; i < count; i++) {
		const char *l = ring[i % want];
		size_t len = strcspn(l, "\n");

		if (len && l[len - 1] == '\r')
			len--;
		fprintf(out, "    %.*s\n", (int)len, l);
	}
}

void qemu_release(struct qemu_run *q)
{
	strbuf_release(&q->console);
}
