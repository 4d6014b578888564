// SPDX-License-Identifier: GPL-2.0
#include <dirent.h>
#include <errno.h>
#include <stdio.h>

#include "disks.h"

#define SYS_CLASS_BLOCK "/sys/class/block"

int disk_name(unsigned int major, unsigned int minor, char *buf, size_t sz)
{
	DIR *dir = opendir(SYS_CLASS_BLOCK);
	int ret = dir ? -ENOENT : -errno;
	struct dirent *de;

	snprintf(buf, sz, "dev %u:%u", major, minor);
	if (!dir)
		return ret;
	while ((de = readdir(dir))) {
		char path[512];
		unsigned int ma, mi;
		FILE *f;
		int n;

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), SYS_CLASS_BLOCK "/%s/dev", de->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		n = fscanf(f, "%u:%u", &ma, &mi);
		fclose(f);
		if (n == 2 && ma == major && mi == minor) {
			snprintf(buf, sz, "%s", de->d_name);
			ret = 0;
			break;
		}
	}
	closedir(dir);
	return ret;
}
