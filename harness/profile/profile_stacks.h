/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The profile's kernel maps turned into folded stacks: each (pid, kernel stack, user stack,
 * comm) sum becomes "comm;user frames;kernel frames" root first. Kernel addresses are named
 * through /proc/kallsyms, user addresses through the process's mappings (usyms.h).
 *
 *   profile_stacks_read(counts_fd, stacks_fd, depth, at_tracepoint, usyms, f, &st)
 *       0 or -errno. at_tracepoint: the kernel stacks were taken by a BPF program at a
 *       tracepoint; its own frames (and the tracepoint's) at the leaf are left out.
 *       A user leaf that had not set up its frame pointer (usyms_leaf_frame) gets
 *       PROFILE_MISSING_CALLER below it: the frame-pointer walk skipped its caller.
 */
#ifndef BPFGAUGE_PROFILE_STACKS_H
#define BPFGAUGE_PROFILE_STACKS_H

#include <stdbool.h>

#include "folded.h"
#include "usyms.h"

#define PROFILE_MISSING_CALLER "[missing caller]"

struct profile_stacks_stats {
	unsigned long keys;		/* entries read from the counts map */
	unsigned long lost;		/* keys with a stack the full stacks map could not keep */
	unsigned long no_stack;		/* keys with neither a kernel nor a user stack */
	bool no_ksyms;			/* /proc/kallsyms gave no addresses */
	unsigned long missing_caller;	/* keys whose user leaf had no frame: caller skipped */
};

int profile_stacks_read(int counts_fd, int stacks_fd, int depth, bool at_tracepoint,
			struct usyms *usyms, struct folded *f, struct profile_stacks_stats *st);

#endif
