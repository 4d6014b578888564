/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ringbuf-vs-perfbuf, one measurement at a time, for tests and by hand:
 *
 *   ringbuf_bench_count(variant, calls, hold, &counts, why, sz)
 *       attaches the variant's program ("ringbuf-reserve-1p", ... "perfbuf-2p"), has each
 *       producer thread make exactly 'calls' trigger calls, drains the buffer and fills
 *       counts. With 'hold' the consumer reads nothing until the producers are done, so a
 *       run of more calls than the buffer holds must drop. 0, or -errno with 'why' set.
 *
 * The buffers' sizes, for tests that derive what a buffer can hold.
 */
#ifndef BPFGAUGE_RINGBUF_VS_PERFBUF_H
#define BPFGAUGE_RINGBUF_VS_PERFBUF_H

#include <stdbool.h>
#include <stddef.h>

#define RB_BENCH_RINGBUF_BYTES (256 * 1024)	/* one ring buffer, shared by every CPU */
#define RB_BENCH_PERFBUF_PAGES 32		/* data pages per CPU (128 KiB with 4 KiB pages) */
#define RB_BENCH_SAMPLE_BYTES 64		/* struct rb_bench_sample */

struct ringbuf_bench_counts {
	unsigned long long calls;	/* trigger calls the producers made */
	unsigned long long seen;	/* calls the BPF program counted for this tgid */
	unsigned long long dropped;	/* samples the kernel could not put in the buffer */
	unsigned long long delivered;	/* samples user space received, drained to the end */
	unsigned long long in_window;	/* of those, received before the producers stopped */
	double seconds;			/* the producers' window */
};

int ringbuf_bench_count(const char *variant, long calls, bool hold,
			struct ringbuf_bench_counts *counts, char *why, size_t sz);

#endif
