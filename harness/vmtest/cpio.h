/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A cpio archive in the "newc" format, the one the kernel unpacks as an initramfs
 * (Documentation/driver-api/early-userspace/buffer-format.rst), written straight to a file.
 *
 *   cpio_open(&c, path)              a new archive at path: 0 or -errno
 *   cpio_add_dir(&c, name)           a directory (and no parents: add those first)
 *   cpio_add_data(&c, name, mode, data, len)   a regular file with this content
 *   cpio_add_file(&c, name, src)     a copy of the host file src (symlinks followed), mode kept
 *   cpio_add_dirs(&c, path)          every parent directory of path not added yet
 *   cpio_close(&c)                   writes the trailer and closes: 0 or the first -errno
 *
 * Names are archive paths without a leading '/'. After the first error every call does
 * nothing and cpio_close() returns that error.
 */
#ifndef BPFGAUGE_CPIO_H
#define BPFGAUGE_CPIO_H

#include <stddef.h>
#include <sys/types.h>

#define CPIO_MAX_DIRS 256

struct cpio {
	int fd;
	int err;
	unsigned long ino;
	off_t off;
	char *dirs[CPIO_MAX_DIRS];	/* directories added, for cpio_add_dirs() */
	size_t nr_dirs;
};

int cpio_open(struct cpio *c, const char *path);
int cpio_add_dir(struct cpio *c, const char *name);
int cpio_add_data(struct cpio *c, const char *name, mode_t mode, const void *data, size_t len);
int cpio_add_file(struct cpio *c, const char *name, const char *src);
int cpio_add_dirs(struct cpio *c, const char *path);
int cpio_close(struct cpio *c);

#endif
