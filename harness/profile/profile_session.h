/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel half of 'bpfgauge profile' (bpf/profile.bpf.c): CPU samples from a perf event
 * on every CPU, or off-CPU time at sched_switch (tp_btf, else raw_tp, else tracepoint).
 *
 *   profile_session_start(s, &cfg, err, sz)   open, configure, load, attach; 0 or -errno
 *                                             with one line in err
 *   profile_session_poll(s, ms)               wait up to ms for processes announced as new
 *                                             and read their /proc/PID/maps
 *   profile_session_stop(s)                   detach; the sums stay readable
 *   profile_session_read(s, f, &st)           the sums as folded stacks: samples, or
 *                                             nanoseconds off-CPU
 *   profile_session_free(s)                   detach and free everything; accepts a zeroed s
 *   profile_max_hz()                          kernel.perf_event_max_sample_rate
 */
#ifndef BPFGAUGE_PROFILE_SESSION_H
#define BPFGAUGE_PROFILE_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <bpf/libbpf.h>

#include "attach/methods.h"
#include "attach/perf_sampler.h"
#include "folded.h"
#include "profile.h"
#include "profile_stacks.h"
#include "tools/proc_tree.h"
#include "usyms.h"

#define PROFILE_MAX_STACKS 16384	/* stack map entries; also the sums */
#define PROFILE_TID_STARTS 16384	/* off-CPU start times when task storage is refused */

struct profile_config {
	bool off_cpu;
	int hz;				/* CPU samples per second on each CPU */
	pid_t pid;			/* 0: every process */
	unsigned long min_block_us;	/* off-CPU */
};

struct profile_session {
	struct profile_bpf *skel;
	struct perf_sampler ps;
	struct bpf_link *links[METHOD_MAX_PROGS];
	struct bpf_link *tree[TREE_NR_PROGS];	/* CPU samples of a pid: its descendants' */
	struct bpf_link *mmap_links[2];	/* CPU: re-reads the maps of a process mapping code */
	char mmap_note[160];		/* why it is not attached; "" when it is */
	struct ring_buffer *rb;
	struct usyms *usyms;
	bool off_cpu;
	int depth;			/* frames a stack */
	int nr_cpus;			/* CPUs sampled */
	const char *method;		/* "cpu-clock", "cycles", "tp_btf", "raw_tp", ... */
	char note[256];			/* why cheaper or better methods were not used */
	unsigned long long dropped;	/* sums not counted: a map was full */
	unsigned long long lost_seen;	/* processes not announced when first seen */
	pid_t pid;			/* 0: every process */
	long seeded;			/* its descendants alive at the start */
	/* Once read: its descendants profiled, and those that were not (too many at once). */
	unsigned long long descendants, descendants_lost;
};

int profile_session_start(struct profile_session *s, const struct profile_config *cfg,
			  char *err, size_t errsz);
void profile_session_poll(struct profile_session *s, int ms);
void profile_session_stop(struct profile_session *s);
int profile_session_read(struct profile_session *s, struct folded *f,
			 struct profile_stacks_stats *st);
void profile_session_free(struct profile_session *s);
long profile_max_hz(void);

#endif
