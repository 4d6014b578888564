// SPDX-License-Identifier: GPL-2.0
/*
 * The statistics of 'bpfgauge compare': Mann-Whitney against brute-force enumeration and
 * published values, Holm against a hand-worked example and a sort-based implementation, the
 * bootstrap's reproducibility and coverage, and the verdict rules at their edges.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "compare/bootstrap.h"
#include "compare/mannwhitney.h"
#include "compare/verdict.h"

/* U of a by its definition: pairs with a > b, ties counting one half. */
static double u_pairs(const double *a, size_t na, const double *b, size_t nb)
{
	double u = 0;

	for (size_t i = 0; i < na; i++)
		for (size_t j = 0; j < nb; j++)
			u += a[i] > b[j] ? 1 : a[i] == b[j] ? 0.5 : 0;
	return u;
}

/*
 * The exact two-sided p by brute force: every way of labelling na of the pooled values "a"
 * (all C(na+nb, na) of them, equally likely under the null), U by pair counting, and the
 * share of labellings at least as far from na*nb/2 as the observed one.
 */
static double p_enumerated(const double *a, size_t na, const double *b, size_t nb)
{
	double pool[16], x[16], y[16], mean = na * nb / 2.0, dev, hits = 0, total = 0;
	size_t n = na + nb, nx, ny;

	dev = fabs(u_pairs(a, na, b, nb) - mean);
	for (size_t i = 0; i < n; i++)
		pool[i] = i < na ? a[i] : b[i - na];
	for (unsigned mask = 0; mask < 1u << n; mask++) {
		if ((size_t)__builtin_popcount(mask) != na)
			continue;
		nx = ny = 0;
		for (size_t i = 0; i < n; i++) {
			if (mask & 1u << i)
				x[nx++] = pool[i];
			else
				y[ny++] = pool[i];
		}
		total++;
		if (fabs(u_pairs(x, nx, y, ny) - mean) >= dev - 1e-9)
			hits++;
	}
	return hits / total;
}

static void check_against_enumeration(gsl_rng *r, bool ties)
{
	static const size_t sizes[][2] = { { 1, 1 }, { 1, 4 }, { 2, 3 }, { 3, 3 }, { 4, 5 },
					   { 5, 5 }, { 3, 8 }, { 6, 7 }, { 7, 7 }, { 8, 7 },
					   { 8, 8 } };
	double a[8], b[8], u, p;

	for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
		size_t na = sizes[s][0], nb = sizes[s][1];

		for (int rep = 0; rep < 6; rep++) {
			/* with ties: few distinct values, b shifted up by a random amount */
			int shift = (int)gsl_rng_uniform_int(r, 3);

			for (size_t i = 0; i < na; i++)
				a[i] = ties ? (double)gsl_rng_uniform_int(r, 4)
					    : gsl_rng_uniform(r);
			for (size_t i = 0; i < nb; i++)
				b[i] = ties ? (double)(gsl_rng_uniform_int(r, 4) + shift)
					    : gsl_rng_uniform(r) + shift * 0.3;
			cr_assert_eq(mannwhitney(a, na, b, nb, &u, &p), 0);
			cr_assert_float_eq(u, u_pairs(a, na, b, nb), 1e-12, "na=%zu nb=%zu", na,
					   nb);
			cr_assert_float_eq(p, p_enumerated(a, na, b, nb), 1e-9,
					   "na=%zu nb=%zu ties=%d: p %.12g", na, nb, ties, p);
		}
	}
}

Test(compare_stats, mannwhitney_exact_matches_enumeration_without_ties)
{
	gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);

	gsl_rng_set(r, 11);
	check_against_enumeration(r, false);
	gsl_rng_free(r);
}

Test(compare_stats, mannwhitney_exact_matches_enumeration_with_ties)
{
	gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);

	gsl_rng_set(r, 12);
	check_against_enumeration(r, true);
	gsl_rng_free(r);
}

