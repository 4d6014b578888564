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
