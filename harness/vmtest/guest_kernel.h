/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A kernel to boot in a guest, as a distribution package lays it out (Debian's
 * linux-image-*: boot/vmlinuz-RELEASE, boot/config-RELEASE, lib/modules/RELEASE/), extracted
 * anywhere. The release is read from the image itself (the x86 boot header's kernel_version
 * string), not from its file name.
 *
 *   guest_kernel_find(image, moddir, &k, why, sz)   0; -ENOENT/-EACCES (image unreadable) or
 *                        -ENOEXEC (not an x86 bzImage) with why set. moddir NULL: the
 *                        package's lib/modules/RELEASE next to boot/, else /lib/modules/RELEASE;
 *                        k.moddir and k.config are "" when not found.
 *   guest_kernel_release(image, buf, sz)   just the release: 0 or -errno
 */
#ifndef BPFGAUGE_GUEST_KERNEL_H
#define BPFGAUGE_GUEST_KERNEL_H

#include <stddef.h>

struct guest_kernel {
	char image[4096];	/* absolute */
	char release[128];	/* "6.1.0-27-cloud-amd64" */
	char version[256];	/* the whole kernel_version string */
	char moddir[4096];
	char config[4096];
};

int guest_kernel_release(const char *image, char *release, size_t rsz, char *version,
			 size_t vsz);
int guest_kernel_find(const char *image, const char *moddir, struct guest_kernel *k, char *why,
		      size_t sz);

#endif
