/* SPDX-License-Identifier: GPL-2.0 */
/*
 * 'bpfgauge vmtest' options and --help.
 *
 *   vmtest_parse_opts(argc, argv, &o)   0; 1 after printing --help; -EINVAL after printing
 *                                       a one-line error
 */
#ifndef BPFGAUGE_VMTEST_OPTS_H
#define BPFGAUGE_VMTEST_OPTS_H

#include <stdbool.h>

struct vmtest_opts {
	const char *kernel;	/* required */
	const char *moddir;	/* NULL: found next to the kernel */
	const char *suite;	/* default "probe" */
	const char *out;	/* NULL: results/SUITE-TIME-vm-RELEASE.json */
	const char *accel;	/* "auto", "kvm" or "tcg" */
	const char *append;	/* more kernel arguments, or NULL */
	unsigned long mem_mib;
	int cpus;
	double timeout_s;
	char args[128];		/* for 'bpfgauge run' in the guest: "--reps N --seconds S" */
	bool verbose;
};

int vmtest_parse_opts(int argc, char **argv, struct vmtest_opts *o);

#endif