Test(compare_stats, mannwhitney_published_values)
{
	/* Tables of the U distribution: na = nb = 5, U = 2 has P(U <= 2) = 4/252, so the
	 * two-sided exact p is 8/252 = 0.0317. */
	const double a5[] = { 1, 2, 3, 4, 7 }, b5[] = { 5, 6, 8, 9, 10 };
	const double a7[] = { 1, 2, 3, 4, 5, 6, 7 }, b7[] = { 8, 9, 10, 11, 12, 13, 14 };
	const double same[] = { 3, 3, 3, 3, 3 };
	double u, p;

	cr_assert_eq(mannwhitney(a5, 5, b5, 5, &u, &p), 0);
	cr_assert_float_eq(u, 2, 1e-12);
	cr_assert_float_eq(p, 0.0317, 5e-5);
	cr_assert_float_eq(p, 8.0 / 252, 1e-12);
	/* Seen from the other side: U = 25 - 2, the same p. */
	cr_assert_eq(mannwhitney(b5, 5, a5, 5, &u, &p), 0);
	cr_assert_float_eq(u, 23, 1e-12);
	cr_assert_float_eq(p, 8.0 / 252, 1e-12);
	/* Fully separated 7 vs 7: only two of the C(14,7) = 3432 labellings are as extreme. */
	cr_assert_eq(mannwhitney(a7, 7, b7, 7, &u, &p), 0);
	cr_assert_float_eq(u, 0, 1e-12);
	cr_assert_float_eq(p, 2.0 / 3432, 1e-15);
	/* All tied: no evidence at all. */
	cr_assert_eq(mannwhitney(same, 5, same, 5, &u, &p), 0);
	cr_assert_float_eq(u, 12.5, 1e-12);
	cr_assert_float_eq(p, 1, 1e-12);
	cr_assert_eq(mannwhitney(a5, 0, b5, 5, &u, &p), -EINVAL);
}

Test(compare_stats, mannwhitney_normal_approximation_by_hand)
{
	double a[30], b[30], u, p, z;

	/* a = 2, 4, .., 60 and b = 1, 3, .., 59 (60 values, above the exact limit, no ties).
	 * The a at 2k beats k of the b: U = 1 + 2 + .. + 30 = 465. Mean 30*30/2 = 450,
	 * variance 30*30*61/12 = 4575, z = (465 - 450 - 0.5)/sqrt(4575) = 0.214375. */
	for (int i = 0; i < 30; i++) {
		a[i] = 2 * (i + 1);
		b[i] = 2 * i + 1;
	}
	cr_assert_eq(mannwhitney(a, 30, b, 30, &u, &p), 0);
	cr_assert_float_eq(u, 465, 1e-12);
	z = 14.5 / sqrt(4575);
	cr_assert_float_eq(z, 0.214375, 1e-6);
	cr_assert_float_eq(p, erfc(z / M_SQRT2), 1e-9);
	cr_assert_float_eq(p, 0.8302, 1e-4);

	/* a = 1..30, b = 16..45: 15 values tied in pairs. U = (0 + 1 + .. + 14) + 15/2 = 112.5;
	 * tie term 15 * (2^3 - 2) = 90, variance 30*30/12 * (61 - 90/(60*59)) = 4573.0932,
	 * z = (450 - 112.5 - 0.5)/sqrt(4573.0932) = 4.98339. */
	for (int i = 0; i < 30; i++) {
		a[i] = i + 1;
		b[i] = i + 16;
	}
	cr_assert_eq(mannwhitney(a, 30, b, 30, &u, &p), 0);
	cr_assert_float_eq(u, 112.5, 1e-12);
	z = 337 / sqrt(75 * (61 - 90.0 / 3540));
	cr_assert_float_eq(z, 4.98339, 1e-5);
	cr_assert_float_eq(p, erfc(z / M_SQRT2), 1e-15);
	cr_assert(p > 6.0e-7 && p < 6.5e-7, "p %g", p);
}

