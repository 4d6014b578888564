// SPDX-License-Identifier: GPL-2.0
/* Unit tests: metrics compared run by run (metric_cmp_runs), against worked numbers. */
#include <criterion/criterion.h>
#include <errno.h>
#include <math.h>

#include "compare/adjust.h"
#include "compare/verdict.h"

Test(compare_runs, interval_and_p_are_the_t_test_of_the_log_run_medians)
{
	struct compare_opts o = COMPARE_OPTS_DEFAULT;
	struct metric_cmp c;
	/* log base = {-0.1, 0, 0.1}: mean 0, ss 0.02; log new = {d-0.1, d, d+0.1}: ss 0.02.
	 * df 4, sigma = sqrt(0.04/4) = 0.1, se = 0.1 * sqrt(2/3) = 0.0816497.
	 * With d = se * 2.776445 (t_{0.975,4}), the two-sided p is 0.05 and the lower end of
	 * the 95% interval is exactly 1. */
	double d = 0.0816497 * 2.776445;
	double base[3] = { exp(-0.1), 1, exp(0.1) };
	double cur[3] = { exp(d - 0.1), exp(d), exp(d + 0.1) };

	cr_assert_eq(metric_cmp_runs(base, 3, cur, 3, NULL, &o, &c), 0);
	cr_assert(c.by_runs);
	cr_assert_eq(c.df, 4);
	cr_assert_float_eq(c.sd_pct, 10, 1e-6);
	cr_assert_float_eq(c.ratio, exp(d), 1e-9);
	cr_assert_float_eq(c.p, 0.05, 1e-5);
	cr_assert_float_eq(c.ci_lo, 1, 1e-5);
	cr_assert_float_eq(c.ci_hi, exp(2 * d), 1e-5);
	cr_assert_float_eq(c.base_median, 1, 1e-12);
	cr_assert_float_eq(c.new_median, exp(d), 1e-12);
}

Test(compare_runs, a_calibration_lends_its_degrees_of_freedom_to_one_run_a_side)
{
	struct compare_opts o = COMPARE_OPTS_DEFAULT;
	/* 21 calibration runs with sigma 1%: ss = 20 * 0.01^2. */
	struct run_noise noise = { .ss = 20 * 0.0001, .df = 20 };
	double base[1] = { 100 }, cur[1] = { 100 / 1.1 };
	struct metric_cmp c;

	cr_assert_eq(metric_cmp_runs(base, 1, cur, 1, NULL, &o, &c), -EDOM);
	cr_assert_eq(metric_cmp_runs(base, 1, cur, 1, &noise, &o, &c), 0);
	cr_assert_eq(c.df, 20);
	cr_assert_float_eq(c.sd_pct, 1, 1e-9);
	/* se = 0.01 * sqrt(2); t_{0.975,20} = 2.085963: the interval 0.870-0.936 */
	cr_assert_float_eq(c.ci_lo, exp(log(1 / 1.1) - 2.085963 * 0.01 * sqrt(2)), 1e-6);
	cr_assert_float_eq(c.ci_hi, exp(log(1 / 1.1) + 2.085963 * 0.01 * sqrt(2)), 1e-6);
	cr_assert(c.p < 1e-5, "p %g", c.p);
	metric_cmp_decide(&c, true, &o);
	cr_assert_eq(c.verdict, VERDICT_REGRESSED, "%s", c.why);

	/* Twice the noise: the same 10% is significant (t = 3.37, p = 0.003) but its interval
	 * (0.857-0.964) reaches into the 5% threshold: no verdict. */
	noise.ss *= 4;
	cr_assert_eq(metric_cmp_runs(base, 1, cur, 1, &noise, &o, &c), 0);
	cr_assert(c.p > 0.002 && c.p < 0.004, "p %g", c.p);
	metric_cmp_decide(&c, true, &o);
	cr_assert_eq(c.verdict, VERDICT_INCONCLUSIVE);
	cr_assert_str_eq(c.why, "CI 0.857-0.964 straddles the 5% threshold");
}

