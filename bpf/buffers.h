/* SPDX-License-Identifier: GPL-2.0 */
/* Shared with user space: the events ringbuf.bpf.c and perfbuf.bpf.c send. */
#ifndef BPFGAUGE_BUFFERS_H
#define BPFGAUGE_BUFFERS_H

enum buf_variant {
	BUF_RESERVE = 1,	/* bpf_ringbuf_reserve() + bpf_ringbuf_submit() */
	BUF_OUTPUT = 2,		/* bpf_ringbuf_output() */
	BUF_PERF_OUTPUT = 3,	/* bpf_perf_event_output() */
};

struct buf_event {
	__u64 seq;		/* matching calls seen before this one */
	__u32 pid;		/* tgid */
	__u32 tid;
	__u32 cpu;		/* where the program ran */
	__u32 variant;		/* enum buf_variant */
};

#endif
