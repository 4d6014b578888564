/* SPDX-License-Identifier: GPL-2.0 */
/* Shared with user space: following a traced process's descendants (tool_filter.bpf.h). */
#ifndef BPFGAUGE_TREE_FOLLOW_H
#define BPFGAUGE_TREE_FOLLOW_H

#define TREE_MAX_PROCS 8192	/* descendants alive at one time */

/* Indexes of the tree_counts array. */
enum {
	TREE_ADDED,	/* descendants that joined at fork */
	TREE_LOST,	/* descendants not followed: tree_tgids was full */
	TREE_NR_COUNTS,
};

#endif