Test(compare_stats, mannwhitney_switches_from_exact_to_normal_above_50)
{
	double v[51], u, p;

	for (int i = 0; i < 51; i++)
		v[i] = i;
	/* 25 vs 25 fully separated, exact: 2/C(50,25) = 2/126410606437752. */
	cr_assert_eq(mannwhitney(v, 25, v + 25, 25, &u, &p), 0);
	cr_assert_float_eq(p / (2 / 126410606437752.0), 1, 1e-9);
	/* 25 vs 26, normal: U = 0, mean 325, variance 25*26*52/12, z = 324.5/sqrt(2816.67). */
	cr_assert_eq(mannwhitney(v, 25, v + 25, 26, &u, &p), 0);
	cr_assert_float_eq(u, 0, 1e-12);
	cr_assert_float_eq(p / erfc(324.5 / sqrt(25 * 26 * 52 / 12.0) / M_SQRT2), 1, 1e-9);
}

Test(compare_stats, mannwhitney_min_p)
{
	cr_assert_float_eq(mannwhitney_min_p(7, 7) / (2.0 / 3432), 1, 1e-12);
	cr_assert_float_eq(mannwhitney_min_p(5, 5) / (2.0 / 252), 1, 1e-12);
	/* C(9,4) = 126 */
	cr_assert_float_eq(mannwhitney_min_p(4, 5) / (2.0 / 126), 1, 1e-12);
	cr_assert_float_eq(mannwhitney_min_p(1, 1), 1, 1e-12);
	cr_assert_float_eq(mannwhitney_min_p(0, 5), 1, 1e-12);
}

static void holm(const double *p, double *adj, size_t n)
{
	struct metric_cmp c[16] = {}, *pc[16];

	for (size_t i = 0; i < n; i++) {
		c[i].p = p[i];
		pc[i] = &c[i];
	}
	metric_cmp_holm(pc, n);
	for (size_t i = 0; i < n; i++)
		adj[i] = c[i].p_adj;
}

Test(compare_stats, holm_hand_worked)
{
	/* Sorted: 0.005*4 = 0.02, 0.01*3 = 0.03, 0.03*2 = 0.06, 0.04*1 -> 0.06 (monotone). */
	const double p[] = { 0.01, 0.04, 0.03, 0.005 }, want[] = { 0.03, 0.06, 0.06, 0.02 };
	/* Capped at 1: 0.5*3 and 0.6*2 exceed 1, and 0.9 follows them up. */
	const double big[] = { 0.9, 0.5, 0.6 };
	/* Equal p-values share the larger multiplier: 0.01*3 for both, then 0.02*1 -> 0.03. */
	const double tied[] = { 0.01, 0.02, 0.01 };
	/* A comparison without a p-value is left out: m = 2. */
	const double nan_one[] = { 0.01, NAN, 0.02 };
	double adj[4];

	holm(p, adj, 4);
	for (int i = 0; i < 4; i++)
		cr_assert_float_eq(adj[i], want[i], 1e-15, "p %g: %g", p[i], adj[i]);
	holm(big, adj, 3);
	for (int i = 0; i < 3; i++)
		cr_assert_float_eq(adj[i], 1, 0);
	holm(tied, adj, 3);
	for (int i = 0; i < 3; i++)
		cr_assert_float_eq(adj[i], 0.03, 1e-15);
	holm(nan_one, adj, 3);
	cr_assert_float_eq(adj[0], 0.02, 1e-15);
	cr_assert(isnan(adj[1]));
	cr_assert_float_eq(adj[2], 0.02, 1e-15);
	holm(p, adj, 1);
	cr_assert_float_eq(adj[0], 0.01, 1e-15);
}

