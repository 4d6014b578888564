// SPDX-License-Identifier: GPL-2.0
/* compare's verdict rules at their edges, and one measurement through to its verdict. */
#include <criterion/criterion.h>
#include <errno.h>
#include <math.h>

#include "compare/verdict.h"

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
