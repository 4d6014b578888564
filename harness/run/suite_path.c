// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "suite_path.h"

int suite_path(const char *name, char *buf, size_t sz)
{
	char exe[512], *slash;
	ssize_t n;

	if (strchr(name, '/') || strstr(name, ".suite")) {
		snprintf(buf, sz, "%s", name);
		return access(buf, R_OK) ? -errno : 0;
	}
	snprintf(buf, sz, "suites/%s.suite", name);
	if (!access(buf, R_OK))
		return 0;
	/* Next to the binary: build/bpfgauge -> suites/ of its tree. */
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		exe[n] = '\0';
		slash = strrchr(exe, '/');
		if (slash) {
			*slash = '\0';
			snprintf(buf, sz, "%s/../suites/%s.suite", exe, name);
			if (!access(buf, R_OK))
				return 0;
		}
	}
	snprintf(buf, sz, "suites/%s.suite", name);
	return -ENOENT;
}
