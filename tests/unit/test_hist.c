// SPDX-License-Identifier: GPL-2.0
/*
 * Percentiles from log2 buckets: never outside the exact [min, max] the kernel records, and
 * the bounds given with each estimate hold the true percentile of the data.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "tools/hist_user.h"

/* What hist_record() in bpf/hist.bpf.h does with one value. */
static void record(struct hist *h, __u64 v)
{
	int slot = v ? 63 - __builtin_clzll(v) : 0;

	if (!h->count || v < h->min)
		h->min = v;
	if (v > h->max)
		h->max = v;
	h->slots[slot]++;
	h->count++;
	h->sum += v;
}

static int cmp_u64(const void *a, const void *b)
{
	__u64 x = *(const __u64 *)a, y = *(const __u64 *)b;

	return (x > y) - (x < y);
}

/* The q-th value of sorted v (nearest rank, as the buckets count it). */
static __u64 true_percentile(const __u64 *v, size_t n, double q)
{
	size_t rank = (size_t)(q * n + 0.999999);

	return v[rank ? rank - 1 : 0];
}

static void assert_bounded(const struct hist *h, __u64 *v, size_t n)
{
	static const double qs[] = { 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 1.0 };

	qsort(v, n, sizeof(*v), cmp_u64);
	for (size_t i = 0; i < sizeof(qs) / sizeof(qs[0]); i++) {
		double lo, hi, p = hist_percentile(h, qs[i], &lo, &hi);
		__u64 truth = true_percentile(v, n, qs[i]);

		cr_assert(p >= (double)h->min && p <= (double)h->max,
			  "p%g = %.0f outside [%llu, %llu]", qs[i] * 100, p,
			  (unsigned long long)h->min, (unsigned long long)h->max);
		cr_assert(lo <= p && p <= hi, "p%g = %.0f outside its bounds [%.0f, %.0f]",
			  qs[i] * 100, p, lo, hi);
		cr_assert((double)truth >= lo && (double)truth <= hi,
			  "true p%g %llu outside the bounds [%.0f, %.0f]", qs[i] * 100,
			  (unsigned long long)truth, lo, hi);
	}
}

/* A function that never took less than 250 us: its p50 is not 198 us. */
Test(hist, percentiles_stay_inside_min_and_max)
{
	__u64 v[1000];
	struct hist h = {};

	for (size_t i = 0; i < 1000; i++) {
		v[i] = 250000 + (i % 10) * 1000;	/* bucket [131072, 262143] */
		record(&h, v[i]);
	}
	cr_assert_eq(h.min, 250000);
	cr_assert_geq(hist_percentile(&h, 0.5, NULL, NULL), 250000);
	assert_bounded(&h, v, 1000);
}

Test(hist, bounds_hold_the_truth_on_random_data)
{
	__u64 v[500];

	srand(12345);
	for (int round = 0; round < 200; round++) {
		struct hist h = {};
		size_t n = 1 + rand() % 500;

		for (size_t i = 0; i < n; i++) {
			/* Spread over a few decades, as latencies are. */
			v[i] = (__u64)(rand() % 1000 + 1) << (rand() % 12);
			record(&h, v[i]);
		}
		assert_bounded(&h, v, n);
	}
}

/* Per-CPU copies merge: an empty one brings no 0 into min. */
Test(hist, add_merges_min_and_max_skipping_empty_copies)
{
	struct hist a = {}, b = {}, empty = {}, sum = {};

	record(&a, 700);
	record(&a, 900);
	record(&b, 300);
	record(&b, 5000);
	hist_add(&sum, &empty);
	hist_add(&sum, &a);
	hist_add(&sum, &empty);
	hist_add(&sum, &b);
	cr_assert_eq(sum.min, 300);
	cr_assert_eq(sum.max, 5000);
	cr_assert_eq(sum.count, 4);
	cr_assert_eq(sum.sum, 6900);
}

Test(hist, empty_histogram_has_no_percentile)
{
	struct hist h = {};
	double lo = -1, hi = -1;

	cr_assert_eq(hist_percentile(&h, 0.5, &lo, &hi), 0);
	cr_assert_eq(lo, 0);
	cr_assert_eq(hi, 0);
}
