/* SPDX-License-Identifier: GPL-2.0 */
/* Shared with user space: the sample ringbuf_bench.bpf.c sends and the counts it keeps. */
#ifndef BPFGAUGE_RINGBUF_BENCH_H
#define BPFGAUGE_RINGBUF_BENCH_H

/* One sample: a fixed 64 bytes, about what a small trace event carries. */
struct rb_bench_sample {
	__u64 ts;		/* bpf_ktime_get_ns() */
	__u32 pid;		/* tgid */
	__u32 tid;
	__u32 cpu;
	__u32 pad;
	__u64 payload[5];	/* a fixed pattern, written like the rest */
};

/* Per CPU, for the filtered calls: how many the program took, how many it could not send. */
struct rb_bench_counts {
	__u64 seen;
	__u64 dropped;		/* reserve or output failed: the buffer was full */
};

#endif
