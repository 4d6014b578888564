/* SPDX-License-Identifier: GPL-2.0 */
/*
 * 'bpfgauge vmtest' tests, for the test_vmtest_*.c files: its parts against independent tools
 * (kmod's modinfo, the package's own name and config), and the real binary booting the first
 * kernel of ci/kernels.txt (fetched into build/kernels/test by 'make check'). Every test of the
 * vmtest suite has a temporary directory of its own, vmtest_dir, made by the suite's init, with
 * a tmp/ that is the TMPDIR of the runs.
 */
#ifndef BPFGAUGE_TEST_VMTEST_RUN_H
#define BPFGAUGE_TEST_VMTEST_RUN_H

#include <stddef.h>

extern char vmtest_dir[];

/* The test kernel: its image, and its release from the package name (linux-image-RELEASE). */
void test_kernel(char *image, size_t isz, char *release, size_t rsz);
/* Runs bpfgauge vmtest with TMPDIR in the test's directory; output (both streams) in *out. */
int vmtest(const char *args, char **out);
/*
 * vmtest for a test of what runs in the guest: once more when the guest's kernel crashed or
 * hung under emulation (logged); a second crash fails the test as it is. Boot one vCPU.
 */
int vmtest_guest(const char *args, char **out);
/* Asserts that nothing is left behind: no temporary directory, no QEMU started with one. */
void assert_nothing_left(void);

#endif
