// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fileio.h"

static void dir_of(const char *path, char *dir, size_t sz)
{
	char tmp[PATH_MAX];

	snprintf(tmp, sizeof(tmp), "%s", path);
	snprintf(dir, sz, "%s", dirname(tmp));
}

/* path with "-n" before the extension of its base name (r.json: r-2.json); n == 1: path. */
static int name_numbered(const char *path, int n, char *buf, size_t sz)
{
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	const char *dot = strrchr(base, '.');
	int len;

	if (n == 1)
		return snprintf(buf, sz, "%s", path) < (int)sz ? 0 : -ENAMETOOLONG;
	if (!dot || dot == base)
		dot = base + strlen(base);
	len = snprintf(buf, sz, "%.*s-%d%s", (int)(dot - path), path, n, dot);
	return len < (int)sz ? 0 : -ENAMETOOLONG;
}

int file_check_new(const char *path)
{
	char dir[PATH_MAX];
	struct stat st;

	if (!path[0])
		return -ENOENT;
	/* lstat: a dangling symbolic link exists for link() as for anyone else. */
	if (lstat(path, &st) == 0)
		return -EEXIST;
	dir_of(path, dir, sizeof(dir));
	if (access(dir, W_OK | X_OK))
		return -errno;
	return 0;
}

int file_check_output(const char *who, const char *path)
{
	char target[PATH_MAX];
	int err = file_check_new(path);
	ssize_t n;

	if (err == -EEXIST && (n = readlink(path, target, sizeof(target) - 1)) >= 0)
		fprintf(stderr, "%s: cannot write '%s': it exists, as a symbolic link to '%.*s' "
			"(files are never overwritten)\n", who, path, (int)n, target);
	else if (err == -EEXIST)
		fprintf(stderr, "%s: cannot write '%s': it exists (files are never overwritten)\n",
			who, path);
	else if (err)
		fprintf(stderr, "%s: cannot write '%s': %s\n", who, path, strerror(-err));
	return err;
}

/*
 * data in a new file linked to the first free name of path numbered from..to (name_numbered),
 * that name in used; 0 or -errno (the last name's when all were taken).
 */
static int write_numbered(const char *path, int from, int to, const char *data, size_t len,
			  char *used, size_t sz)
{
	char dir[PATH_MAX], tmp[PATH_MAX + 32], name[PATH_MAX];
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
	for (int n = from; n <= to; n++) {
		err = name_numbered(path, n, name, sizeof(name));
		if (!err && link(tmp, name))
			err = -errno;
		if (err != -EEXIST)
			break;
	}
	if (!err && used)
		snprintf(used, sz, "%s", name);
cleanup:
	close(fd);
	unlink(tmp);
	return err;
}

int file_write_new(const char *path, const char *data, size_t len)
{
	return write_numbered(path, 1, 1, data, len, NULL, 0);
}

int file_save(const char *who, const char *path, unsigned int flags, const char *data,
	      size_t len, char *saved, size_t sz)
{
	const char *tmpdir = getenv("TMPDIR"), *base = strrchr(path, '/');
	char fallback[PATH_MAX];
	int err, err2;

	err = write_numbered(path, 1, flags & FILE_SAVE_ANY_NAME ? FILE_SAVE_TRIES : 1, data, len,
			     saved, sz);
	if (!err)
		return 0;
	/* The data is kept all the same: next to path when path was taken, else in $TMPDIR. */
	err2 = err;
	if (err == -EEXIST && !(flags & FILE_SAVE_ANY_NAME))
		err2 = write_numbered(path, 2, FILE_SAVE_TRIES, data, len, saved, sz);
	if (err2) {
		snprintf(fallback, sizeof(fallback), "%s/%s", tmpdir && tmpdir[0] ? tmpdir : "/tmp",
			 base ? base + 1 : path);
		err2 = write_numbered(fallback, 1, FILE_SAVE_TRIES, data, len, saved, sz);
	}
	if (err2) {
		fprintf(stderr, "%s: cannot write '%s': %s; nor '%s': %s: the data is lost\n", who,
			path, strerror(-err), fallback, strerror(-err2));
		if (sz)
			saved[0] = '\0';
	} else {
		fprintf(stderr, "%s: cannot write '%s': %s%s; saved to '%s' instead\n", who, path,
			strerror(-err), err == -EEXIST ? " (files are never overwritten)" : "",
			saved);
	}
	return err;
}

int file_read_all(const char *path, size_t max, char **data, size_t *len)
{
	size_t cap = 0, n = 0;
	char *buf = NULL;
	struct stat st;
	int fd, err = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st)) {
		err = -errno;
		goto cleanup;
	}
	if (S_ISDIR(st.st_mode)) {
		err = -EISDIR;
		goto cleanup;
	}
	/* A regular file says its size; a pipe or a /proc file (size 0) is read up to max. */
	if (max && S_ISREG(st.st_mode) && (size_t)st.st_size > max) {
		err = -EFBIG;
		goto cleanup;
	}
	for (;;) {
		ssize_t got;

		if (cap - n < 4096) {
			size_t more = cap ? cap * 2 : 65536;
			char *tmp = realloc(buf, more + 1);

			if (!tmp) {
				err = -ENOMEM;
				goto cleanup;
			}
			buf = tmp;
			cap = more;
		}
		got = read(fd, buf + n, cap - n);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			err = -errno;
			goto cleanup;
		}
		if (!got)
			break;
		n += got;
		if (max && n > max) {
			err = -EFBIG;
			goto cleanup;
		}
	}
	buf[n] = '\0';
	*data = buf;
	*len = n;
	buf = NULL;
cleanup:
	free(buf);
	close(fd);
	return err;
}
