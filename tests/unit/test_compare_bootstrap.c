// SPDX-License-Identifier: GPL-2.0
/* compare's bootstrap interval of a median ratio: exact resampling, reproducible, covering. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "compare/bootstrap.h"

Test(compare_stats, bootstrap_percentiles_match_the_exact_resampling_distribution)
{
	/* The base is constant (median 2), so the ratio is the median of 5 draws from 1..5,
	 * halved. P(median <= k) = P(at least 3 of 5 draws <= k) = sum_{j>=3} C(5,j) q^j
	 * (1-q)^(5-j) with q = k/5: 0.05792, 0.31744, 0.68256, 0.94208 for k = 1..4.
	 * A 90% interval cuts at 0.05 and 0.95: medians 1 and 5; an 80% one at 0.1 and 0.9:
	 * medians 2 and 4 (each cut at least 0.008 from a step: about 5 standard errors of the
	 * resampled share with 20000 resamples). */
	const double base[] = { 2, 2, 2, 2, 2 }, cur[] = { 1, 2, 3, 4, 5 };
	double lo, hi;

	for (unsigned long seed = 1; seed <= 3; seed++) {
		cr_assert_eq(bootstrap_ratio_ci(base, 5, cur, 5, 20000, 0.9, seed, &lo, &hi), 0);
		cr_assert_float_eq(lo, 0.5, 1e-15, "seed %lu: %g", seed, lo);
		cr_assert_float_eq(hi, 2.5, 1e-15, "seed %lu: %g", seed, hi);
		cr_assert_eq(bootstrap_ratio_ci(base, 5, cur, 5, 20000, 0.8, seed, &lo, &hi), 0);
		cr_assert_float_eq(lo, 1, 1e-15, "seed %lu: %g", seed, lo);
		cr_assert_float_eq(hi, 2, 1e-15, "seed %lu: %g", seed, hi);
	}
}

/* n samples from a lognormal with median m (log-sd 0.1). */
static void lognormal(gsl_rng *r, double m, double *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		v[i] = m * exp(gsl_ran_gaussian(r, 0.1));
}

Test(compare_stats, bootstrap_same_seed_same_interval)
{
	const double base[] = { 100, 103, 98, 101, 99, 104, 97 };
	const double cur[] = { 108, 111, 104, 109, 113, 106, 110 };
	double lo1, hi1, lo2, hi2, lo3, hi3, b40[40], c40[40];
	gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);

	cr_assert_eq(bootstrap_ratio_ci(base, 7, cur, 7, 10000, 0.95, 1, &lo1, &hi1), 0);
	cr_assert_eq(bootstrap_ratio_ci(base, 7, cur, 7, 10000, 0.95, 1, &lo2, &hi2), 0);
	cr_assert_eq(lo1, lo2);
	cr_assert_eq(hi1, hi2);
	/* The interval lies within what any resample could give: min(cur)/max(base) and
	 * max(cur)/min(base), and around the observed ratio 109/100. */
	cr_assert(lo1 >= 104.0 / 104 && hi1 <= 113.0 / 97, "%g-%g", lo1, hi1);
	cr_assert(lo1 < 1.09 && hi1 > 1.09, "%g-%g", lo1, hi1);
	cr_assert_eq(bootstrap_ratio_ci(base, 0, cur, 7, 10000, 0.95, 1, &lo1, &hi1), -EINVAL);
	/* Another seed draws other resamples. With 7 samples a median takes only 7 values and
	 * the ends of the interval often stay put; with 40 distinct ones they move. */
	gsl_rng_set(r, 5);
	lognormal(r, 100, b40, 40);
	lognormal(r, 105, c40, 40);
	cr_assert_eq(bootstrap_ratio_ci(b40, 40, c40, 40, 2000, 0.95, 1, &lo1, &hi1), 0);
	cr_assert_eq(bootstrap_ratio_ci(b40, 40, c40, 40, 2000, 0.95, 1, &lo2, &hi2), 0);
	cr_assert(lo1 == lo2 && hi1 == hi2);
	cr_assert_eq(bootstrap_ratio_ci(b40, 40, c40, 40, 2000, 0.95, 2, &lo3, &hi3), 0);
	cr_assert(lo3 != lo1 || hi3 != hi1, "seed 2 gave the interval of seed 1: %g-%g", lo1, hi1);
	gsl_rng_free(r);
	cr_assert_eq(bootstrap_ratio_ci(base, 7, cur, 7, 10000, 1, 1, &lo1, &hi1), -EINVAL);
}

Test(compare_stats, bootstrap_constant_samples_give_a_point)
{
	const double base[] = { 10, 10, 10, 10, 10 }, cur[] = { 11, 11, 11, 11, 11, 11 };
	const double zero[] = { 0, 0, 0, 0, 0 };
	double lo, hi;

	cr_assert_eq(bootstrap_ratio_ci(base, 5, cur, 6, 2000, 0.95, 1, &lo, &hi), 0);
	cr_assert_float_eq(lo, 1.1, 1e-15);
	cr_assert_float_eq(hi, 1.1, 1e-15);
	/* Every base resample has median 0: no finite ratio, and no NAN either. */
	cr_assert_eq(bootstrap_ratio_ci(zero, 5, cur, 6, 2000, 0.95, 1, &lo, &hi), 0);
	cr_assert(isinf(lo) && isinf(hi));
}

Test(compare_stats, bootstrap_covers_the_true_ratio)
{
	gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
	double base[9], cur[9], lo, hi;
	int covered = 0, pairs = 200;

	gsl_rng_set(r, 42);
	for (int i = 0; i < pairs; i++) {
		lognormal(r, 100, base, 9);
		lognormal(r, 110, cur, 9);
		cr_assert_eq(bootstrap_ratio_ci(base, 9, cur, 9, 2000, 0.95, i + 1, &lo, &hi), 0);
		covered += lo <= 1.10 && 1.10 <= hi;
	}
	cr_log_info("95%% bootstrap CI covered the true ratio 1.10 in %d of %d pairs (%.1f%%)",
		    covered, pairs, 100.0 * covered / pairs);
	printf("compare_stats: 95%% CI coverage of the true ratio 1.10: %d/%d = %.1f%%\n", covered,
	       pairs, 100.0 * covered / pairs);
	cr_assert(covered >= 0.85 * pairs && covered <= 0.99 * pairs, "coverage %d/%d", covered,
		  pairs);
	gsl_rng_free(r);
}

Test(compare_stats, bootstrap_narrows_with_more_samples)
{
	gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
	double base[36], cur[36], lo, hi, w9 = 0, w36 = 0;

	gsl_rng_set(r, 7);
	for (int i = 0; i < 20; i++) {
		lognormal(r, 100, base, 36);
		lognormal(r, 110, cur, 36);
		cr_assert_eq(bootstrap_ratio_ci(base, 9, cur, 9, 2000, 0.95, 1, &lo, &hi), 0);
		w9 += hi - lo;
		cr_assert_eq(bootstrap_ratio_ci(base, 36, cur, 36, 2000, 0.95, 1, &lo, &hi), 0);
		w36 += hi - lo;
	}
	/* The width of a median's interval goes as 1/sqrt(n): about half with 4 times more. */
	cr_log_info("mean CI width: 9 samples %.4f, 36 samples %.4f", w9 / 20, w36 / 20);
	cr_assert(w36 < 0.75 * w9, "9 samples: %g, 36 samples: %g", w9 / 20, w36 / 20);
	gsl_rng_free(r);
}
