/* SPDX-License-Identifier: GPL-2.0 */
/* Shared with user space: the keys of 'bpfgauge profile' (CPU samples and off-CPU time). */
#ifndef BPFGAUGE_PROFILE_H
#define BPFGAUGE_PROFILE_H

#define PROFILE_COMM_LEN 16

/*
 * Samples (CPU) or nanoseconds (off-CPU) are summed per key. A stack id is an id in the
 * stack map or a negative errno: -EFAULT no such stack (a kernel thread's user stack);
 * -EEXIST its bucket in the stack map held another stack, -ENOMEM the map was full: lost.
 */
struct profile_key {
	__u32 pid;			/* tgid */
	__s32 kstack;
	__s32 ustack;
	char comm[PROFILE_COMM_LEN];	/* the thread's name */
};

/* Sent once per (process, name) seen, so that user space reads /proc/PID/maps while the
 * process still exists. */
struct profile_seen {
	__u32 pid;
	char comm[PROFILE_COMM_LEN];
};

#endif
