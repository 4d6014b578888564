// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "guest_kernel.h"

/* Documentation/arch/x86/boot.rst: the setup header of a bzImage. */
#define HDR_MAGIC_OFF	0x202	/* "HdrS" */
#define HDR_VERSION_OFF	0x206	/* boot protocol version, u16 */
#define HDR_KVER_OFF	0x20e	/* kernel_version: offset of the string minus 0x200, u16 */

int guest_kernel_release(const char *image, char *release, size_t rsz, char *version,
			 size_t vsz)
{
	unsigned char hdr[0x210];
	char text[256];
	unsigned kver;
	ssize_t n;
	int fd = open(image, O_RDONLY | O_CLOEXEC), err = 0;

	if (fd < 0)
		return -errno;
	n = pread(fd, hdr, sizeof(hdr), 0);
	if (n != (ssize_t)sizeof(hdr) || memcmp(hdr + HDR_MAGIC_OFF, "HdrS", 4) ||
	    (hdr[HDR_VERSION_OFF] | hdr[HDR_VERSION_OFF + 1] << 8) < 0x200) {
		err = n < 0 ? -errno : -ENOEXEC;
		goto cleanup;
	}
	kver = (hdr[HDR_KVER_OFF] | hdr[HDR_KVER_OFF + 1] << 8) + 0x200;
	n = pread(fd, text, sizeof(text) - 1, kver);
	if (kver == 0x200 || n <= 0) {
		err = -ENOEXEC;
		goto cleanup;
	}
	text[n] = '\0';
	text[strcspn(text, "\n")] = '\0';
	snprintf(version, vsz, "%s", text);
	snprintf(release, rsz, "%.*s", (int)strcspn(text, " "), text);
	if (!release[0])
		err = -ENOEXEC;
cleanup:
	close(fd);
	return err;
}

static void first_readable(char *out, size_t sz, const char *a, const char *b)
{
	if (!access(a, R_OK))
		snprintf(out, sz, "%s", a);
	else if (!access(b, R_OK))
		snprintf(out, sz, "%s", b);
	else
		out[0] = '\0';
}

int guest_kernel_find(const char *image, const char *moddir, struct guest_kernel *k, char *why,
		      size_t sz)
{
	char dir[PATH_MAX], top[PATH_MAX + 8], a[PATH_MAX + 256], b[PATH_MAX + 256];
	char real[PATH_MAX];
	int err;

	memset(k, 0, sizeof(*k));
	if (!realpath(image, k->image)) {
		err = -errno;
		snprintf(why, sz, "cannot read the kernel image '%s': %s", image, strerror(errno));
		return err;
	}
	err = guest_kernel_release(k->image, k->release, sizeof(k->release), k->version,
				   sizeof(k->version));
	if (err) {
		snprintf(why, sz, err == -ENOEXEC ? "'%s' is not an x86 kernel image (bzImage): no "
			 "boot header with a kernel version" : "cannot read the kernel image "
			 "'%s': %s", image, strerror(-err));
		return err;
	}
	snprintf(top, sizeof(top), "%s", k->image);
	snprintf(dir, sizeof(dir), "%s", dirname(top));		/* .../boot */
	snprintf(top, sizeof(top), "%s/..", dir);		/* the package's root */
	if (moddir) {
		snprintf(k->moddir, sizeof(k->moddir), "%s", moddir);
	} else {
		snprintf(a, sizeof(a), "%s/lib/modules/%s", top, k->release);
		snprintf(b, sizeof(b), "/lib/modules/%s", k->release);
		first_readable(k->moddir, sizeof(k->moddir), a, b);
		if (k->moddir[0] && realpath(k->moddir, real))
			memcpy(k->moddir, real, sizeof(k->moddir));
	}
	snprintf(a, sizeof(a), "%s/config-%s", dir, k->release);
	snprintf(b, sizeof(b), "/boot/config-%s", k->release);
	first_readable(k->config, sizeof(k->config), a, b);
	return 0;
}
