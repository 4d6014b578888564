/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the kernel counts of a BPF program's runs (BPF_ENABLE_STATS): run count and run time,
 * counted only while a stats fd is open, so they stop when bpfgauge exits (never by leaving
 * kernel.bpf_stats_enabled on).
 *
 *   prog_stats_enable()          the fd that keeps run-time stats on: >= 0, or -errno
 *   prog_stat_read(id, &s, hook)   the program's name, type, tag and counters now, and with
 *                                hook its hook (a walk over every link); 0 or -errno
 *                                (-ENOENT: gone)
 */
#ifndef BPFGAUGE_PROG_STATS_H
#define BPFGAUGE_PROG_STATS_H

#include <stdbool.h>

struct prog_stat {
	unsigned int id;
	char name[16];	      /* as loaded (BPF_OBJ_NAME_LEN) */
	char type[32];	      /* "tracepoint", "raw_tracepoint", "kprobe", ... */
	char hook[160];	      /* where its link attaches it: "raw_tp sys_enter"; or the link
			       * type; "" when no link holds it (perf-event attachment) */
	unsigned char tag[8]; /* the hash of its instructions: tells programs of one name apart */
	unsigned long long run_cnt, run_time_ns;
};

int prog_stats_enable(void);
int prog_stat_read(unsigned int id, struct prog_stat *s, bool hook);

#endif
