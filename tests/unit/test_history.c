// SPDX-License-Identifier: GPL-2.0
/*
 * History: change points on synthetic series (GSL RNG), checked against the energy statistic
 * and medians computed here; then the real binary on results made from one real run.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

#include "history/changepoint.h"

/* v[i] = level(i) * (1 + noise * N(0, 1)) */
static void series(gsl_rng *rng, double *v, size_t n, const size_t *at, const double *levels,
		   size_t steps, double noise)
{
	for (size_t i = 0; i < n; i++) {
		double level = levels[0];

		for (size_t s = 0; s < steps; s++)
			if (i >= at[s])
				level = levels[s + 1];
		v[i] = level * (1 + gsl_ran_gaussian(rng, noise));
	}
}

/* The median of v[a, b), by GSL. */
static double gsl_median(const double *v, size_t a, size_t b)
{
	double s[64];

	memcpy(s, v + a, (b - a) * sizeof(*s));
	gsl_sort(s, 1, b - a);
	return gsl_stats_median_from_sorted_data(s, 1, b - a);
}

/* q(tau) straight from its definition (changepoint.h), with every pair summed anew. */
static double energy(const double *v, size_t n, size_t tau)
{
	double m = tau, k = n - tau, cross = 0, wl = 0, wr = 0;

	for (size_t i = 0; i < tau; i++)
		for (size_t j = tau; j < n; j++)
			cross += fabs(v[i] - v[j]);
	for (size_t i = 0; i < tau; i++)
		for (size_t j = i + 1; j < tau; j++)
			wl += fabs(v[i] - v[j]);
	for (size_t i = tau; i < n; i++)
		for (size_t j = i + 1; j < n; j++)
			wr += fabs(v[i] - v[j]);
	return m * k / (m + k) * (2 * cross / (m * k) - wl / (m * (m - 1) / 2) -
				  wr / (k * (k - 1) / 2));
}

static void assert_segments(const double *v, const struct changepoint *c)
{
	cr_assert_float_eq(c->before_median, gsl_median(v, c->before_start, c->index), 1e-9);
	cr_assert_float_eq(c->after_median, gsl_median(v, c->index, c->after_end), 1e-9);
}

/* The change point nearest 'at', or NULL. */
static const struct changepoint *nearest(const struct changepoint *cps, size_t n, size_t at)
{
	const struct changepoint *best = NULL;

	for (size_t i = 0; i < n; i++) {
		long d = labs((long)cps[i].index - (long)at);

		if (!best || d < labs((long)best->index - (long)at))
			best = &cps[i];
	}
	return best;
}

/* The count that Binomial(trials, alpha) exceeds with probability below 0.001. */
static unsigned int false_bound(double alpha, unsigned int trials)
{
	unsigned int bound = 0;

	while (gsl_cdf_binomial_Q(bound, alpha, trials) >= 0.001)
		bound++;
	return bound;
}

Test(history, step_of_20pct_at_12_of_30)
{
	struct changepoint_opts o = CHANGEPOINT_OPTS_DEFAULT;
	gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
	const size_t at[] = { 12 };
	const double levels[] = { 100, 120 };
	const unsigned int trials = 20;
	unsigned int extra = 0;
	double v[30];

	for (unsigned long seed = 1; seed <= trials; seed++) {
		const struct changepoint *c;
		struct changepoint *cps;
		size_t ncps, best = 0;
		double qmax = -INFINITY;

		gsl_rng_set(rng, seed);
		series(rng, v, 30, at, levels, 1, 0.02);
		cr_assert_eq(changepoint_detect(v, 30, &o, &cps, &ncps), 0);
		c = nearest(cps, ncps, 12);
		cr_assert(c && c->index >= 11 && c->index <= 13, "seed %lu: step not found", seed);
		extra += ncps - 1;
		assert_segments(v, c);
		/* 100 and 120 give or take the noise of a median of 12 and 18 values. */
		cr_assert_float_eq(c->before_median, 100, 2.5, "%g", c->before_median);
		cr_assert_float_eq(c->after_median, 120, 3, "%g", c->after_median);
		/* The first split is the whole series' largest q, the definition's value. */
		for (size_t tau = o.min_size; tau + o.min_size <= 30; tau++) {
			if (energy(v, 30, tau) > qmax) {
				qmax = energy(v, 30, tau);
				best = tau;
			}
		}
		cr_assert_eq(c->index, best);
		cr_assert_float_eq(c->q, qmax, 1e-9 * qmax);
		/* No shuffle of a 10-sigma step splits as well: the smallest p there is. */
		cr_assert_float_eq(c->p_value, 1.0 / (o.permutations + 1), 1e-12);
		free(cps);
	}
	/* Each side of the step is a flat series tested once more. */
	fprintf(stderr, "history: step series: %u extra change points in %u trials\n", extra,
		trials);
	cr_assert_leq(extra, false_bound(o.alpha, 2 * trials));
	gsl_rng_free(rng);
}

