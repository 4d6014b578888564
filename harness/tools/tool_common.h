/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What every tool's user-space half shares:
 *   tool_filter_set(...)            fill bpf/tool_filter.bpf.h's tunables from the options
 *   tool_note_add(note, sz, m, why) "tp_btf: load: EPERM; raw_tp: ..." for the report
 */
#ifndef BPFGAUGE_TOOL_COMMON_H
#define BPFGAUGE_TOOL_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

#include "tool.h"

void tool_filter_set(volatile __u32 *tgid, volatile bool *filter_comm, char *comm,
		     const struct trace_opts *o);
void tool_note_add(char *note, size_t sz, const char *method, const char *why);

#endif
