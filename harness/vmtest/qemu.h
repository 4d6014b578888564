/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One QEMU guest, booted from a kernel and an initramfs, run to its end under a deadline.
 * Its console (ttyS0) and QEMU's own messages come back on a pipe, line by line; the guest
 * sends its result on a second serial port (ttyS1) that QEMU writes to a file.
 *
 *   qemu_find(path, sz, version, vsz)   qemu-system-x86_64 in $PATH and its version
 *                                       ("7.2.22 (Debian 1:7.2+dfsg-7)"): 0 or -ENOENT
 *   qemu_kvm_usable()                   /dev/kvm opens read-write (QEMU may fail later still)
 *   qemu_run(&q)                        boots and waits: 0 when QEMU exited 0; -ETIMEDOUT
 *                                       (killed at the deadline), -EINTR (killed because
 *                                       interrupted()), -ECHILD (QEMU exited non-zero or by a
 *                                       signal: q.status), -EFAULT (killed at once because
 *                                       KVM could not run the guest: QEMU printed "KVM
 *                                       internal error" and stopped it), or another -errno
 *   qemu_message(&q, buf, sz)           the first line QEMU itself printed
 *                                       ("qemu-system-x86_64: error: ..."), or ""
 *   qemu_tail(&q, n, out)               the last n lines of the console, indented, to out
 *   qemu_release(&q)
 *
 * QEMU runs in a process group of its own and dies with this process (PR_SET_PDEATHSIG):
 * nothing of it outlives a run, an interrupted one or a killed one.
 */
#ifndef BPFGAUGE_QEMU_H
#define BPFGAUGE_QEMU_H

#include <stdbool.h>
#include <stdio.h>

#include "lib/strbuf.h"

struct qemu_run {
	const char *qemu;		/* from qemu_find() */
	const char *accel;		/* "kvm" or "tcg" */
	const char *kernel, *initrd, *append;
	const char *serial_file;	/* ttyS1 goes there */
	int cpus;
	unsigned long mem_mib;
	double timeout_s;
	/* Called with each console line (no '\n'), as it comes. */
	void (*on_line)(struct qemu_run *q, const char *line);
	void *priv;
	/* Out. */
	struct strbuf console;
	int status;
	bool booted;			/* the guest printed something (QEMU's own lines aside) */
	bool kvm_failed;		/* QEMU said "KVM internal error" */
	double seconds;
};

int qemu_find(char *path, size_t sz, char *version, size_t vsz);
bool qemu_kvm_usable(void);
int qemu_run(struct qemu_run *q);
void qemu_message(const struct qemu_run *q, char *buf, size_t sz);
void qemu_tail(const struct qemu_run *q, int n, FILE *out);
void qemu_release(struct qemu_run *q);

#endif
