// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fileio.h"

static void dir_of(const char *path, char *dir, size_t sz)
{
	char tmp[4096];

	snprintf(tmp, sizeof(tmp), "%s", path);
	snprintf(dir, sz, "%s", dirname(tmp));
}

int file_check_new(const char *path)
{
	char dir[4096];

	if (!path[0])
		return -ENOENT;
	if (access(path, F_OK) == 0)
		return -EEXIST;
	dir_of(path, dir, sizeof(dir));
	if (access(dir, W_OK | X_OK))
		return -errno;
	return 0;
}

int file_write_new(const char *path, const char *data, size_t len)
{
	char dir[4096], tmp[4096 + 32];
	int fd, err = 0;
	size_t off = 0;

	dir_of(path, dir, sizeof(dir));
	snprintf(tmp, sizeof(tmp), "%s/.bpfgauge-tmp-XXXXXX", dir);
	fd = mkstemp(tmp);
	if (fd < 0)
		return -errno;
	while (off < len) {
		ssize_t n = write(fd, data + off, len - off);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			err = -errno;
			goto cleanup;
		}
		off += n;
	}
	if (fchmod(fd, 0644) || fsync(fd)) {
		err = -errno;
		goto cleanup;
	}
	/* link() fails with EEXIST instead of replacing: nothing is ever overwritten. */
	if (link(tmp, path))
		err = -errno;
cleanup:
	close(fd);
	unlink(tmp);
	return err;
}
