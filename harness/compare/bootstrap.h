/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Percentile bootstrap CI of the ratio median(cur) / median(base): both sides are resampled
 * independently with replacement, 'resamples' times, from GSL's gsl_rng_mt19937 seeded with
 * 'seed', so the same input and seed give the same interval. A resample whose base median is
 * 0 or less gives +inf (or 1 when its new median is 0 too).
 *
 *   bootstrap_ratio_ci(base, nb, cur, nn, resamples, level, seed, &lo, &hi)
 *       0, -EINVAL (a side empty, resamples < 1, level outside (0, 1)) or -ENOMEM
 */
#ifndef BPFGAUGE_BOOTSTRAP_H
#define BPFGAUGE_BOOTSTRAP_H

#include <stddef.h>

int bootstrap_ratio_ci(const double *base, size_t nb, const double *cur, size_t nn,
		       int resamples, double level, unsigned long seed, double *lo, double *hi);

#endif
