// SPDX-License-Identifier: GPL-2.0
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include "errno_name.h"
#include "memfile.h"

int memfile_new(const char *name, const char *text)
{
	size_t len = strlen(text), off = 0;
	int fd = memfd_create(name, MFD_CLOEXEC), err;

	if (fd < 0)
		return -errno;
	while (off < len) {
		ssize_t n = write(fd, text + off, len - off);

		if (n < 0) {
			err = -errno;
			close(fd);
			return err;
		}
		off += n;
	}
	return fd;
}

void memfile_path(int fd, char *buf, size_t sz)
{
	snprintf(buf, sz, "/proc/self/fd/%d", fd);
}

int memjob_open(struct memjob *j, const char *prog, const char *text, char *what, size_t sz)
{
	char name[64];
	int err;

	snprintf(name, sizeof(name), "%s-job", prog);
	j->job_fd = memfile_new(name, text);
	snprintf(name, sizeof(name), "%s-out", prog);
	j->out_fd = memfile_new(name, "");
	snprintf(name, sizeof(name), "%s-log", prog);
	j->log_fd = memfile_new(name, "");
	if (j->job_fd < 0 || j->out_fd < 0 || j->log_fd < 0) {
		err = j->job_fd < 0 ? j->job_fd : j->out_fd < 0 ? j->out_fd : j->log_fd;
		snprintf(what, sz, "memfd_create() failed: %s", errno_name(err));
		memjob_close(j);
		return err;
	}
	memfile_path(j->job_fd, j->job_path, sizeof(j->job_path));
	memfile_path(j->out_fd, j->out_path, sizeof(j->out_path));
	return 0;
}

void memjob_close(struct memjob *j)
{
	int *fds[] = { &j->job_fd, &j->out_fd, &j->log_fd };

	for (size_t i = 0; i < sizeof(fds) / sizeof(fds[0]); i++) {
		if (*fds[i] >= 0)
			close(*fds[i]);
		*fds[i] = -1;
	}
}

char *memfile_read(int fd)
{
	struct stat st;
	size_t off = 0;
	char *buf;

	if (fstat(fd, &st))
		return NULL;
	buf = malloc(st.st_size + 1);
	if (!buf)
		return NULL;
	while (off < (size_t)st.st_size) {
		ssize_t n = pread(fd, buf + off, st.st_size - off, off);

		if (n <= 0) {
			free(buf);
			return NULL;
		}
		off += n;
	}
	buf[off] = '\0';
	return buf;
}

void memfile_last_line(int fd, char *buf, size_t sz)
{
	char *text = memfile_read(fd), *end, *start;

	buf[0] = '\0';
	if (!text)
		return;
	end = text + strlen(text);
	while (end > text && (end[-1] == '\n' || end[-1] == ' '))
		*--end = '\0';
	start = strrchr(text, '\n');
	snprintf(buf, sz, "%s", start ? start + 1 : text);
	free(text);
}
