/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Measurement tools: eBPF programs that summarise in the kernel (log2 histograms in per-CPU
 * maps) and hand user space only the summary. A tool is a const descriptor in
 * tools/tools.def; 'bpfgauge trace TOOL' drives it:
 *
 *   start(opts, &state, err)   open, configure, load (trying its attach methods in order of
 *                              cost, losers turned off with autoload), attach. On failure err
 *                              holds one line; -EOPNOTSUPP means no method works here.
 *   read(state, &report)       the summary so far (callable more than once)
 *   stop(state)                detach and free; accepts NULL
 */
#ifndef BPFGAUGE_TOOL_H
#define BPFGAUGE_TOOL_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <linux/types.h>

#include "hist.h"

struct trace_opts {
	pid_t pid;		/* 0: every process */
	const char *comm;	/* NULL: every command */
	bool by_syscall;	/* syscall-latency: one histogram per syscall */
	bool per_disk;		/* block-latency: one histogram per disk */
	bool queued;		/* block-latency: from insert rather than issue */
	const char *func;	/* func-latency: BINARY:SYMBOL */
	unsigned long min_block_us;	/* off-CPU: ignore shorter blocks */
};

struct tool_hist {
	char label[64];		/* "" when the tool has one histogram */
	struct hist h;
};

#define TOOL_MAX_HOOKS 24

struct tool_report {
	char method[64];	/* the attach method that ran, e.g. "tp_btf" */
	/*
	 * Where its programs are attached, as their libbpf sections: "tp_btf/sys_enter",
	 * "tracepoint/syscalls/sys_enter_read", "uprobe" and "uretprobe" (on target). For a
	 * floor of empty programs on the same hooks.
	 */
	char hooks[TOOL_MAX_HOOKS][64];
	size_t nr_hooks;
	char method_note[256];	/* why cheaper methods were not used; "" when none failed */
	char target[PATH_MAX + 256];	/* what was traced, "/usr/bin/bash:readline"; or "" */
	struct tool_hist *hists;
	size_t nr_hists;
	unsigned long long dropped;	/* events lost because a map was full */
};

struct tool {
	const char *name;
	const char *summary;
	const char *help;	/* what it measures, its options and map sizes */
	int (*start)(const struct trace_opts *o, void **state, char *err, size_t errsz);
	int (*read)(void *state, struct tool_report *rep);
	void (*stop)(void *state);
};

extern const struct tool *const tool_registry[];
extern const size_t tool_registry_len;
const struct tool *tool_find(const char *name);

void tool_report_release(struct tool_report *rep);
/* Adds a histogram to the report; returns it (zeroed, labelled) or NULL. */
struct tool_hist *tool_report_add(struct tool_report *rep, const char *label);

#define DEFINE_TOOL(id, name_, summary_, help_, start_, read_, stop_)                        \
	const struct tool tool_##id = {                                                      \
		.name = name_, .summary = summary_, .help = help_, .start = start_,          \
		.read = read_, .stop = stop_,                                                \
	}

#endif
