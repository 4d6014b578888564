// SPDX-License-Identifier: GPL-2.0
/* compare's p-values: Mann-Whitney against enumeration and published values, and Holm's. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_rng.h>

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
	struct metric_cmp c[16] = {}, *pc[16] = {};

	cr_assert_leq(n, 16);
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
