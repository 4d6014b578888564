/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The guest's initramfs for 'bpfgauge vmtest': a static busybox, the init script
 * (harness/vmtest/vmtest-init.sh, built into the binary), the bpfgauge binary with the shared
 * libraries it links (as ldd lists them) and the files next to it (workloads/), the suite,
 * the guest kernel's config (as /boot/config-RELEASE, where bpfgauge reads it) and the kernel
 * modules to load. Host files keep their absolute paths, so that the binary finds its suite
 * and workloads as it does on the host.
 *
 *   initramfs_build(&spec, why, sz)   writes spec.path (a new file): 0, or -errno with why
 */
#ifndef BPFGAUGE_INITRAMFS_H
#define BPFGAUGE_INITRAMFS_H

#include <stddef.h>

struct guest_kernel;
struct kmod_set;

struct initramfs_spec {
	const char *path;
	const char *busybox;		/* a static one */
	const char *bpfgauge;		/* absolute */
	const char *suite;		/* absolute */
	const char *args;		/* more arguments for 'bpfgauge run', "" for none */
	const struct guest_kernel *kernel;
	const struct kmod_set *mods;
};

int initramfs_build(const struct initramfs_spec *spec, char *why, size_t sz);

#endif
