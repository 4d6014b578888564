/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The body of every attach-overhead program: one increment of a per-CPU hit counter, for
 * target_tgid's events only when it is set (the untimed runs that count events per operation).
 * The increment is not atomic: with the filter only the workload's threads increment, and the
 * count of a single-threaded workload is exact; without it, a rare lost hit does not matter.
 */
#ifndef BPFGAUGE_ATTACH_OVERHEAD_BPF_H
#define BPFGAUGE_ATTACH_OVERHEAD_BPF_H

const volatile __u32 target_tgid;

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} hits SEC(".maps");

static __always_inline void hit(void)
{
	__u32 zero = 0;
	__u64 *n;

	/* A constant after load: the verifier drops this test when target_tgid is 0. */
	if (target_tgid && (bpf_get_current_pid_tgid() >> 32) != target_tgid)
		return;
	n = bpf_map_lookup_elem(&hits, &zero);
	if (n)
		(*n)++;
}

#endif
