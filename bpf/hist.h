/* SPDX-License-Identifier: GPL-2.0 */
/* Shared with user space: the in-kernel latency histogram (log2 buckets of nanoseconds). */
#ifndef BPFGAUGE_HIST_H
#define BPFGAUGE_HIST_H

#define MAX_SLOTS 64	/* slot i counts values in [2^i, 2^(i+1)); slot 0 also counts 0 */

struct hist {
	__u64 slots[MAX_SLOTS];
	__u64 count;
	__u64 sum;	/* exact sum of the values, for the mean */
	/* Smallest and largest value (exact, but see hist_record_atomic); 0 while count is 0. */
	__u64 min, max;
};

#endif