Test(history, flat_noisy_series_rarely_split)
{
	struct changepoint_opts o = CHANGEPOINT_OPTS_DEFAULT;
	gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
	const unsigned int trials = 50;
	const double levels[] = { 100 };
	unsigned int split = 0, bound = false_bound(o.alpha, trials);
	double v[30];

	for (unsigned long seed = 1; seed <= trials; seed++) {
		struct changepoint *cps;
		size_t ncps;

		gsl_rng_set(rng, 1000 + seed);
		series(rng, v, 30, NULL, levels, 0, 0.02);
		cr_assert_eq(changepoint_detect(v, 30, &o, &cps, &ncps), 0);
		split += ncps > 0;
		free(cps);
	}
	/* The permutation test is exact: a flat series is split with probability alpha. */
	fprintf(stderr, "history: flat series split in %u of %u trials (alpha %g, bound %u)\n",
		split, trials, o.alpha, bound);
	cr_assert_leq(split, bound, "%u false change points in %u flat series", split, trials);
	gsl_rng_free(rng);
}

Test(history, two_steps_both_found)
{
	struct changepoint_opts o = CHANGEPOINT_OPTS_DEFAULT;
	gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
	const size_t at[] = { 10, 22 };
	const double levels[] = { 100, 125, 90 };
	const unsigned int trials = 20;
	unsigned int extra = 0;
	double v[34];

	for (unsigned long seed = 1; seed <= trials; seed++) {
		const struct changepoint *up, *down;
		struct changepoint *cps;
		size_t ncps;

		gsl_rng_set(rng, 2000 + seed);
		series(rng, v, 34, at, levels, 2, 0.02);
		cr_assert_eq(changepoint_detect(v, 34, &o, &cps, &ncps), 0);
		up = nearest(cps, ncps, 10);
		down = nearest(cps, ncps, 22);
		cr_assert(up && up->index >= 9 && up->index <= 11, "seed %lu: first step missed",
			  seed);
		cr_assert(down && down->index >= 21 && down->index <= 23,
			  "seed %lu: second step missed", seed);
		extra += ncps - 2;
		assert_segments(v, up);
		assert_segments(v, down);
		if (ncps == 2) {
			/* Segments end at the neighbouring change point. */
			cr_assert_eq(up->after_end, down->index);
			cr_assert_eq(down->before_start, up->index);
			cr_assert_float_eq(up->before_median, 100, 3);
			cr_assert_float_eq(up->after_median, 125, 3.5);
			cr_assert_float_eq(down->after_median, 90, 2.5);
		}
		free(cps);
	}
	fprintf(stderr, "history: two-step series: %u extra change points in %u trials\n", extra,
		trials);
	cr_assert_leq(extra, false_bound(o.alpha, 3 * trials));
	gsl_rng_free(rng);
}

Test(history, flat_short_and_bad_options)
{
	struct changepoint_opts o = CHANGEPOINT_OPTS_DEFAULT, bad = o;
	double flat[20], step[5] = { 1, 1, 9, 9, 9 };
	struct changepoint *cps;
	size_t ncps;

	for (size_t i = 0; i < 20; i++)
		flat[i] = 42;
	cr_assert_eq(changepoint_detect(flat, 20, &o, &cps, &ncps), 0);
	cr_assert_eq(ncps, 0, "a constant series split at %zu", ncps ? cps[0].index : 0);
	free(cps);
	/* 5 values cannot hold two sides of 3. */
	cr_assert_eq(changepoint_min_len(&o), 6);
	cr_assert_eq(changepoint_detect(step, 5, &o, &cps, &ncps), 0);
	cr_assert_eq(ncps, 0);
	cr_assert_null(cps);
	bad.min_size = 1;
	cr_assert_eq(changepoint_detect(flat, 20, &bad, &cps, &ncps), -EINVAL);
	bad = o;
	bad.alpha = 1;
	cr_assert_eq(changepoint_detect(flat, 20, &bad, &cps, &ncps), -EINVAL);
}
