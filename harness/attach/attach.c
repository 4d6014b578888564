// SPDX-License-Identifier: GPL-2.0
/* The attach-method registry (attach.def). */
#include <string.h>

#include "attach.h"
#include "lib/ftrace.h"
#include "lib/uprobe_target.h"

#define ALIASES(...) { __VA_ARGS__ }
#define CONFIGS(...) { __VA_ARGS__ }
/* Kprobes go through the perf 'kprobe' PMU or tracefs kprobe_events: both need EVENTS. */
#define KPROBE_CONFIGS CONFIGS("CONFIG_KPROBES", "CONFIG_KPROBE_EVENTS")
/* Trampolines find their target in BTF, are JIT-ed, and sit on ftrace's function hooks. */
#define TRAMPOLINE_CONFIGS CONFIGS("CONFIG_DEBUG_INFO_BTF", "CONFIG_BPF_JIT", \
				   "CONFIG_FUNCTION_TRACER")
#define UPROBE_CONFIGS CONFIGS("CONFIG_UPROBES", "CONFIG_UPROBE_EVENTS")
#define KFUNC NULL

const struct attach_type attach_types[NR_ATTACH_TYPES] = {
#define ATTACH(id, aliases_, configs_, floor_, workload_, target_, prog_, explain_)          \
	[ATTACH_##id] = { .name = #id, .kind = ATTACH_##id, .aliases = aliases_,            \
			  .configs = configs_, .floor = floor_,                             \
			  .timed = { workload_, target_, prog_ }, .explain = explain_ },
#include "attach.def"
#undef ATTACH
};

const struct attach_type *attach_type_find(const char *name)
{
	for (size_t i = 0; i < NR_ATTACH_TYPES; i++) {
		const struct attach_type *t = &attach_types[i];

		if (!strcmp(t->name, name))
			return t;
		for (size_t a = 0; a < sizeof(t->aliases) / sizeof(t->aliases[0]) && t->aliases[a];
		     a++)
			if (!strcmp(t->aliases[a], name))
				return t;
	}
	return NULL;
}

bool attach_type_user(const struct attach_type *t)
{
	return t->kind == ATTACH_uprobe || t->kind == ATTACH_uretprobe || t->kind == ATTACH_usdt;
}
