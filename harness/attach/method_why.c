// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "lib/ftrace.h"
#include "lib/kconfig.h"
#include "method_why.h"

struct method_needs {
	const char *method;
	const char *configs[4];	/* NULL-terminated */
};

static const struct method_needs needs[] = {
	{ "fentry", { "CONFIG_BPF_JIT", "CONFIG_FUNCTION_TRACER",
		      "CONFIG_DYNAMIC_FTRACE_WITH_DIRECT_CALLS" } },
	{ "kprobe", { "CONFIG_KPROBES", "CONFIG_KPROBE_EVENTS" } },
	{ "tp_btf", { "CONFIG_DEBUG_INFO_BTF" } },
	{ "tracepoint", { "CONFIG_TRACEPOINTS" } },
};

void method_why_explain(const char *method, int err, char *why, size_t sz)
{
	size_t len = strlen(why);
	int ferr;

	for (size_t i = 0; i < sizeof(needs) / sizeof(needs[0]); i++) {
		if (strcmp(needs[i].method, method))
			continue;
		for (const char *const *c = needs[i].configs; *c; c++) {
			if (kconfig_state(*c) == KCONFIG_NOT_SET) {
				snprintf(why + len, sz - len, ", %s is not set", *c);
				return;
			}
		}
	}
	if (strcmp(method, "fentry") || (err != -EPERM && err != EPERM))
		return;
	ferr = ftrace_filter_open();
	if (ferr == -EPERM)
		snprintf(why + len, sz - len, ", and opening tracefs set_ftrace_filter for writing "
			 "fails with EPERM (likely ftrace function hooks are refused)");
}
