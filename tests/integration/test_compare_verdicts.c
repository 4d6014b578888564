// SPDX-License-Identifier: GPL-2.0
/* compare's metric verdicts on synthetic samples of a known ratio, and its settings. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare_fixture.h"

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Median of sample(0..n-1, factor), computed here independently of the harness. */
static double median_of(size_t n, double factor)
{
	double v[64];

	for (size_t i = 0; i < n; i++)
		v[i] = sample(i, factor);
	qsort(v, n, sizeof(v[0]), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

Test(compare, slowdown_of_20_percent_is_regressed_with_exit_1)
{
	const char *b = save(synthetic(10, 1.0), "b.json"), *n = save(synthetic(10, 1.2), "n.json");
	json_t *doc = compare_json("b.json n.json", NULL), *m;
	double want = median_of(10, 1.2) / median_of(10, 1.0);
	size_t i, regressed = 0;
	char args[600], *out;
	int st;

	json_array_foreach(json_object_get(doc, "metrics"), i, m) {
		const char *v = json_string_value(json_object_get(m, "verdict"));

		cr_expect_float_eq(json_real_value(json_object_get(m, "ratio")), want, 1e-9);
		cr_expect_lt(json_real_value(json_object_get(m, "ci_lo")), want);
		cr_expect_gt(json_real_value(json_object_get(m, "ci_hi")), want);
		cr_expect_gt(json_real_value(json_object_get(m, "ci_lo")), 1.05);
		cr_expect_lt(json_real_value(json_object_get(m, "p_holm")), 0.01);
		/* Up is worse where lower is better, and better where higher is. */
		cr_expect_str_eq(v, higher_better(m) ? "improved" : "regressed", "%s",
				 json_string_value(json_object_get(m, "name")));
		regressed += !higher_better(m);
	}
	cr_assert_gt(regressed, 0);
	cr_expect_eq(json_integer_value(json_object_get(json_object_get(doc, "summary"),
							"regressed")), (json_int_t)regressed);
	json_decref(doc);
	snprintf(args, sizeof(args), "%s %s", b, n);
	out = compare(args, &st, NULL);
	cr_expect_eq(st, 1, "%s", out);
	cr_expect_not_null(strstr(out, "regressed"), "%s", out);
	cr_expect_null(strchr(out, '\033'), "colour on a pipe: %s", out);
	free(out);
}

Test(compare, identical_data_is_unchanged_with_exit_0)
{
	json_t *doc, *m;
	size_t i;
	int st;

	save(synthetic(10, 1.0), "b.json");
	save(synthetic(10, 1.0), "n.json");
	doc = compare_json("b.json n.json", &st);
	cr_expect_eq(st, 0);
	json_array_foreach(json_object_get(doc, "metrics"), i, m) {
		cr_expect_str_eq(json_string_value(json_object_get(m, "verdict")), "unchanged");
		cr_expect_float_eq(json_real_value(json_object_get(m, "ratio")), 1.0, 1e-12);
	}
	json_array_foreach(json_object_get(doc, "checks"), i, m)
		cr_expect_str_eq(json_string_value(json_object_get(m, "verdict")), "unchanged");
	cr_expect_eq(json_array_size(json_object_get(doc, "warnings")), 0);
	json_decref(doc);
}

Test(compare, change_of_2_percent_is_unchanged_at_5_but_not_at_1)
{
	json_t *doc, *m;
	size_t i;
	int st;

	save(synthetic(10, 1.0), "b.json");
	save(synthetic(10, 1.02), "n.json");
	doc = compare_json("b.json n.json", &st);
	cr_expect_eq(st, 0);
	json_array_foreach(json_object_get(doc, "metrics"), i, m) {
		cr_expect_str_eq(json_string_value(json_object_get(m, "verdict")), "unchanged");
		cr_expect_float_eq(json_real_value(json_object_get(m, "threshold_pct")), 5, 1e-12);
	}
	json_decref(doc);
	/* The same data with a 1% threshold: the whole CI is above 1.01, and significant. */
	doc = compare_json("--threshold 1 b.json n.json", &st);
	cr_expect_eq(st, 1);
	json_array_foreach(json_object_get(doc, "metrics"), i, m)
		cr_expect_str_eq(json_string_value(json_object_get(m, "verdict")),
				 higher_better(m) ? "improved" : "regressed");
	json_decref(doc);
}

Test(compare, suite_threshold_globs_of_the_new_result_apply)
{
	json_t *n = synthetic(10, 1.2), *doc, *m;
	size_t i;

	json_object_set_new(json_object_get(n, "suite"), "thresholds_pct",
			    json_pack("{s:f}", "*/ns_per_event", 30.0));
	save(synthetic(10, 1.0), "b.json");
	save(n, "n.json");
	doc = compare_json("b.json n.json", NULL);
	json_array_foreach(json_object_get(doc, "metrics"), i, m) {
		const char *name = json_string_value(json_object_get(m, "name"));
		bool glob = strstr(name, "/ns_per_event") != NULL;

		cr_expect_float_eq(json_real_value(json_object_get(m, "threshold_pct")),
				   glob ? 30 : 5, 1e-12, "%s", name);
		if (glob) /* 1.2 lies inside [0.7, 1.3] */
			cr_expect_str_eq(json_string_value(json_object_get(m, "verdict")),
					 "unchanged");
	}
	json_decref(doc);
}

/* The smallest n for which Mann-Whitney with n and n samples can reach alpha after Holm
 * over m: 2 / C(2n, n) * m < alpha, computed here with lgamma. */
static size_t reps_for(size_t m, double alpha)
{
	for (size_t n = 2;; n++) {
		double log_c = lgamma(2 * n + 1) - 2 * lgamma(n + 1);

		if (2 * m * exp(-log_c) < alpha)
			return n;
	}
}

Test(compare, three_samples_are_inconclusive_with_the_power_warning)
{
	json_t *doc, *m;
	size_t i, metrics;
	char *out, want[64];
	int st;

	save(synthetic(3, 1.0), "b.json");
	save(synthetic(3, 1.5), "n.json");
	out = compare("b.json n.json", &st, NULL);
	doc = compare_json("b.json n.json", NULL);
	metrics = json_array_size(json_object_get(doc, "metrics"));
	json_array_foreach(json_object_get(doc, "metrics"), i, m) {
		cr_expect_str_eq(json_string_value(json_object_get(m, "verdict")), "inconclusive");
		const char *why = json_string_value(json_object_get(m, "why"));

		cr_expect_not_null(strstr(why, "5 samples"), "%s", why);
	}
	cr_expect_eq(st, 0);
	cr_expect_not_null(strstr(out, "warning:"), "%s", out);
	snprintf(want, sizeof(want), "--reps %zu' or more", reps_for(metrics, 0.01));
	cr_expect_not_null(strstr(out, want), "want '%s' in %s", want, out);
	cr_expect_eq(json_array_size(json_object_get(doc, "warnings")), 1);
	free(out);
	json_decref(doc);
}

/* The untraced throughput moved: a warning names it; costs keep their own verdicts. */
Test(compare, a_change_of_the_untraced_speed_is_warned_about)
{
	const char *untraced = "attach-overhead/syscall/untraced_ops_per_s";
	json_t *doc, *n, *m, *s, *w;
	size_t i;
	int st;

	save(synthetic(10, 1.0), "b.json");
	n = synthetic(10, 1.0);
	m = named(json_object_get(n, "metrics"), untraced);
	cr_assert_not_null(m, "the fixture has no '%s'", untraced);
	s = json_object_get(m, "samples");
	for (i = 0; i < json_array_size(s); i++)
		json_array_set_new(s, i, json_real(sample(i, 1.3)));
	save(n, "n.json");
	doc = compare_json("b.json n.json", &st);
	cr_expect_str_eq(verdict_of(doc, "metrics", untraced), "improved");
	cr_expect_str_eq(verdict_of(doc, "metrics", "attach-overhead/raw_tracepoint/ns_per_event"),
			 "unchanged");
	w = json_array_get(json_object_get(doc, "warnings"), 0);
	cr_assert(json_is_string(w), "no warning");
	cr_expect(strstr(json_string_value(w), "another speed") &&
		  strstr(json_string_value(w), untraced) && strstr(json_string_value(w), "x1.300"),
		  "%s", json_string_value(w));
	json_decref(doc);
}

/* --seed and --resamples reach the statistics (settings in the JSON) and are checked. */
Test(compare, seed_and_resamples_are_settings)
{
	const char *bad[] = { "--seed -1", "--seed x", "--resamples 1999", "--resamples 2e3",
			      "--resamples 10000001" };
	json_t *doc, *set;
	char args[128], *err;
	int st;

	save(synthetic(10, 1.0), "b.json");
	save(synthetic(10, 1.1), "n.json");
	doc = compare_json("--seed 7 --resamples 3000 b.json n.json", &st);
	set = json_object_get(doc, "settings");
	cr_expect_eq(json_integer_value(json_object_get(set, "seed")), 7);
	cr_expect_eq(json_integer_value(json_object_get(set, "resamples")), 3000);
	json_decref(doc);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(args, sizeof(args), "%s b.json n.json", bad[i]);
		free(compare(args, &st, &err));
		cr_expect_eq(st, 2, "%s: exit %d", bad[i], st);
		cr_expect(strstr(err, "must be a whole number") && strchr(err, '\n') &&
			  !strchr(err, '\n')[1], "%s: not one line: %s", bad[i], err);
		free(err);
	}
}
