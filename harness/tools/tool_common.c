// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <string.h>

#include "tool_common.h"

#define TOOL_COMM_LEN 16

void tool_filter_set(volatile __u32 *tgid, volatile bool *follow, volatile bool *filter_comm,
		     char *comm, struct bpf_map *tree, const struct trace_opts *o)
{
	*tgid = o->pid;
	*follow = o->pid != 0;
	if (!o->pid)
		bpf_map__set_max_entries(tree, 1);
	*filter_comm = o->comm != NULL;
	if (o->comm)
		strncpy(comm, o->comm, TOOL_COMM_LEN - 1);
}

void tool_note_add(char *note, size_t sz, const char *method, const char *why)
{
	size_t len = strlen(note);

	snprintf(note + len, sz - len, "%s%s: %s", len ? "; " : "", method, why);
}