Test(compare_runs, runs_that_differ_more_than_the_change_give_no_verdict)
{
	struct compare_opts o = COMPARE_OPTS_DEFAULT;
	double base[5] = { 100, 130, 95, 125, 100 }, cur[1] = { 90 };
	struct metric_cmp c;

	cr_assert_eq(metric_cmp_runs(base, 5, cur, 1, NULL, &o, &c), 0);
	metric_cmp_decide(&c, true, &o);
	cr_assert_eq(c.verdict, VERDICT_INCONCLUSIVE);
	cr_assert(c.ci_lo < 0.95 && c.ci_hi > 1.05, "%g-%g", c.ci_lo, c.ci_hi);
}

Test(compare_runs, identical_runs_and_values_not_above_zero)
{
	struct compare_opts o = COMPARE_OPTS_DEFAULT;
	double same[3] = { 5, 5, 5 }, zero[2] = { 0, 5 };
	struct metric_cmp c;

	cr_assert_eq(metric_cmp_runs(same, 3, same, 3, NULL, &o, &c), 0);
	cr_assert_float_eq(c.ratio, 1, 1e-12);
	cr_assert_float_eq(c.ci_lo, 1, 1e-12);
	cr_assert_float_eq(c.p, 1, 1e-12);
	metric_cmp_decide(&c, false, &o);
	cr_assert_eq(c.verdict, VERDICT_UNCHANGED);
	cr_assert_eq(metric_cmp_runs(zero, 2, same, 3, NULL, &o, &c), -EDOM);
}

/* A result of 'runs' runs of benchmarks a (2 repetitions) and b (3), with b's metric and the
 * reference as given. */
static json_t *adjust_doc(int runs, json_t *samples, json_t *ref, const char *unit)
{
	json_t *doc = json_pack("{s:[{s:s s:i}, {s:s s:i}] s:[{s:s s:s s:s s:o}, {s:s s:s "
				"s:s s:o}]}", "benchmarks", "name", "a", "reps", 2, "name", "b",
				"reps", 3, "metrics", "name", "b/w/ops_per_s", "unit", unit,
				"status", "ok", "samples", samples, "name",
				"machine/reference/ops_per_s", "unit", "ops/s", "status", "ok",
				"samples", ref);
	json_t *r = json_array();

	for (int i = 0; runs > 1 && i < runs; i++)
		json_array_append_new(r, json_pack("{s:i}", "time", i));
	json_object_set_new(doc, "runs", r);
	return doc;
}

Test(compare_runs, throughput_over_the_reference_of_the_same_repetition)
{
	double out[4];
	json_t *doc;

	/* b's repetitions are the reference's 3rd to 5th samples of each run. */
	doc = adjust_doc(1, json_pack("[f,f,f]", 10.0, 20.0, 30.0),
			 json_pack("[f,f,f,f,f]", 1.0, 1.0, 2.0, 4.0, 5.0), "ops/s");
	cr_assert_eq(metric_adjusted_run_medians(doc, json_array_get(json_object_get(doc,
		"metrics"), 0), out, 4), 1);
	cr_assert_float_eq(out[0], 5, 1e-12);	/* median of 10/2, 20/4, 30/5 */
	json_decref(doc);

	doc = adjust_doc(2, json_pack("[f,f,f,f,f,f]", 10.0, 20.0, 30.0, 8.0, 8.0, 8.0),
			 json_pack("[f,f,f,f,f,f,f,f,f,f]", 1.0, 1.0, 2.0, 4.0, 5.0,
				   9.0, 9.0, 2.0, 2.0, 4.0), "ops/s");
	cr_assert_eq(metric_adjusted_run_medians(doc, json_array_get(json_object_get(doc,
		"metrics"), 0), out, 4), 2);
	cr_assert_float_eq(out[1], 4, 1e-12);	/* median of 8/2, 8/2, 8/4 */
	/* Not one reference sample per repetition: no pairing. */
	json_array_remove(json_object_get(json_array_get(json_object_get(doc, "metrics"), 1),
					  "samples"), 9);
	cr_assert_eq(metric_adjusted_run_medians(doc, json_array_get(json_object_get(doc,
		"metrics"), 0), out, 4), 0);
	json_decref(doc);

	/* Only throughputs are adjusted. */
	doc = adjust_doc(1, json_pack("[f,f,f]", 10.0, 20.0, 30.0),
			 json_pack("[f,f,f,f,f]", 1.0, 1.0, 2.0, 4.0, 5.0), "ns");
	cr_assert_eq(metric_adjusted_run_medians(doc, json_array_get(json_object_get(doc,
		"metrics"), 0), out, 4), 0);
	json_decref(doc);
}
