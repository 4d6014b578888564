// SPDX-License-Identifier: GPL-2.0
/*
 * Mann-Whitney U. The pooled samples get mid-ranks; doubled, those are integers, so the exact
 * null distribution of the first sample's doubled rank sum is a count over subsets: ways[k][s]
 * is the number of k-subsets of the pooled samples whose doubled ranks sum to s. Counts stay
 * below C(50, 25) ~ 1.3e14, exact in a double.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sf_gamma.h>

#include "mannwhitney.h"

struct obs {
	double v;
	int first;	/* from the first sample */
};

static int cmp_obs(const void *a, const void *b)
{
	double x = ((const struct obs *)a)->v, y = ((const struct obs *)b)->v;

	return x < y ? -1 : x > y;
}

/* Doubled mid-ranks (1-based ranks, so 2..2n) into r2[], in the order of o[] once sorted;
 * returns the tie term sum(t^3 - t) over groups of t equal values. */
static double rank2(struct obs *o, size_t n, long *r2)
{
	double ties = 0;
	size_t i = 0, j;

	qsort(o, n, sizeof(*o), cmp_obs);
	while (i < n) {
		for (j = i + 1; j < n && o[j].v == o[i].v; j++)
			;
		/* ranks i+1 .. j share (i+1+j)/2, doubled: i+1+j */
		for (size_t k = i; k < j; k++)
			r2[k] = (long)(i + 1 + j);
		ties += pow(j - i, 3) - (double)(j - i);
		i = j;
	}
	return ties;
}

/* P(|S - E| >= |s - E|) for the doubled rank sum S of na of the n ranks r2[]; 2E = na(n+1). */
static int exact_p(const long *r2, size_t n, size_t na, long s_obs, double *p)
{
	long smax = 0, dev, mean2 = (long)(na * (n + 1));
	double *ways, hits = 0, total = 0;
	size_t k, i;
	long s;

	for (i = 0; i < n; i++)
		smax += r2[i];
	ways = calloc((na + 1) * (smax + 1), sizeof(*ways));
	if (!ways)
		return -ENOMEM;
#define W(k, s) ways[(k) * (smax + 1) + (s)]
	W(0, 0) = 1;
	for (i = 0; i < n; i++)
		for (k = (i + 1 < na ? i + 1 : na); k >= 1; k--)
			for (s = smax; s >= r2[i]; s--)
				W(k, s) += W(k - 1, s - r2[i]);
	/* s and mean2 are both doubled: integers, compared exactly */
	dev = labs(s_obs - mean2);
	for (s = 0; s <= smax; s++) {
		total += W(na, s);
		if (labs(s - mean2) >= dev)
			hits += W(na, s);
	}
#undef W
	free(ways);
	*p = hits / total;
	return 0;
}

/* Normal approximation with tie correction and continuity correction. */
static double normal_p(double u, size_t na, size_t nb, double ties)
{
	double n = na + nb, mean = na * (double)nb / 2;
	double var = na * (double)nb / 12 * ((n + 1) - ties / (n * (n - 1)));
	double d = fabs(u - mean) - 0.5;

	if (var <= 0 || d <= 0)
		return 1;
	return fmin(1, 2 * gsl_cdf_ugaussian_Q(d / sqrt(var)));
}

int mannwhitney(const double *a, size_t na, const double *b, size_t nb, double *u, double *p)
{
	size_t n = na + nb, i;
	struct obs *o = NULL;
	long *r2 = NULL, s2 = 0;
	double ties;
	int err = 0;

	if (!na || !nb)
		return -EINVAL;
	o = malloc(n * sizeof(*o));
	r2 = malloc(n * sizeof(*r2));
	if (!o || !r2) {
		err = -ENOMEM;
		goto cleanup;
	}
	for (i = 0; i < n; i++) {
		o[i].v = i < na ? a[i] : b[i - na];
		o[i].first = i < na;
	}
	ties = rank2(o, n, r2);
	for (i = 0; i < n; i++)
		if (o[i].first)
			s2 += r2[i];
	/* U = R - na(na+1)/2, with R = s2/2 */
	*u = s2 / 2.0 - na * (na + 1) / 2.0;
	if (n <= MANNWHITNEY_EXACT_MAX)
		err = exact_p(r2, n, na, s2, p);
	else
		*p = normal_p(*u, na, nb, ties);
cleanup:
	free(o);
	free(r2);
	return err;
}

double mannwhitney_min_p(size_t na, size_t nb)
{
	if (!na || !nb)
		return 1;
	return fmin(1, 2 * exp(-gsl_sf_lnchoose(na + nb, na)));
}
