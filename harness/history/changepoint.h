/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Change points in a series (a metric's run medians in time order): E-divisive means
 * (Matteson & James, 2014, with alpha = 1), as MongoDB's signal-processing applies it: each
 * segment is split where the energy statistic q(tau) between its left part [start, tau) and
 * its right part [tau, end) is largest, the split is kept when a permutation test (the
 * segment's values shuffled 'permutations' times with a seeded GSL RNG) gives
 * p = (1 + #{q_perm >= q}) / (permutations + 1) <= alpha, and both sides are searched again
 * (binary segmentation). Both sides of a split hold at least min_size values.
 *
 *   changepoint_detect(v, n, &opts, &cps, &ncps)   0 and the change points sorted by index
 *                                                  (free(cps)), -EINVAL on bad options,
 *                                                  -ENOMEM. A series shorter than
 *                                                  changepoint_min_len() has none.
 *
 * q(tau) = m k / (m + k) * (2/(m k) sum|x_i - y_j| - sum_{i<i'}|x_i - x_i'| / C(m, 2)
 *                                                  - sum_{j<j'}|y_j - y_j'| / C(k, 2))
 * for the m values x left of tau and the k values y from tau on.
 */
#ifndef BPFGAUGE_CHANGEPOINT_H
#define BPFGAUGE_CHANGEPOINT_H

#include <stddef.h>

struct changepoint_opts {
	double alpha;			/* significance level of each split */
	unsigned int permutations;	/* shuffles per permutation test */
	size_t min_size;		/* fewest values on each side of a split, >= 2 */
	unsigned long seed;		/* of the RNG: the same series gives the same answer */
};

/*
 * alpha 0.01 rather than the customary 0.05: every accepted split tests both of its sides
 * again, so a long flat history would collect a false change point every few dozen runs.
 */
#define CHANGEPOINT_OPTS_DEFAULT { .alpha = 0.01, .permutations = 999, .min_size = 3, .seed = 1 }

struct changepoint {
	size_t index;		/* first value after the change */
	double q;		/* the energy statistic of the split */
	double p_value;		/* of the permutation test that kept it */
	/* The segments on either side, bounded by the neighbouring change points. */
	size_t before_start, after_end;	/* [before_start, index) and [index, after_end) */
	double before_median, after_median;
};

int changepoint_detect(const double *v, size_t n, const struct changepoint_opts *opts,
		       struct changepoint **cps, size_t *ncps);
size_t changepoint_min_len(const struct changepoint_opts *opts);

#endif
