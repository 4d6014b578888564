// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ftrace.h"
#include "mounts.h"
#include "sysctl.h"

int ftrace_kprobe_pmu(void)
{
	return access(KPROBE_PMU_PATH "/type", F_OK) ? -errno : 0;
}

/* 0 when the tracefs file exists, else -errno. */
static int tracefs_access(const char *name)
{
	const char *dir;
	char path[256];
	int err = pseudo_fs_ensure(FS_TRACEFS, &dir, NULL);

	if (err)
		return err;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return access(path, F_OK) ? -errno : 0;
}

int ftrace_kprobe_events(void)
{
	return tracefs_access("kprobe_events");
}

int ftrace_filter_open(void)
{
	const char *dir;
	char path[256];
	int fd, err = pseudo_fs_ensure(FS_TRACEFS, &dir, NULL);

	if (err)
		return err;
	snprintf(path, sizeof(path), "%s/set_ftrace_filter", dir);
	/* Without O_TRUNC the kernel keeps the filter; nothing is written. */
	fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

int ftrace_enabled(void)
{
	long v;
	int err = sysctl_read("kernel/ftrace_enabled", &v);

	return err ? err : (int)v;
}

void ftrace_explain_trampoline(int err, char *why, size_t sz)
{
	size_t len = strlen(why);

	if (err != -EPERM && err != EPERM)
		return;
	if (ftrace_filter_open() == -EPERM)
		snprintf(why + len, sz - len, ", and opening tracefs set_ftrace_filter for writing "
			 "fails with EPERM (likely ftrace function hooks are refused)");
}
