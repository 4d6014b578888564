/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A workload run by n threads at once, as producers of events (the ring buffer benchmarks):
 * the threads start together, each once all exist, and the window lasts until the last ends.
 *
 *   producers_run(w, state, n, o, &ops, &seconds, why, sz)   n from 1 to PRODUCERS_MAX; the
 *       operations of all threads summed in ops, the window in seconds. 0, or -errno with
 *       one line in why (a thread that did not start, or the workload's own failure)
 */
#ifndef BPFGAUGE_PRODUCERS_H
#define BPFGAUGE_PRODUCERS_H

#include <stddef.h>

#include "workloads/workload.h"

#define PRODUCERS_MAX 8

int producers_run(const struct workload *w, void *state, int n, const struct workload_opts *o,
		  double *ops, double *seconds, char *why, size_t sz);

#endif
