// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>

#include "sysctl.h"

int sysctl_read(const char *name, long *v)
{
	char path[256];
	FILE *f;
	long val;
	int err = 0;

	snprintf(path, sizeof(path), "/proc/sys/%s", name);
	f = fopen(path, "r");
	if (!f)
		return -errno;
	if (fscanf(f, "%ld", &val) == 1)
		*v = val;
	else
		err = -EINVAL;
	fclose(f);
	return err;
}
