// SPDX-License-Identifier: GPL-2.0
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "userns.h"

static int write_file(const char *path, const char *text)
{
	size_t len = strlen(text);
	int fd = open(path, O_WRONLY | O_CLOEXEC), err = 0;
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, text, len);
	if (n < 0)
		err = -errno;
	else if ((size_t)n != len)
		err = -EIO;
	close(fd);
	return err;
}

int userns_enter_root(const char **step)
{
	char map[64];
	uid_t uid = geteuid();
	gid_t gid = getegid();
	int err;

	*step = "unshare(CLONE_NEWUSER)";
	if (unshare(CLONE_NEWUSER))
		return -errno;
	/* Before gid_map: an unprivileged writer may map its gid only with setgroups denied. */
	*step = "write /proc/self/setgroups";
	err = write_file("/proc/self/setgroups", "deny");
	if (err && err != -ENOENT)
		return err;
	*step = "write /proc/self/uid_map";
	snprintf(map, sizeof(map), "0 %u 1", (unsigned int)uid);
	err = write_file("/proc/self/uid_map", map);
	if (err)
		return err;
	*step = "write /proc/self/gid_map";
	snprintf(map, sizeof(map), "0 %u 1", (unsigned int)gid);
	return write_file("/proc/self/gid_map", map);
}

int userns_is_initial(void)
{
	unsigned long inside, outside, count;
	FILE *f = fopen("/proc/self/uid_map", "re");
	int lines = 0;

	if (!f)
		return -1;
	while (fscanf(f, "%lu %lu %lu", &inside, &outside, &count) == 3)
		lines++;
	fclose(f);
	return lines == 1 && inside == 0 && outside == 0 && count == 4294967295UL;
}

int userns_chrooted(void)
{
	char line[4096], mnt[4096];
	FILE *f = fopen("/proc/self/mountinfo", "re");
	int root_mounted = 0;

	if (!f)
		return -1;
	/* "ID PARENT MAJ:MIN ROOT MOUNTPOINT ...": mount points are relative to this root. */
	while (!root_mounted && fgets(line, sizeof(line), f))
		root_mounted = sscanf(line, "%*s %*s %*s %*s %4095s", mnt) == 1 && !strcmp(mnt, "/");
	fclose(f);
	return !root_mounted;
}
