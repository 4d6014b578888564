// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <glob.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "debian_kernel.h"
#include "lib/spawn.h"

/* Fetching and unpacking some 40 MB, on a slow mirror. */
#define FETCH_TIMEOUT_S 900

bool debian_kernel_is(const char *spec)
{
	return !strncmp(spec, DEBIAN_KERNEL_PREFIX, strlen(DEBIAN_KERNEL_PREFIX));
}

/* The source tree the binary was built in: build/bpfgauge -> its parent's parent. */
static int source_tree(char *buf, size_t sz)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	char *slash;

	if (n < 0)
		return -errno;
	exe[n] = '\0';
	slash = strrchr(exe, '/');
	if (!slash)
		return -ENOENT;
	*slash = '\0';
	return snprintf(buf, sz, "%s/..", exe) < (int)sz ? 0 : -ENAMETOOLONG;
}

/* SUITE:PACKAGE from debian:SUITE[:PACKAGE]; -EINVAL when SUITE is not a suite's name. */
static int parse(const char *spec, char *out, size_t sz)
{
	const char *suite = spec + strlen(DEBIAN_KERNEL_PREFIX), *colon = strchr(suite, ':');
	size_t len = colon ? (size_t)(colon - suite) : strlen(suite);

	if (!len || strspn(suite, "abcdefghijklmnopqrstuvwxyz0123456789-") != len)
		return -EINVAL;
	if (colon && (!colon[1] || strchr(colon + 1, '/')))
		return -EINVAL;
	snprintf(out, sz, "%.*s:%s", (int)len, suite, colon ? colon + 1 : DEBIAN_KERNEL_DEFAULT);
	return 0;
}

int debian_kernel_fetch(const char *spec, char *image, size_t sz, char *err, size_t errsz)
{
	char tree[PATH_MAX + 8], script[PATH_MAX + 32], dest[PATH_MAX + 32], what[256], *out = NULL;
	struct spawn s = { .out_fd = -1, .err_fd = STDERR_FILENO, .timeout_s = FETCH_TIMEOUT_S };
	glob_t g;
	int ret;

	if (parse(spec, what, sizeof(what))) {
		snprintf(err, errsz, "'%s' is not debian:SUITE[:PACKAGE] (e.g. debian:sid, "
			 "debian:trixie-backports, debian:bookworm:linux-image-6.1.0-57-cloud-amd64)",
			 spec);
		return -EINVAL;
	}
	ret = source_tree(tree, sizeof(tree));
	snprintf(script, sizeof(script), "%s/ci/fetch-kernel.sh", tree);
	if (ret || access(script, R_OK)) {
		snprintf(err, errsz, "no ci/fetch-kernel.sh in the tree this bpfgauge was built in "
			 "(%s): debian: kernels are fetched with it", tree);
		return -ENOENT;
	}
	snprintf(dest, sizeof(dest), "%s/build/kernels", tree);
	s.argv = (char *const[]){ "bash", script, what, dest, NULL };
	ret = spawn_capture(&s, &out, NULL);
	if (ret) {
		snprintf(err, errsz, "ci/fetch-kernel.sh %s failed (%s)", what,
			 ret == -ECHILD ? "see above" : strerror(-ret));
		free(out);
		return ret;
	}
	out[strcspn(out, "\n")] = '\0';
	snprintf(dest, sizeof(dest), "%s/boot/vmlinuz-*", out);
	free(out);
	if (glob(dest, 0, NULL, &g) || g.gl_pathc < 1) {
		snprintf(err, errsz, "no %s after fetching %s", dest, what);
		return -ENOENT;
	}
	snprintf(image, sz, "%s", g.gl_pathv[0]);
	globfree(&g);
	return 0;
}
