/* SPDX-License-Identifier: GPL-2.0 */
/*
 * 'bpfgauge vmtest --kernel IMAGE': run a suite in a QEMU guest booted on another kernel and
 * bring its result back, a normal result (docs/results-schema.md) whose environment is the
 * guest's, plus environment.guest saying how it ran (docs/vmtest.md).
 */
#ifndef BPFGAUGE_VMTEST_H
#define BPFGAUGE_VMTEST_H

int cmd_vmtest(int argc, char **argv);

#endif
