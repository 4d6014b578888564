/* SPDX-License-Identifier: GPL-2.0 */
/* Shared with user space: the keys of 'bpfgauge profile' (CPU samples and off-CPU time). */
#ifndef BPFGAUGE_PROFILE_H
#define BPFGAUGE_PROFILE_H

#define PROFILE_COMM_LEN 16
#define PROFILE_MAX_DEPTH 127		/* frames a stack: perf's kernel.perf_event_max_stack */

/*
 * A stack id is the stack's own hash, its key in the stacks map, or one of these. Stacks with
 * the same frames have the same id; two stacks of the same depth that differ in any frame
 * never do (each step of the hash is a bijection), so no stack is counted as another.
 */
enum {
	PROFILE_STACK_NONE,	/* no such stack (a kernel thread's user stack) */
	PROFILE_STACK_LOST,	/* the stacks map was full */
	PROFILE_STACK_FIRST_ID,	/* below: no stack's id */
};

struct profile_stack {
	__u64 ips[PROFILE_MAX_DEPTH];	/* leaf first, 0 after the last */
};

/* Samples (CPU) or nanoseconds (off-CPU) are summed per key. */
struct profile_key {
	__u32 pid;			/* tgid */
	char comm[PROFILE_COMM_LEN];	/* the thread's name */
	__u64 kstack, ustack;
};

/* Sent once per (process, name) seen, so that user space reads /proc/PID/maps while the
 * process still exists. */
struct profile_seen {
	__u32 pid;
	char comm[PROFILE_COMM_LEN];
};

#endif
