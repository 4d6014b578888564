// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_rng.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

#include "bootstrap.h"

/* The median of n values drawn with replacement from v[]; buf holds n doubles. */
static double resample_median(gsl_rng *r, const double *v, size_t n, double *buf)
{
	for (size_t i = 0; i < n; i++)
		buf[i] = v[gsl_rng_uniform_int(r, n)];
	return gsl_stats_median(buf, 1, n);	/* reorders buf, which is scratch */
}

/* Quantile (type 7, as stats_quantile) of sorted v[], where some values may be +inf: equal
 * neighbours are returned as they are, so that inf never meets 0 * inf. */
static double sorted_quantile(const double *v, size_t n, double q)
{
	double pos = q * (n - 1), frac;
	size_t i = (size_t)pos;

	frac = pos - i;
	if (i + 1 >= n || v[i] == v[i + 1] || frac == 0)
		return v[i];
	return v[i] + frac * (v[i + 1] - v[i]);
}

static double ratio_of(double base_med, double cur_med)
{
	if (base_med > 0)
		return cur_med / base_med;
	return cur_med == 0 ? 1 : INFINITY;
}

int bootstrap_ratio_ci(const double *base, size_t nb, const double *cur, size_t nn,
		       int resamples, double level, unsigned long seed, double *lo, double *hi)
{
	double *ratios = NULL, *buf = NULL, bm, cm;
	gsl_rng *r = NULL;
	int err = 0;

	if (!nb || !nn || resamples < 1 || !(level > 0 && level < 1))
		return -EINVAL;
	ratios = malloc(resamples * sizeof(*ratios));
	buf = malloc((nb > nn ? nb : nn) * sizeof(*buf));
	r = gsl_rng_alloc(gsl_rng_mt19937);
	if (!ratios || !buf || !r) {
		err = -ENOMEM;
		goto cleanup;
	}
	gsl_rng_set(r, seed);
	for (int i = 0; i < resamples; i++) {
		bm = resample_median(r, base, nb, buf);
		cm = resample_median(r, cur, nn, buf);
		ratios[i] = ratio_of(bm, cm);
	}
	gsl_sort(ratios, 1, resamples);
	*lo = sorted_quantile(ratios, resamples, (1 - level) / 2);
	*hi = sorted_quantile(ratios, resamples, (1 + level) / 2);
cleanup:
	gsl_rng_free(r);
	free(buf);
	free(ratios);
	return err;
}
