/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Timing a workload in short chunks on a shared machine: each chunk is opts->ops operations
 * timed on their own, and the median chunk's time per operation is what the workload costs
 * when it has a CPU (chunks in which the thread waited for one do not move the median).
 *
 *   chunks_run(c, w, state, o, seconds)  appends chunks of c->ops operations (sized on the
 *                                        first call to take about CHUNKS_TARGET_NS each) until
 *                                        'seconds' have passed and at least CHUNKS_MIN ran;
 *                                        0 or the workload's -errno
 *   chunks_median(c)                     median ns per operation of the chunks so far
 *   chunks_clear(c)                      forget the chunks (keeps the chunk size)
 *   chunks_release(c)
 */
#ifndef BPFGAUGE_CHUNKS_H
#define BPFGAUGE_CHUNKS_H

#include <stddef.h>

#include "workloads/workload.h"

#define CHUNKS_TARGET_NS 100e3
#define CHUNKS_MIN 5

struct chunks {
	long ops;		/* operations per chunk; 0 until sized */
	double *ns;		/* ns per operation of each chunk since chunks_clear() */
	size_t n, cap;
	double total_ops;	/* operations run since chunks_clear(), sizing included */
};

int chunks_run(struct chunks *c, const struct workload *w, void *state,
	       const struct workload_opts *o, double seconds);
double chunks_median(const struct chunks *c);
void chunks_clear(struct chunks *c);
void chunks_release(struct chunks *c);

#endif