static int cmp_dbl(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

Test(compare_stats, holm_matches_sorted_step_down)
{
	gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
	double p[16], adj[16], s[16], run, want;

	gsl_rng_set(r, 3);
	for (int rep = 0; rep < 50; rep++) {
		for (int i = 0; i < 16; i++)	/* some repeated, some tiny */
			p[i] = rep % 2 ? gsl_rng_uniform_int(r, 5) / 40.0
				       : pow(gsl_rng_uniform(r), 4);
		holm(p, adj, 16);
		memcpy(s, p, sizeof(s));
		qsort(s, 16, sizeof(s[0]), cmp_dbl);
		for (int i = 0; i < 16; i++) {
			/* the step-down value at the last sorted position holding p[i] */
			run = 0;
			for (int k = 0; k < 16 && s[k] <= p[i]; k++)
				run = fmax(run, fmin(1, (16 - k) * s[k]));
			want = run;
			cr_assert_float_eq(adj[i], want, 1e-15);
			cr_assert(adj[i] >= p[i] && adj[i] <= 1);
			for (int j = 0; j < 16; j++)	/* monotone in p */
				if (p[j] <= p[i])
					cr_assert_leq(adj[j], adj[i]);
		}
	}
	gsl_rng_free(r);
}

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

/* A comparison with enough samples and the given interval and adjusted p. */
static struct metric_cmp cmp_of(double lo, double hi, double p_adj)
{
	struct metric_cmp c = { .nb = 5, .nn = 5, .base_median = 100, .ratio = (lo + hi) / 2,
				.ci_lo = lo, .ci_hi = hi, .p = p_adj, .p_adj = p_adj };

	c.new_median = 100 * c.ratio;
	return c;
}

static enum verdict decide(struct metric_cmp *c, bool higher_is_better)
{
	struct compare_opts o = COMPARE_OPTS_DEFAULT;

	metric_cmp_decide(c, higher_is_better, &o);
	return c->verdict;
}

Test(compare_stats, verdict_needs_five_samples_each_side)
{
	struct metric_cmp c = cmp_of(1.2, 1.3, 0.001);

	cr_assert_eq(decide(&c, false), VERDICT_REGRESSED);
	cr_assert_str_empty(c.why);
	c.nb = 4;
	cr_assert_eq(decide(&c, false), VERDICT_INCONCLUSIVE);
	cr_assert_str_eq(c.why, "needs at least 5 samples on each side, base has 4");
	c.nb = 5;
	c.nn = 3;
	cr_assert_eq(decide(&c, false), VERDICT_INCONCLUSIVE);
	cr_assert_str_eq(c.why, "needs at least 5 samples on each side, new has 3");
	c.nb = 2;
	cr_assert_eq(decide(&c, false), VERDICT_INCONCLUSIVE);
	cr_assert_str_eq(c.why, "needs at least 5 samples on each side, base has 2, new has 3");
}

Test(compare_stats, verdict_threshold_edges_lower_is_better)
{
	struct metric_cmp c;

	c = cmp_of(1.0501, 1.2, 0.001);		/* just outside, upwards: worse */
	cr_assert_eq(decide(&c, false), VERDICT_REGRESSED);
	c = cmp_of(1.0499, 1.2, 0.001);		/* CI reaches into the threshold */
	cr_assert_eq(decide(&c, false), VERDICT_INCONCLUSIVE);
	cr_assert_str_eq(c.why, "CI 1.050-1.200 straddles the 5% threshold");
	c = cmp_of(0.8, 0.9499, 0.001);		/* just outside, downwards: better */
	cr_assert_eq(decide(&c, false), VERDICT_IMPROVED);
	c = cmp_of(0.8, 0.9501, 0.001);
	cr_assert_eq(decide(&c, false), VERDICT_INCONCLUSIVE);
	c = cmp_of(0.9501, 1.0499, 0.5);	/* just inside on both sides */
	cr_assert_eq(decide(&c, false), VERDICT_UNCHANGED);
	cr_assert_str_empty(c.why);
	c = cmp_of(0.9501, 1.0499, 0.0001);	/* significant but small: still unchanged */
	cr_assert_eq(decide(&c, false), VERDICT_UNCHANGED);
	c = cmp_of(0.93, 1.02, 0.5);
	cr_assert_eq(decide(&c, false), VERDICT_INCONCLUSIVE);
	cr_assert_str_eq(c.why, "CI 0.930-1.020 straddles the 5% threshold");
}

Test(compare_stats, verdict_threshold_edges_higher_is_better)
{
	struct metric_cmp c;

	c = cmp_of(0.8, 0.9499, 0.001);		/* throughput down: worse */
	cr_assert_eq(decide(&c, true), VERDICT_REGRESSED);
	c = cmp_of(1.0501, 1.2, 0.001);
	cr_assert_eq(decide(&c, true), VERDICT_IMPROVED);
	c = cmp_of(1.0499, 1.2, 0.001);
	cr_assert_eq(decide(&c, true), VERDICT_INCONCLUSIVE);
	c = cmp_of(0.9501, 1.0499, 0.5);
	cr_assert_eq(decide(&c, true), VERDICT_UNCHANGED);
}

Test(compare_stats, verdict_alpha_edges)
{
	struct compare_opts o = COMPARE_OPTS_DEFAULT;
	struct metric_cmp c;

	c = cmp_of(1.2, 1.3, 0.0099);
	cr_assert_eq(decide(&c, false), VERDICT_REGRESSED);
	c = cmp_of(1.2, 1.3, 0.0101);
	cr_assert_eq(decide(&c, false), VERDICT_INCONCLUSIVE);
	cr_assert_str_eq(c.why, "not significant: p=0.0101 after Holm, alpha 0.01");
	c = cmp_of(1.2, 1.3, 0.01);		/* p_adj must be below alpha */
	cr_assert_eq(decide(&c, false), VERDICT_INCONCLUSIVE);
	cr_assert_str_eq(c.why, "not significant: p=0.01 after Holm, alpha 0.01");
	c = cmp_of(1.2, 1.3, 0.0100001);	/* printed so that it differs from alpha */
	cr_assert_eq(decide(&c, false), VERDICT_INCONCLUSIVE);
	cr_assert_str_eq(c.why, "not significant: p=0.0100001 after Holm, alpha 0.01");
	c = cmp_of(0.7, 0.8, 0.04);
	cr_assert_eq(decide(&c, true), VERDICT_INCONCLUSIVE);
	cr_assert_str_eq(c.why, "not significant: p=0.04 after Holm, alpha 0.01");
	/* Another alpha and threshold from the options. */
	o.alpha = 0.05;
	o.threshold_pct = 25;
	c = cmp_of(1.2, 1.3, 0.04);
	metric_cmp_decide(&c, false, &o);
	cr_assert_eq(c.verdict, VERDICT_INCONCLUSIVE);
	cr_assert_str_eq(c.why, "CI 1.200-1.300 straddles the 25% threshold");
	c = cmp_of(1.26, 1.3, 0.04);
	metric_cmp_decide(&c, false, &o);
	cr_assert_eq(c.verdict, VERDICT_REGRESSED);
}

Test(compare_stats, verdict_zero_and_negative_medians)
{
	const double zero[] = { 0, 0, 0, 0, 0 }, some[] = { 0, 0, 0, 1, 2 };
	const double pos[] = { 3, 4, 5, 6, 7 }, neg[] = { -1, -2, -3, 1, -1 };
	struct compare_opts o = COMPARE_OPTS_DEFAULT;
	struct metric_cmp c;

	cr_assert_eq(metric_cmp_measure(zero, 5, zero, 5, &o, &c), 0);
	metric_cmp_decide(&c, false, &o);
	cr_assert_eq(c.verdict, VERDICT_UNCHANGED);
	cr_assert_float_eq(c.ratio, 1, 0);
	cr_assert_float_eq(c.ci_lo, 1, 0);
	cr_assert_float_eq(c.ci_hi, 1, 0);
	/* base median 0 but not all zero: no ratio */
	cr_assert_eq(metric_cmp_measure(some, 5, pos, 5, &o, &c), 0);
	cr_assert(isnan(c.ratio) && isnan(c.ci_lo) && isnan(c.ci_hi));
	metric_cmp_decide(&c, false, &o);
	cr_assert_eq(c.verdict, VERDICT_INCONCLUSIVE);
	cr_assert_str_eq(c.why, "base median is 0: no ratio");
	cr_assert_eq(metric_cmp_measure(pos, 5, neg, 5, &o, &c), 0);
	metric_cmp_decide(&c, true, &o);
	cr_assert_eq(c.verdict, VERDICT_INCONCLUSIVE);
	cr_assert_str_eq(c.why, "new median is -1: no ratio");
	/* new all zero against a positive base is a ratio of 0 */
	cr_assert_eq(metric_cmp_measure(pos, 5, zero, 5, &o, &c), 0);
	cr_assert_float_eq(c.ratio, 0, 0);
	cr_assert_eq(metric_cmp_measure(pos, 0, zero, 5, &o, &c), -EINVAL);
}

Test(compare_stats, measure_then_decide)
{
	const double base[] = { 100, 101, 99, 102, 98, 100.5, 99.5, 101.5, 98.5, 100.2 };
	const double cur[] = { 120, 121, 119, 122, 118, 120.5, 119.5, 121.5, 118.5, 120.2 };
	struct compare_opts o = COMPARE_OPTS_DEFAULT;
	struct metric_cmp c, d, *set[2] = { &c, &d };

	cr_assert_eq(metric_cmp_measure(base, 10, cur, 10, &o, &c), 0);
	cr_assert_eq(c.nb, 10);
	cr_assert_eq(c.nn, 10);
	cr_assert_float_eq(c.base_median, 100.1, 1e-12);
	cr_assert_float_eq(c.new_median, 120.1, 1e-12);
	cr_assert_float_eq(c.ratio, 120.1 / 100.1, 1e-12);
	/* new is above base in all 100 pairs; two of C(20,10) = 184756 labellings are as far */
	cr_assert_float_eq(c.u, 100, 0);
	cr_assert_float_eq(c.p / (2.0 / 184756), 1, 1e-9);
	cr_assert(c.ci_lo > 1.15 && c.ci_hi < 1.25, "%g-%g", c.ci_lo, c.ci_hi);
	cr_assert_eq(metric_cmp_measure(base, 10, base, 10, &o, &d), 0);
	cr_assert_float_eq(d.p, 1, 1e-12);
	metric_cmp_holm(set, 2);
	cr_assert_float_eq(c.p_adj, 2 * c.p, 1e-15);
	metric_cmp_decide(&c, false, &o);
	cr_assert_eq(c.verdict, VERDICT_REGRESSED);
	metric_cmp_decide(&c, true, &o);
	cr_assert_eq(c.verdict, VERDICT_IMPROVED);
	metric_cmp_decide(&d, false, &o);
	cr_assert_eq(d.verdict, VERDICT_UNCHANGED, "%s", d.why);
	/* Fewer resamples than 2000 are raised to 2000: the same interval as asking for it. */
	o.resamples = 10;
	cr_assert_eq(metric_cmp_measure(base, 10, cur, 10, &o, &d), 0);
	o.resamples = 2000;
	cr_assert_eq(metric_cmp_measure(base, 10, cur, 10, &o, &c), 0);
	cr_assert_eq(c.ci_lo, d.ci_lo);
	cr_assert_eq(c.ci_hi, d.ci_hi);
}

Test(compare_stats, verdict_names)
{
	cr_assert_str_eq(verdict_name(VERDICT_UNCHANGED), "unchanged");
	cr_assert_str_eq(verdict_name(VERDICT_IMPROVED), "improved");
	cr_assert_str_eq(verdict_name(VERDICT_REGRESSED), "regressed");
	cr_assert_str_eq(verdict_name(VERDICT_INCONCLUSIVE), "inconclusive");
}
