// SPDX-License-Identifier: GPL-2.0
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "kconfig.h"
#include "libbpf_log.h"
#include "reason.h"

const char *errno_name(int err)
{
	const char *name;

	if (err < 0)
		err = -err;
	name = strerrorname_np(err);
	return name ? name : "E?";
}

void check_set_errno(struct check_result *res, enum check_status st, int err, const char *fmt,
		     ...)
{
	char what[CHECK_REASON_MAX / 2];
	va_list ap;

	if (err < 0)
		err = -err;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	check_set(res, st, "%s: %s (%s)", what, errno_name(err), strerror(err));
	check_detail_str(res, "errno", errno_name(err));
}

enum check_status check_explain(struct check_result *res, int err, const char *what,
				const char *const *configs)
{
	const char *last = libbpf_log_last();

	for (; configs && *configs; configs++) {
		if (kconfig_state(*configs) == KCONFIG_NOT_SET) {
			check_set_errno(res, CHECK_UNSUPPORTED, err, "%s", what);
			check_reason_append(res, "%s is not set (%s)", *configs, kconfig_source());
			check_detail_str(res, "missing_config", *configs);
			return CHECK_UNSUPPORTED;
		}
	}
	check_set_errno(res, CHECK_FAIL, err, "%s", what);
	if (last[0]) {
		/* libbpf's own lines carry the prefix already, the verifier's do not. */
		check_reason_append(res, "%s%s", strncmp(last, "libbpf: ", 8) ? "libbpf: " : "",
				    last);
		check_detail_str(res, "log_last_line", last);
	}
	return CHECK_FAIL;
}
