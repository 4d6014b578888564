/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the guest says and sends back (harness/vmtest/vmtest-init.sh): its init's lines on the
 * console ("bpfgauge-vmtest: begin", "end STATUS", "sent BYTES"), amid the kernel's and those
 * of 'bpfgauge run', and the result it sends on ttyS1.
 *
 *   guest_on_line(q, line)             qemu_run's on_line, with a struct guest_state in
 *                                      q->priv: follows the init; passes on the lines of the
 *                                      guest's 'bpfgauge run' (progress and errors to stderr,
 *                                      its table to stdout), every line to stderr when verbose
 *   guest_explain_failure(q, g, err)   why the guest gave no result (err: qemu_run's), from how
 *                                      QEMU ended and what the console says, with its last
 *                                      lines, on stderr
 *   guest_result(path, g)              the result the guest sent, checked: a bpfgauge-run
 *                                      document of the size it announced; NULL, said on stderr
 */
#ifndef BPFGAUGE_GUEST_CONSOLE_H
#define BPFGAUGE_GUEST_CONSOLE_H

#include <stdbool.h>
#include <jansson.h>

#include "qemu.h"

struct guest_state {
	bool verbose, in_run;
	bool init_ran;		/* the guest's init said something */
	int boots;		/* this boot is the n-th of the run */
	int status;		/* of 'bpfgauge run' in the guest; -1: it did not end */
	long sent;		/* bytes of the result sent on ttyS1; -1: none */
};

void guest_on_line(struct qemu_run *q, const char *line);
void guest_explain_failure(const struct qemu_run *q, const struct guest_state *g, int err);
json_t *guest_result(const char *path, const struct guest_state *g);

#endif
