/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ringbuf-vs-perfbuf's measurement (ringbuf_session.c), one run at a time:
 *
 *   rb_variants[]   the variants: buffer kind and producer threads
 *   rb_measure(v, w, state, o, hold, &counts, why, sz)   one run of variant v on workload w
 *       (the 'syscall' workload, set up by the caller): attach, produce, drain, count, detach
 *   rb_accounted(&counts, why, sz)   whether every sample is accounted for; why not
 *   ringbuf_bench_count(variant, calls, hold, &counts, why, sz)
 *       attaches the variant's program ("ringbuf-reserve-1p", ... "perfbuf-2p"), has each
 *       producer thread make exactly 'calls' trigger calls, drains the buffer and fills
 *       counts. With 'hold' the consumer reads nothing until the producers are done, so a
 *       run of more calls than the buffer holds must drop. 0, or -errno with 'why' set.
 *
 * The buffers' sizes, for tests that derive what a buffer can hold.
 */
#ifndef BPFGAUGE_RINGBUF_SESSION_H
#define BPFGAUGE_RINGBUF_SESSION_H

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

enum rb_kind { RB_RESERVE, RB_OUTPUT, RB_PERF, RB_NR_KINDS };

struct rb_variant {
	const char *name;
	enum rb_kind kind;
	int producers;
};

#define RB_NR_VARIANTS 6
extern const struct rb_variant rb_variants[RB_NR_VARIANTS];

struct workload;
struct workload_opts;

int rb_measure(const struct rb_variant *v, const struct workload *w, void *state,
	       const struct workload_opts *o, bool hold, struct ringbuf_bench_counts *c,
	       char *why, size_t sz);
bool rb_accounted(const struct ringbuf_bench_counts *c, char *why, size_t sz);
int ringbuf_bench_count(const char *variant, long calls, bool hold,
			struct ringbuf_bench_counts *counts, char *why, size_t sz);

#endif
