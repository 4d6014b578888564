// SPDX-License-Identifier: GPL-2.0
#include <dirent.h>
#include <errno.h>
#include <mntent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cgroup.h"

const char *cgroup2_root(void)
{
	static char root[256];
	struct mntent *m;
	FILE *f;

	if (root[0])
		return root;
	f = setmntent("/proc/self/mounts", "r");
	if (!f)
		return NULL;
	while ((m = getmntent(f))) {
		if (!strcmp(m->mnt_type, "cgroup2")) {
			snprintf(root, sizeof(root), "%s", m->mnt_dir);
			break;
		}
	}
	endmntent(f);
	return root[0] ? root : NULL;
}

int cgroup_tmp_new(const char *tag, char *path, size_t sz)
{
	const char *root = cgroup2_root();

	if (!root)
		return -ENOENT;
	snprintf(path, sz, "%s/bpfgauge-%d-%s", root, (int)getpid(), tag);
	if (mkdir(path, 0755))
		return -errno;
	return 0;
}

int cgroup_tmp_remove(const char *path)
{
	return rmdir(path) ? -errno : 0;
}

void cgroup_remove_stale(void)
{
	const char *root = cgroup2_root();
	struct dirent *de;
	char path[512];
	DIR *d;

	if (!root || !(d = opendir(root)))
		return;
	while ((de = readdir(d))) {
		int pid;

		if (sscanf(de->d_name, "bpfgauge-%d-", &pid) != 1)
			continue;
		/* Another bpfgauge still running owns it. */
		if (pid != getpid() && kill(pid, 0) == 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", root, de->d_name);
		if (rmdir(path) == 0)
			fprintf(stderr, "bpfgauge: removed stale cgroup '%s' of an earlier run\n", path);
	}
	closedir(d);
}
