// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cpio.h"

static void put(struct cpio *c, const void *data, size_t len)
{
	size_t done = 0;

	while (!c->err && done < len) {
		ssize_t n = write(c->fd, (const char *)data + done, len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			c->err = -errno;
		else
			done += n;
	}
	c->off += len;
}

/* newc pads the header + name, and the data, to multiples of 4 bytes. */
static void pad4(struct cpio *c)
{
	static const char zeros[4];

	if (c->off % 4)
		put(c, zeros, 4 - c->off % 4);
}

static void header(struct cpio *c, const char *name, mode_t mode, size_t len)
{
	char h[160];

	/* Sizes are 8 hex digits: newc holds no file of 4 GiB or more. */
	if (len > 0xffffffffUL || strlen(name) >= 4096) {
		c->err = -EFBIG;
		return;
	}
	snprintf(h, sizeof(h), "070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X",
		 (unsigned)++c->ino, (unsigned)mode, 0u, 0u, 1u, 0u, (unsigned)len, 0u, 0u, 0u, 0u,
		 (unsigned)strlen(name) + 1, 0u);
	if (c->err)
		return;
	put(c, h, 110);
	put(c, name, strlen(name) + 1);
	pad4(c);
}

int cpio_open(struct cpio *c, const char *path)
{
	memset(c, 0, sizeof(*c));
	c->fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	return c->fd < 0 ? -errno : 0;
}

static int remember_dir(struct cpio *c, const char *name)
{
	if (c->nr_dirs == CPIO_MAX_DIRS)
		return c->err = -ENOSPC;
	c->dirs[c->nr_dirs] = strdup(name);
	if (!c->dirs[c->nr_dirs])
		return c->err = -ENOMEM;
	c->nr_dirs++;
	return 0;
}

int cpio_add_dir(struct cpio *c, const char *name)
{
	if (c->err || remember_dir(c, name))
		return c->err;
	header(c, name, S_IFDIR | 0755, 0);
	return c->err;
}

int cpio_add_dirs(struct cpio *c, const char *path)
{
	char dir[4096];

	for (const char *p = strchr(path, '/'); p && !c->err; p = strchr(p + 1, '/')) {
		bool known = false;

		snprintf(dir, sizeof(dir), "%.*s", (int)(p - path), path);
		for (size_t i = 0; i < c->nr_dirs && !known; i++)
			known = !strcmp(c->dirs[i], dir);
		if (!known && dir[0])
			cpio_add_dir(c, dir);
	}
	return c->err;
}

int cpio_add_data(struct cpio *c, const char *name, mode_t mode, const void *data, size_t len)
{
	if (c->err)
		return c->err;
	header(c, name, S_IFREG | (mode & 07777), len);
	put(c, data, len);
	pad4(c);
	return c->err;
}

int cpio_add_file(struct cpio *c, const char *name, const char *src)
{
	struct stat st;
	char buf[65536];
	size_t left;
	int fd;

	if (c->err)
		return c->err;
	fd = open(src, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st)) {
		c->err = -errno;
		goto cleanup;
	}
	if (!S_ISREG(st.st_mode)) {
		c->err = -EINVAL;
		goto cleanup;
	}
	header(c, name, S_IFREG | (st.st_mode & 07777), st.st_size);
	for (left = st.st_size; left && !c->err;) {
		ssize_t n = read(fd, buf, left < sizeof(buf) ? left : sizeof(buf));

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			c->err = n < 0 ? -errno : -EIO;	/* shrank while read */
			break;
		}
		put(c, buf, n);
		left -= n;
	}
	pad4(c);
cleanup:
	if (fd >= 0)
		close(fd);
	return c->err;
}

int cpio_close(struct cpio *c)
{
	int err;

	header(c, "TRAILER!!!", 0, 0);
	if (!c->err && fsync(c->fd))
		c->err = -errno;
	if (c->fd >= 0 && close(c->fd) && !c->err)
		c->err = -errno;
	c->fd = -1;
	for (size_t i = 0; i < c->nr_dirs; i++)
		free(c->dirs[i]);
	c->nr_dirs = 0;
	err = c->err;
	return err;
}
