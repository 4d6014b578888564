// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "attach.h"
#include "lib/ftrace.h"
#include "lib/kconfig.h"
#include "method_why.h"

void method_why_explain(const char *method, int err, char *why, size_t sz)
{
	const struct attach_type *t = attach_type_find(method);
	size_t len = strlen(why);

	if (!t)
		return;
	for (const char *const *c = t->configs; *c; c++) {
		if (kconfig_state(*c) == KCONFIG_NOT_SET) {
			snprintf(why + len, sz - len, ", %s is not set", *c);
			return;
		}
	}
	if (t->explain)
		t->explain(err, why, sz);
}

void trampoline_explain(int err, char *why, size_t sz)
{
	size_t len = strlen(why);

	if (err != -EPERM && err != EPERM)
		return;
	if (ftrace_filter_open() == -EPERM)
		snprintf(why + len, sz - len, ", and opening tracefs set_ftrace_filter for writing "
			 "fails with EPERM (likely ftrace function hooks are refused)");
}
