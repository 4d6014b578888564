/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Adding a value to a struct hist (hist.h) in BPF programs:
 *   hist_record(h, delta)          slot log2(delta) (the last slot also holds larger values),
 *                                  count, sum, min and max, with plain adds
 *   hist_record_atomic(h, delta)   the same with atomic adds, for programs that two threads
 *                                  may run interleaved on one CPU (uprobes); there min and
 *                                  max are plain stores (BPF has no atomic min before
 *                                  -mcpu=v3): two threads interleaved inside their few
 *                                  instructions can leave the other's value, so that a
 *                                  min may be above the true one (func-latency's --help)
 *   HIST_PERCPU_ARRAY(name, nr)    defines a per-CPU array map of nr histograms
 */
#ifndef BPFGAUGE_HIST_BPF_H
#define BPFGAUGE_HIST_BPF_H

#include "bits.bpf.h"
#include "hist.h"

#define HIST_PERCPU_ARRAY(name, nr)                                                          \
	struct {                                                                             \
		__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);                                     \
		__uint(max_entries, nr);                                                     \
		__type(key, __u32);                                                          \
		__type(value, struct hist);                                                  \
	} name SEC(".maps")

static __always_inline __u32 hist_slot(__u64 delta)
{
	__u32 slot = log2_u64(delta);

	if (slot >= MAX_SLOTS)
		slot = MAX_SLOTS - 1;
	return slot;
}

/* Before count grows: the first value is both. */
static __always_inline void hist_min_max(struct hist *h, __u64 delta)
{
	if (!h->count || delta < h->min)
		h->min = delta;
	if (delta > h->max)
		h->max = delta;
}

static __always_inline void hist_record(struct hist *h, __u64 delta)
{
	__u32 slot = hist_slot(delta);

	hist_min_max(h, delta);
	h->slots[slot]++;
	h->count++;
	h->sum += delta;
}

static __always_inline void hist_record_atomic(struct hist *h, __u64 delta)
{
	__u32 slot = hist_slot(delta);

	hist_min_max(h, delta);
	__sync_fetch_and_add(&h->slots[slot], 1);
	__sync_fetch_and_add(&h->count, 1);
	__sync_fetch_and_add(&h->sum, delta);
}

#endif
