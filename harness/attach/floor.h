/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The floor of a tool: empty programs on the hooks its programs are attached to (a
 * tool_report's hooks), one program per hook, attached the way libbpf attaches the tool's
 * own. What the hooks alone cost, without the tool's work. Kinds (bpf/floor.bpf.c):
 *   tp_btf/T, fentry/F, fexit/F     target set before load
 *   raw_tp/T, tracepoint/C/T, kprobe/F, kretprobe/F    attached by name
 *   uprobe, uretprobe               on the report's target (BINARY:SYMBOL), in opts->pid or
 *                                   every process
 *   perf_event                      a sampling event at opts->hz on every CPU (perf_sampler.h)
 * With opts->clock, each program also reads the clock once (the floor+clock of a latency
 * tool). Every attachment is an fd-owned link.
 *
 *   floor_attach(&f, rep, opts, why, sz)   0, or -errno with one line in why (-EOPNOTSUPP:
 *                                          a hook of a kind it has no empty program for)
 *   floor_detach(&f)                       detach and free; accepts a zeroed or detached f
 */
#ifndef BPFGAUGE_FLOOR_H
#define BPFGAUGE_FLOOR_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <bpf/libbpf.h>

#include "perf_sampler.h"
#include "tools/tool.h"

struct floor_opts {
	pid_t pid;		/* uprobes: this process only; 0: every process */
	int hz;			/* perf_event: samples per second on each CPU */
	bool clock;		/* programs that read the clock */
};

struct floor {
	struct floor_bpf *skel;
	struct bpf_link *links[TOOL_MAX_HOOKS];
	struct perf_sampler ps;
};

int floor_attach(struct floor *f, const struct tool_report *rep, const struct floor_opts *o,
		 char *why, size_t sz);
void floor_detach(struct floor *f);

#endif
