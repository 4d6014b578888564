// SPDX-License-Identifier: GPL-2.0
/*
 * file-read: pread() of 4 KiB at a time from a cached file in opts->workdir, in this process;
 * one operation is one pread (one vfs_read() in the kernel). setup writes the file, syncs it
 * (no writeback during the runs) and reads it once, so that every page is cached; the runs
 * cycle through its pages.
 *
 * The file (in /tmp without a workdir) is unlinked as soon as it is open: from then on it has
 * no name, so that not even a killed run leaves it behind; teardown closes it, which frees
 * it. Its FILE_READ_SIZE bytes in the page cache are all the memory the workload holds.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "workload.h"
#include "workload_util.h"

#define FILE_READ_BLOCK 4096
#define FILE_READ_PAGES 16
#define FILE_READ_SIZE (FILE_READ_BLOCK * FILE_READ_PAGES)
#define FILE_READ_DEFAULT_DIR "/tmp"	/* without opts->workdir */

struct file_read {
	int fd;
	unsigned int next;	/* the page the next read starts at */
	char buf[FILE_READ_BLOCK] __attribute__((aligned(64)));
};

/* After a short or failed write/read of n bytes: -errno (or -EIO), and why. */
static int io_error(const char *what, ssize_t n, char *why, size_t sz)
{
	int err = n < 0 ? -errno : -EIO;

	snprintf(why, sz, "%s the file-read workload's file: %s", what,
		 n < 0 ? strerror(-err) : "short transfer or wrong data");
	return err;
}

static int fill(struct file_read *s, char *why, size_t sz)
{
	ssize_t n;

	for (int i = 0; i < FILE_READ_PAGES; i++) {
		memset(s->buf, 'a' + i, sizeof(s->buf));
		n = pwrite(s->fd, s->buf, sizeof(s->buf), (off_t)i * FILE_READ_BLOCK);
		if (n != FILE_READ_BLOCK)
			return io_error("write", n, why, sz);
	}
	if (fsync(s->fd))
		return io_error("sync", -1, why, sz);
	for (int i = 0; i < FILE_READ_PAGES; i++) {
		n = pread(s->fd, s->buf, sizeof(s->buf), (off_t)i * FILE_READ_BLOCK);
		if (n != FILE_READ_BLOCK || s->buf[FILE_READ_BLOCK - 1] != 'a' + i)
			return io_error("read back", n, why, sz);
	}
	return 0;
}

static int file_read_setup(const struct workload_opts *o, void **state, char *why, size_t sz)
{
	const char *dir = o->workdir ? o->workdir : FILE_READ_DEFAULT_DIR;
	char path[PATH_MAX];
	struct file_read *s;
	int err;

	*state = NULL;
	s = aligned_alloc(64, sizeof(*s));
	if (!s)
		return -ENOMEM;
	memset(s, 0, sizeof(*s));
	snprintf(path, sizeof(path), "%s/bpfgauge-file-read.XXXXXX", dir);
	s->fd = mkostemp(path, O_CLOEXEC);
	if (s->fd < 0) {
		err = -errno;
		snprintf(why, sz, "create a file in '%s': %s", dir, strerror(errno));
		free(s);
		return err;
	}
	unlink(path);
	err = fill(s, why, sz);
	if (err) {
		close(s->fd);
		free(s);
		return err;
	}
	*state = s;
	return 0;
}

static int file_read_run(void *state, const struct workload_opts *o, struct workload_result *r)
{
	struct file_read *s = state;
	struct workload_clock clk;
	long batch = 256, n, i;
	int err = 0;

	workload_clock_start(&clk, o);
	do {
		n = workload_batch(&clk, batch);
		for (i = 0; i < n; i++) {
			off_t off = (off_t)s->next * FILE_READ_BLOCK;

			s->next = (s->next + 1) % FILE_READ_PAGES;
			ssize_t n = pread(s->fd, s->buf, FILE_READ_BLOCK, off);

			if (n != FILE_READ_BLOCK) {
				err = n < 0 ? -errno : -EIO;
				break;
			}
		}
		r->ops += i;
	} while (!err && workload_next(&clk, n, &err));
	workload_clock_stop(&clk, r);
	return err;
}

static void file_read_teardown(void *state)
{
	struct file_read *s = state;

	if (!s)
		return;
	close(s->fd);
	free(s);
}

static pid_t file_read_pid(void *state)
{
	(void)state;
	return 0;
}

DEFINE_WORKLOAD(file_read, "file-read", "pread() of 4 KiB from a cached 64 KiB file in the "
		"work directory, in this process", "sys_enter pread64, vfs_read",
		file_read_setup, file_read_run,
		file_read_teardown, file_read_pid);
