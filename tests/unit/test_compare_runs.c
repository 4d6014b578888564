// SPDX-License-Identifier: GPL-2.0
/* Unit tests: metrics compared run by run (metric_cmp_runs), against worked numbers. */
#include <criterion/criterion.h>
#include <errno.h>
#include <math.h>

#include "compare/run_mask.h"
#include "result/run_values.h"
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

/* A metric of unit 'unit' with these samples and, for several runs, these run medians. */
static json_t *metric_of(const char *unit, json_t *samples, json_t *medians)
{
	json_t *m = json_pack("{s:s s:s s:s s:o}", "name", "b/w/x", "unit", unit, "status", "ok",
			      "samples", samples);

	if (medians)
		json_object_set_new(m, "run_medians", medians);
	return m;
}

Test(compare_runs, a_throughputs_run_value_is_its_fastest_repetition)
{
	double out[4];
	bool took;
	json_t *m;

	/* Two runs of three repetitions: medians 3 and 2, fastest 5 and 9. */
	m = metric_of("ops/s", json_pack("[f,f,f,f,f,f]", 1.0, 5.0, 3.0, 2.0, 2.0, 9.0),
		      json_pack("[f,f]", 3.0, 2.0));
	cr_assert(metric_run_fastest(m));
	cr_assert_eq(metric_run_values(m, true, out, 4, &took), 2);
	cr_assert(took);
	cr_assert_float_eq(out[0], 5, 1e-12);
	cr_assert_float_eq(out[1], 9, 1e-12);
	/* Not asked for (results that cannot tell runs on a shared core): the medians. */
	cr_assert_eq(metric_run_values(m, false, out, 4, &took), 2);
	cr_assert_not(took);
	cr_assert_float_eq(out[0], 3, 1e-12);
	json_decref(m);

	/* A cost: the medians. */
	m = metric_of("ns", json_pack("[f,f,f,f,f,f]", 1.0, 5.0, 3.0, 2.0, 2.0, 9.0),
		      json_pack("[f,f]", 3.0, 2.0));
	cr_assert_not(metric_run_fastest(m));
	cr_assert_eq(metric_run_values(m, true, out, 4, &took), 2);
	cr_assert_float_eq(out[0], 3, 1e-12);
	cr_assert_float_eq(out[1], 2, 1e-12);
	json_decref(m);

	/* Runs of 2 and 4 repetitions (medians 3 and 2): an even split would give back other
	 * medians, so the runs cannot be told apart and the medians stand (and say so). */
	m = metric_of("ops/s", json_pack("[f,f,f,f,f,f]", 1.0, 5.0, 2.0, 2.0, 2.0, 9.0),
		      json_pack("[f,f]", 3.0, 2.0));
	cr_assert_eq(metric_run_values(m, true, out, 4, &took), 2);
	cr_assert_not(took);
	cr_assert_float_eq(out[0], 3, 1e-12);
	cr_assert_float_eq(out[1], 2, 1e-12);
	json_decref(m);

	/* One run: all its repetitions. */
	m = metric_of("ops/s", json_pack("[f,f,f]", 4.0, 7.0, 6.0), NULL);
	cr_assert_eq(metric_run_values(m, true, out, 4, &took), 1);
	cr_assert_float_eq(out[0], 7, 1e-12);
	json_decref(m);
}

Test(compare_runs, a_mask_keeps_the_runs_that_had_the_cpu)
{
	struct run_mask none = { 0 }, two = { .runs = 3, .kept = 2, .keep = { true, false, true } };
	struct run_mask nothing = { .runs = 3, .kept = 0 };
	double v[3] = { 1, 2, 3 };

	cr_assert_eq(run_mask_apply(&none, v, 3), 3);
	cr_assert_eq(run_mask_apply(&nothing, v, 3), 3, "a mask that keeps none keeps all");
	cr_assert_eq(run_mask_apply(&two, v, 2), 2, "a mask of another count changes nothing");
	cr_assert_eq(run_mask_apply(&two, v, 3), 2);
	cr_assert_float_eq(v[0], 1, 1e-12);
	cr_assert_float_eq(v[1], 3, 1e-12);
}
