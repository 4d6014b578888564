// SPDX-License-Identifier: GPL-2.0
/* E-divisive means with a permutation test, applied recursively: see changepoint.h. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "changepoint.h"
#include "lib/stats.h"

struct segment {
	size_t start, end;
};

size_t changepoint_min_len(const struct changepoint_opts *opts)
{
	return 2 * opts->min_size;
}

/*
 * The split of x[0..len) with the largest q(tau), both sides at least min_size long; the
 * position in *tau. Element t moves from the right part to the left one at each step, so the
 * within-part sums are updated with one row of distances: O(len^2) for all splits.
 */
static double best_split(const double *x, size_t len, size_t min_size, size_t *tau)
{
	double total = 0, left = 0, right, best = -INFINITY;

	for (size_t i = 0; i < len; i++)
		for (size_t j = i + 1; j < len; j++)
			total += fabs(x[i] - x[j]);
	right = total;
	*tau = 0;
	for (size_t t = 0; t + 1 < len; t++) {
		double m = t + 1, k = len - t - 1, cross, q;

		for (size_t i = 0; i < t; i++)
			left += fabs(x[i] - x[t]);
		for (size_t j = t + 1; j < len; j++)
			right -= fabs(x[t] - x[j]);
		if (m < min_size || k < min_size)
			continue;
		cross = total - left - right;
		q = m * k / (m + k) *
		    (2 * cross / (m * k) - left / (m * (m - 1) / 2) - right / (k * (k - 1) / 2));
		if (q > best) {
			best = q;
			*tau = t + 1;
		}
	}
	return best;
}

/* p-value of the best split of x[0..len): how often shuffled values split as well. */
static double permutation_p(const double *x, size_t len, double q, const struct changepoint_opts *o,
			    gsl_rng *rng, double *scratch)
{
	unsigned int as_good = 0;
	size_t tau;

	memcpy(scratch, x, len * sizeof(*x));
	for (unsigned int r = 0; r < o->permutations; r++) {
		gsl_ran_shuffle(rng, scratch, len, sizeof(*scratch));
		/* Equal up to rounding counts as good as: a flat series is never split. */
		if (best_split(scratch, len, o->min_size, &tau) >= q - 1e-9 * fabs(q))
			as_good++;
	}
	return (1.0 + as_good) / (o->permutations + 1.0);
}

static int cmp_index(const void *a, const void *b)
{
	const struct changepoint *x = a, *y = b;

	return x->index < y->index ? -1 : x->index > y->index;
}

static void fill_segments(const double *v, size_t n, struct changepoint *cps, size_t ncps)
{
	qsort(cps, ncps, sizeof(*cps), cmp_index);
	for (size_t i = 0; i < ncps; i++) {
		struct changepoint *c = &cps[i];

		c->before_start = i ? cps[i - 1].index : 0;
		c->after_end = i + 1 < ncps ? cps[i + 1].index : n;
		c->before_median = stats_quantile(v + c->before_start, c->index - c->before_start,
						  0.5);
		c->after_median = stats_quantile(v + c->index, c->after_end - c->index, 0.5);
	}
}

int changepoint_detect(const double *v, size_t n, const struct changepoint_opts *opts,
		       struct changepoint **cps, size_t *ncps)
{
	struct segment *stack = NULL;
	struct changepoint *out = NULL;
	double *scratch = NULL;
	gsl_rng *rng = NULL;
	size_t depth = 0, nout = 0;
	int err = 0;

	*cps = NULL;
	*ncps = 0;
	if (!(opts->alpha > 0 && opts->alpha < 1) || !opts->permutations || opts->min_size < 2)
		return -EINVAL;
	if (n < changepoint_min_len(opts))
		return 0;
	/* Each split adds one change point and at most one pending segment: n bounds both. */
	stack = calloc(n, sizeof(*stack));
	out = calloc(n, sizeof(*out));
	scratch = calloc(n, sizeof(*scratch));
	rng = gsl_rng_alloc(gsl_rng_mt19937);
	if (!stack || !out || !scratch || !rng) {
		err = -ENOMEM;
		goto cleanup;
	}
	gsl_rng_set(rng, opts->seed);
	stack[depth++] = (struct segment){ 0, n };
	while (depth) {
		struct segment s = stack[--depth];
		size_t len = s.end - s.start, tau;
		double q, p;

		if (len < changepoint_min_len(opts))
			continue;
		q = best_split(v + s.start, len, opts->min_size, &tau);
		p = permutation_p(v + s.start, len, q, opts, rng, scratch);
		if (p > opts->alpha)
			continue;
		out[nout++] = (struct changepoint){ .index = s.start + tau, .q = q, .p_value = p };
		/* Right first: the left side is searched first, in a deterministic order. */
		stack[depth++] = (struct segment){ s.start + tau, s.end };
		stack[depth++] = (struct segment){ s.start, s.start + tau };
	}
	fill_segments(v, n, out, nout);
	*cps = out;
	*ncps = nout;
	out = NULL;
cleanup:
	free(stack);
	free(out);
	free(scratch);
	if (rng)
		gsl_rng_free(rng);
	return err;
}
