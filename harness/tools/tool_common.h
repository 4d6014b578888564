/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What every tool's user-space half shares:
 *   TOOL_FILTER_SET(skel, o)        fill bpf/tool_filter.bpf.h's tunables of a skeleton
 *                                   (before load) from the options: a pid is followed with
 *                                   its descendants (proc_tree.h)
 *   tool_note_add(note, sz, m, why) "tp_btf: load: EPERM; raw_tp: ..." for the report
 */
#ifndef BPFGAUGE_TOOL_COMMON_H
#define BPFGAUGE_TOOL_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>
#include <bpf/libbpf.h>

#include "tool.h"

void tool_filter_set(volatile __u32 *tgid, volatile bool *follow, volatile bool *filter_comm,
		     char *comm, struct bpf_map *tree, const struct trace_opts *o);
#define TOOL_FILTER_SET(skel, o)                                                             \
	tool_filter_set(&(skel)->rodata->target_tgid, &(skel)->rodata->follow_tree,          \
			&(skel)->rodata->filter_comm, (char *)(skel)->rodata->target_comm,   \
			(skel)->maps.tree_tgids, o)
void tool_note_add(char *note, size_t sz, const char *method, const char *why);

#endif
