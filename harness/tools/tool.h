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
 *
 * How a tool declares its options of 'bpfgauge trace TOOL' (besides -d, -p, -c, --json, -v,
 * which every tool has): add the field an option sets to struct trace_opts (a bool for a
 * flag, a const char * for an option with an argument), read it in start(), and list the
 * option in the tool's {}-ended options array with a one-line help:
 *
 *   static const struct tool_option options[] = {
 *           TOOL_FLAG("per-disk", per_disk, "one histogram per disk"),
 *           TOOL_ARG("func", "BINARY:SYMBOL", func, "the function to time"),
 *           {},
 *   };
 *
 *   DEFINE_TOOL(block_latency, .name = "block-latency", .summary = "...", .help = help,
 *               .options = options, .workload = { "fio-randread", .comm = "fio" },
 *               .start = blk_start, .read = blk_read, .stop = tool_session_free);
 *
 * 'bpfgauge trace' builds its getopt table and both --help texts from these (a tool's help
 * prose need not list them) and refuses, in one line with exit 2, an option that the named
 * tool does not declare. .workload names the built-in workload whose operations the tool
 * measures; the tool-overhead benchmark measures the tool there.
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
	/* Set by the tools' own options (struct tool_option); false or NULL when not given. */
	bool by_syscall;	/* syscall-latency --by-syscall */
	bool per_disk;		/* block-latency --per-disk */
	bool queued;		/* block-latency --queued */
	const char *func;	/* func-latency --func BINARY:SYMBOL */
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
	/* With a pid filter: its descendants traced (alive at the start or forked since). */
	unsigned long long descendants;
	unsigned long long descendants_lost;	/* not traced: too many alive at once */
	struct tool_hist *hists;
	size_t nr_hists;
	unsigned long long dropped;	/* events lost because a map was full */
};

#define TOOL_MAX_OPTIONS 16

/*
 * One option of 'bpfgauge trace TOOL' that a tool declares (at most TOOL_MAX_OPTIONS, named
 * unlike those of every tool); made with TOOL_FLAG or TOOL_ARG.
 */
struct tool_option {
	const char *name;	/* long name without the dashes: "per-disk" */
	const char *arg;	/* its argument in help, "BINARY:SYMBOL"; NULL: a flag */
	const char *help;	/* one line */
	/* Where it lands in struct trace_opts: a bool (flag) or a const char * (argument). */
	size_t offset;
};

/* Compiles only when struct trace_opts' field has this type (the kernel's typecheck()). */
#define TOOL_OPT_FIELD(field, type)                                                          \
	(offsetof(struct trace_opts, field) +                                                \
	 0 * sizeof(&((struct trace_opts *)0)->field == (type *)0))
#define TOOL_FLAG(name_, field, help_)                                                       \
	{ .name = name_, .help = help_, .offset = TOOL_OPT_FIELD(field, bool) }
#define TOOL_ARG(name_, arg_, field, help_)                                                  \
	{ .name = name_, .arg = arg_, .help = help_, .offset = TOOL_OPT_FIELD(field, const char *) }

/* The built-in workload whose operations a tool measures (the tool-overhead benchmark's). */
struct tool_workload {
	const char *name;	/* "fio-randread" */
	/* The command of its processes when they exist only during its run ("fio"); or NULL. */
	const char *comm;
	/*
	 * Optional: sets the options that aim the tool at the workload's process o->pid beyond
	 * the pid filter (func-latency: the workload's function). Strings it sets live in buf.
	 * 0, or -errno with why.
	 */
	int (*aim)(struct trace_opts *o, char *buf, size_t bufsz, char *why, size_t sz);
};

struct tool {
	const char *name;
	const char *summary;
	const char *help;	/* what it measures, its hooks and map sizes */
	const struct tool_option *options;	/* its own options, {}-ended; or NULL */
	struct tool_workload workload;
	int (*start)(const struct trace_opts *o, void **state, char *err, size_t errsz);
	int (*read)(void *state, struct tool_report *rep);
	void (*stop)(void *state);
};

extern const struct tool *const tool_registry[];
extern const size_t tool_registry_len;
const struct tool *tool_find(const char *name);
/* The option of that name (without dashes) that tool t declares, or NULL. */
const struct tool_option *tool_option_find(const struct tool *t, const char *name);

void tool_report_release(struct tool_report *rep);
/*
 * The status of a measurement that needed the tool when its start() failed with err:
 * "unsupported" when no method works here (EOPNOTSUPP), the kernel refuses (EPERM) or lacks
 * the call (ENOSYS); "error" otherwise.
 */
const char *tool_start_status(int err);
/* Adds a histogram to the report; returns it (zeroed, labelled) or NULL. */
struct tool_hist *tool_report_add(struct tool_report *rep, const char *label);

/* The descriptor that tools.def's TOOL(id) names, from designated initializers. */
#define DEFINE_TOOL(id, ...) const struct tool tool_##id = { __VA_ARGS__ }

#endif
