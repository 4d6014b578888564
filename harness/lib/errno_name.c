// SPDX-License-Identifier: GPL-2.0
#define _GNU_SOURCE
#include <errno.h>
#include <string.h>

#include "errno_name.h"

const char *errno_name(int err)
{
	const char *name;

	if (err < 0)
		err = -err;
	name = strerrorname_np(err);
	return name ? name : "E?";
}

int errno_from_name(const char *name)
{
	/* Linux's errno values are below 4096 (MAX_ERRNO); most below 140. */
	for (int err = 1; err < 4096; err++) {
		const char *n = strerrorname_np(err);

		if (n && !strcmp(n, name))
			return err;
	}
	return 0;
}
