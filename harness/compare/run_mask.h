/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Which runs of a result had the CPU to themselves (compare_state.c; docs/compare.md, "Machine
 * state"): only those are compared.
 *
 *   run_mask_apply(mask, v, k)   v[0..k-1], one value per run, with only the runs the mask
 *                                keeps, in order; how many. All of them when the mask is of
 *                                no runs (nothing known), of another count, or keeps none (a
 *                                side that kept none is inconclusive: compare_machine_state)
 *   run_mask_none(mask)          whether it knows its runs and kept none of them
 */
#ifndef BPFGAUGE_RUN_MASK_H
#define BPFGAUGE_RUN_MASK_H

#include <stdbool.h>
#include <stddef.h>

#include "result/result_merge.h"

struct run_mask {
	size_t runs, kept;	/* runs 0: the result cannot tell (no RESULT_CALLS_METRIC) */
	double reached;		/* its fastest run's calls speed over the fastest of all */
	bool keep[RESULT_MAX_RUNS];
};

size_t run_mask_apply(const struct run_mask *mask, double *v, size_t k);
bool run_mask_none(const struct run_mask *mask);

#endif
