// SPDX-License-Identifier: GPL-2.0
/*
 * 'bpfgauge compare' and 'bpfgauge baseline' as a user meets them. The inputs are a REAL
 * result of 'bpfgauge run' (a tiny suite: two checks, one benchmark variant) whose samples
 * are replaced with synthetic ones of a known ratio, so that every verdict has a known answer.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "integration.h"
#include "support.h"

static char dir[] = "/tmp/bpfgauge-compare-XXXXXX";
static char bin[512];

#define FIXTURE "build/tests/compare-fixture.json"

static void setup(void)
{
	test_dir_make(dir);
	cr_assert_not_null(realpath(bpfgauge_bin(), bin), "no %s", bpfgauge_bin());
}

static void teardown(void)
{
	test_dir_remove(dir);
}

TestSuite(compare, .init = setup, .fini = teardown);

/* The real result, made once per build of the binary (cached next to the test binary). */
static json_t *real_result(void)
{
	struct stat fx, b;
	char cmd[1024], *out;
	json_t *doc;
	int st;

	if (stat(FIXTURE, &fx) || stat(bin, &b) || fx.st_mtime < b.st_mtime) {
		snprintf(cmd, sizeof(cmd), "printf '[suite]\\nreps = 5\\nseconds = 0.1\\n"
			 "[checks]\\nrun = bpf_syscall,tracepoint\\n[bench attach-overhead]\\n"
			 "variants = raw_tracepoint\\n' > %s/tiny.suite && rm -f %s && "
			 "%s run %s/tiny.suite -o %s 2>&1", dir, FIXTURE, bin, dir, FIXTURE);
		out = sh(cmd, &st);
		cr_assert(st == 0 || st == 1, "bpfgauge run: %s", out);
		free(out);
	}
	doc = json_load_file(FIXTURE, 0, NULL);
	cr_assert_not_null(doc, "%s is not JSON", FIXTURE);
	cr_assert_geq(json_array_size(json_object_get(doc, "metrics")), 3);
	cr_assert_eq(json_array_size(json_object_get(doc, "checks")), 2);
	return doc;
}

/* Sample i of a tight synthetic series around 100 (spread 1%), times factor. */
static double sample(size_t i, double factor)
{
	return 100.0 * (1 + 0.01 * (double)((i * 7) % 10) / 10) * factor;
}

/* Every metric ok with n samples of sample(i, factor); checks as they were. */
static json_t *synthetic(size_t n, double factor)
{
	json_t *doc = real_result(), *m;
	size_t i;

	json_array_foreach(json_object_get(doc, "metrics"), i, m) {
		json_t *s = json_array();

		for (size_t k = 0; k < n; k++)
			json_array_append_new(s, json_real(sample(k, factor)));
		json_object_set_new(m, "samples", s);
		json_object_set_new(m, "status", json_string("ok"));
		json_object_del(m, "reason");
	}
	json_array_foreach(json_object_get(doc, "checks"), i, m)
		json_object_set_new(m, "status", json_string("pass"));
	return doc;
}

static const char *save(json_t *doc, const char *name)
{
	static char path[8][256];
	static int next;
	char *p = path[next++ % 8];

	snprintf(p, 256, "%s/%s", dir, name);
	cr_assert_eq(json_dump_file(doc, p, JSON_INDENT(1)), 0);
	json_decref(doc);
	return p;
}

/* Runs 'bpfgauge compare ARGS' in dir; stdout returned, stderr in *err (may be NULL). */
static char *compare(const char *args, int *status, char **err)
{
	char cmd[2048], *out;

	snprintf(cmd, sizeof(cmd), "cd %s && %s compare %s 2>%s/stderr", dir, bin, args, dir);
	out = sh(cmd, status);
	if (err) {
		snprintf(cmd, sizeof(cmd), "cat %s/stderr", dir);
		*err = sh(cmd, NULL);
	}
	return out;
}

static json_t *compare_json(const char *args, int *status)
{
	char full[1024], *out;
	json_t *doc;

	snprintf(full, sizeof(full), "--json %s", args);
	out = compare(full, status, NULL);
	doc = json_loads(out, 0, NULL);
	cr_assert_not_null(doc, "not JSON: %s", out);
	free(out);
	return doc;
}

static json_t *named(json_t *arr, const char *name)
{
	json_t *e;
	size_t i;

	json_array_foreach(arr, i, e)
		if (!strcmp(json_string_value(json_object_get(e, "name")), name))
			return e;
	return NULL;
}

static const char *verdict_of(json_t *doc, const char *list, const char *name)
{
	const char *v = json_string_value(json_object_get(named(json_object_get(doc, list), name),
							  "verdict"));

	return v ? v : "(none)";
}

static bool higher_better(json_t *m)
{
	return !strcmp(json_string_value(json_object_get(m, "better")), "higher");
}

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

static json_t *with_check(json_t *doc, const char *name, const char *status, const char *why)
{
	json_t *c = named(json_object_get(doc, "checks"), name);

	cr_assert_not_null(c, "no check %s in the real result", name);
	json_object_set_new(c, "status", json_string(status));
	json_object_set_new(c, "reason", json_string(why));
	return doc;
}

Test(compare, check_from_pass_to_unsupported_regresses_and_back_improves)
{
	json_t *doc;
	char *out;
	int st;

	save(synthetic(10, 1.0), "pass.json");
	save(with_check(synthetic(10, 1.0), "tracepoint", "unsupported", "CONFIG_X is not set"),
	     "unsup.json");
	doc = compare_json("pass.json unsup.json", &st);
	cr_expect_eq(st, 1);
	cr_expect_str_eq(verdict_of(doc, "checks", "tracepoint"), "regressed");
	cr_expect_str_eq(verdict_of(doc, "checks", "bpf_syscall"), "unchanged");
	json_decref(doc);
	out = compare("pass.json unsup.json", &st, NULL);
	cr_expect_not_null(strstr(out, "pass -> unsupported: CONFIG_X is not set"), "%s", out);
	free(out);
	doc = compare_json("unsup.json pass.json", &st);
	cr_expect_eq(st, 0);
	cr_expect_str_eq(verdict_of(doc, "checks", "tracepoint"), "improved");
	json_decref(doc);
}

Test(compare, metric_from_ok_to_unsupported_regresses_and_one_sided_are_listed)
{
	json_t *n = synthetic(10, 1.0), *m = json_array_get(json_object_get(n, "metrics"), 0);
	json_t *doc, *extra;
	const char *name = json_string_value(json_object_get(m, "name"));
	char first[128];
	int st;

	snprintf(first, sizeof(first), "%s", name);
	json_object_set_new(m, "status", json_string("unsupported"));
	json_object_set_new(m, "reason", json_string("no trampolines here"));
	json_object_set_new(m, "samples", json_array());
	extra = json_deep_copy(json_array_get(json_object_get(n, "metrics"), 1));
	json_object_set_new(extra, "name", json_string("made/up/metric"));
	json_array_append_new(json_object_get(n, "metrics"), extra);
	save(synthetic(10, 1.0), "b.json");
	save(n, "n.json");
	doc = compare_json("b.json n.json", &st);
	cr_expect_eq(st, 1);
	cr_expect_str_eq(verdict_of(doc, "metrics", first), "regressed");
	cr_expect_str_eq(json_string_value(json_object_get(named(json_object_get(doc, "metrics"),
		first), "why")), "ok -> unsupported: no trampolines here");
	cr_expect_str_eq(json_string_value(json_object_get(named(json_object_get(doc, "metrics"),
		"made/up/metric"), "presence")), "only_new");
	json_decref(doc);
	doc = compare_json("n.json b.json", &st);
	cr_expect_eq(st, 0);
	cr_expect_str_eq(verdict_of(doc, "metrics", first), "improved");
	cr_expect_str_eq(json_string_value(json_object_get(named(json_object_get(doc, "metrics"),
		first), "why")), "unsupported (no trampolines here) -> ok");
	json_decref(doc);
	/* Unsupported on both sides, for the same reason: nothing changed. */
	doc = compare_json("n.json n.json", &st);
	cr_expect_eq(st, 0);
	cr_expect_str_eq(verdict_of(doc, "metrics", first), "unchanged");
	json_decref(doc);
}

Test(compare, environment_differences_are_listed_and_time_is_not)
{
	json_t *n = synthetic(10, 1.0), *env = json_object_get(n, "environment"), *doc, *d;
	const char *want[] = { "kernel.release", "kernel_config.values.CONFIG_HZ", "later.field" };
	char *out;
	size_t i;

	json_object_set_new(json_object_get(env, "kernel"), "release", json_string("9.9.9-test"));
	json_object_set_new(json_object_get(json_object_get(env, "kernel_config"), "values"),
			    "CONFIG_HZ", json_string("1000"));
	json_object_set_new(env, "later", json_pack("{s:s}", "field", "added"));
	json_object_set_new(env, "time", json_string("2099-01-01T00:00:00Z"));
	save(synthetic(10, 1.0), "b.json");
	save(n, "n.json");
	doc = compare_json("b.json n.json", NULL);
	d = json_object_get(doc, "environment_diff");
	cr_expect_eq(json_array_size(d), 3, "%s", json_dumps(d, 0));
	for (i = 0; i < 3; i++)
		cr_expect_str_eq(json_string_value(json_object_get(json_array_get(d, i), "key")),
				 want[i]);
	cr_expect_str_eq(json_string_value(json_object_get(json_array_get(d, 0), "new")),
			 "9.9.9-test");
	cr_expect(json_is_null(json_object_get(json_array_get(d, 2), "base")));
	json_decref(doc);
	out = compare("b.json n.json", NULL, NULL);
	cr_expect_not_null(strstr(out, "environment: 3 differences"), "%s", out);
	cr_expect_not_null(strstr(out, "-> 9.9.9-test"), "%s", out);
	cr_expect_not_null(strstr(out, "(absent) -> added"), "%s", out);
	free(out);
}

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0;

	for (const char *p = hay; (p = strstr(p, needle)); p++)
		n++;
	return n;
}

Test(compare, junit_is_valid_xml_with_one_failure_per_regression)
{
	json_t *b = synthetic(10, 1.0), *m;
	char cmd[512], *out;
	size_t i, want = 1, cases;
	int st;

	/* Expected failures: the lower-is-better metrics (x1.2), and the check. */
	json_array_foreach(json_object_get(b, "metrics"), i, m)
		want += !higher_better(m);
	cases = json_array_size(json_object_get(b, "metrics")) +
		json_array_size(json_object_get(b, "checks"));
	save(b, "b.json");
	save(with_check(synthetic(10, 1.2), "tracepoint", "fail", "0 of 64 counted"), "n.json");
	free(compare("--junit out.xml b.json n.json", &st, NULL));
	cr_expect_eq(st, 1);
	snprintf(cmd, sizeof(cmd), "xmllint --noout %s/out.xml 2>&1", dir);
	out = sh(cmd, &st);
	cr_expect_eq(st, 0, "xmllint: %s", out);
	free(out);
	snprintf(cmd, sizeof(cmd), "cat %s/out.xml", dir);
	out = sh(cmd, NULL);
	cr_expect_eq(count(out, "<failure "), want, "%s", out);
	cr_expect_eq(count(out, "<testcase "), cases, "%s", out);
	snprintf(cmd, sizeof(cmd), "failures=\"%zu\"", want);
	cr_expect_not_null(strstr(out, cmd), "%s", out);
	free(out);
	/* Never overwritten: a second run refuses, and the file stays. */
	out = compare("--junit out.xml b.json n.json", &st, NULL);
	cr_expect_eq(st, 2);
	free(out);
}

Test(compare, json_agrees_with_the_table)
{
	json_t *doc, *m;
	char *out, line[512];
	size_t i;

	save(synthetic(10, 1.0), "b.json");
	save(with_check(synthetic(10, 1.04), "bpf_syscall", "error", "broke"), "n.json");
	doc = compare_json("b.json n.json", NULL);
	out = compare("b.json n.json", NULL, NULL);
	for (int k = 0; k < 2; k++) {
		json_array_foreach(json_object_get(doc, k ? "metrics" : "checks"), i, m) {
			/* The table prints "  VERDICT NAME" with the verdict padded to 12. */
			snprintf(line, sizeof(line), "  %-12s %s",
				 json_string_value(json_object_get(m, "verdict")),
				 json_string_value(json_object_get(m, "name")));
			cr_expect_not_null(strstr(out, line), "'%s' not in %s", line, out);
		}
	}
	cr_expect_eq(json_integer_value(json_object_get(doc, "exit_code")), 1);
	json_decref(doc);
	free(out);
}

Test(compare, matrix_of_three_results_has_three_columns)
{
	json_t *doc, *r;
	char *out;
	size_t i;
	int st;

	save(synthetic(10, 1.0), "a.json");
	save(synthetic(10, 1.0), "b.json");
	save(synthetic(10, 1.2), "c.json");
	doc = compare_json("a.json b.json c.json", &st);
	cr_expect_eq(st, 1);
	cr_expect_eq(json_array_size(json_object_get(doc, "columns")), 3);
	cr_expect_eq(json_array_size(json_object_get(doc, "comparisons")), 2);
	json_array_foreach(json_object_get(doc, "rows"), i, r) {
		json_t *cells = json_object_get(r, "cells");

		cr_expect_eq(json_array_size(cells), 3);
		cr_expect(json_is_null(json_object_get(json_array_get(cells, 0), "verdict")));
		cr_expect_str_eq(json_string_value(json_object_get(json_array_get(cells, 1),
								    "verdict")), "unchanged");
	}
	json_decref(doc);
	out = compare("a.json b.json c.json", &st, NULL);
	cr_expect_not_null(strstr(out, "R1 "), "%s", out);
	cr_expect_not_null(strstr(out, "R3 "), "%s", out);
	cr_expect_null(strstr(out, "R4 "), "%s", out);
	cr_expect_not_null(strstr(out, "x1.200 !"), "%s", out);
	free(out);
	doc = compare_json("--matrix a.json b.json", &st);
	cr_expect_eq(st, 0);
	cr_expect_eq(json_array_size(json_object_get(doc, "columns")), 2);
	json_decref(doc);
}

Test(compare, markdown_has_a_row_per_metric_and_check)
{
	json_t *b = synthetic(10, 1.0);
	size_t rows = json_array_size(json_object_get(b, "metrics")) +
		      json_array_size(json_object_get(b, "checks"));
	char *out;

	save(b, "b.json");
	save(synthetic(10, 1.2), "n.json");
	out = compare("--markdown b.json n.json", NULL, NULL);
	cr_expect_not_null(strstr(out, "| verdict | check / metric |"), "%s", out);
	/* header, separator, and one per row */
	cr_expect_eq(count(out, "\n|"), rows + 2, "%s", out);
	cr_expect_not_null(strstr(out, "| **regressed** |"), "%s", out);
	free(out);
}

/* One line on stderr, naming the file, and exit 2. */
static void expect_bad(const char *args, const char *file, const char *what)
{
	char *out, *err;
	int st;

	out = compare(args, &st, &err);
	cr_expect_eq(st, 2, "%s: exit %d: %s", args, st, err);
	cr_expect_eq(count(err, "\n"), 1, "%s: not one line: %s", args, err);
	cr_expect_not_null(strstr(err, file), "%s: '%s' not named: %s", args, file, err);
	cr_expect_not_null(strstr(err, what), "%s: '%s' not said: %s", args, what, err);
	cr_expect_eq(strncmp(err, "bpfgauge compare: ", 18), 0, "%s", err);
	free(out);
	free(err);
}

Test(compare, malformed_inputs_exit_2_with_one_line_naming_the_file)
{
	json_t *doc = synthetic(10, 1.0), *m;
	char cmd[512], *text;
	FILE *f;
	size_t i;

	save(json_deep_copy(doc), "good.json");
	text = json_dumps(doc, 0);
	snprintf(cmd, sizeof(cmd), "%s/trunc.json", dir);
	f = fopen(cmd, "w");
	cr_assert_not_null(f);
	fwrite(text, 1, strlen(text) / 2, f);
	fclose(f);
	free(text);
	json_decref(doc);
	snprintf(cmd, sizeof(cmd), "cd %s && : > empty.json && mkdir d.json", dir);
	free(sh(cmd, NULL));
	doc = synthetic(10, 1.0);
	json_array_append_new(json_object_get(json_array_get(json_object_get(doc, "metrics"), 1),
					      "samples"), json_string("12"));
	save(doc, "string.json");
	doc = synthetic(10, 1.0);
	json_object_set_new(doc, "schema_version", json_string("2.0"));
	save(doc, "v2.json");
	doc = synthetic(10, 1.0);
	json_object_del(doc, "metrics");
	save(doc, "nometrics.json");
	doc = synthetic(10, 1.0);
	json_array_clear(json_object_get(doc, "checks"));
	json_array_foreach(json_object_get(doc, "metrics"), i, m) {
		char name[32];

		snprintf(name, sizeof(name), "other/%zu", i);
		json_object_set_new(m, "name", json_string(name));
	}
	save(doc, "disjoint.json");

	expect_bad("good.json trunc.json", "trunc.json", "not valid JSON");
	expect_bad("good.json string.json", "string.json", "metrics[1].samples[10] is a string");
	expect_bad("v2.json good.json", "v2.json", "schema_version \"2.0\"");
	expect_bad("good.json nometrics.json", "nometrics.json", "no \"metrics\"");
	expect_bad("good.json empty.json", "empty.json", "empty");
	expect_bad("good.json d.json", "d.json", "directory");
	expect_bad("good.json missing.json", "missing.json", "No such file");
	expect_bad("nobaseline good.json", "nobaseline", "no baseline 'nobaseline'");
	expect_bad("good.json disjoint.json", "disjoint.json", "nothing to compare");
	expect_bad("good.json", "BASE NEW", "two results");
	expect_bad("--alpha 2 good.json good.json", "'2'", "--alpha");
}

static char *in_dir(const char *args, int *st)
{
	char cmd[1024];

	snprintf(cmd, sizeof(cmd), "cd %s && %s %s 2>&1", dir, bin, args);
	return sh(cmd, st);
}

/* Byte for byte, with cmp(1). */
static bool same_file(const char *a, const char *b)
{
	char cmd[512];
	int st;

	snprintf(cmd, sizeof(cmd), "cd %s && cmp -s %s %s", dir, a, b);
	free(sh(cmd, &st));
	return st == 0;
}

Test(compare, baseline_save_list_and_compare_by_name)
{
	json_t *b = synthetic(10, 1.0);
	char *out, want[128];
	int st;

	snprintf(want, sizeof(want), "%zu", json_array_size(json_object_get(b, "metrics")));
	save(b, "b.json");
	save(synthetic(10, 1.2), "n.json");
	out = in_dir("baseline save main b.json", &st);
	cr_expect_eq(st, 0, "%s", out);
	free(out);
	cr_expect(same_file("b.json", "results/baselines/main.json"));
	out = in_dir("baseline list", &st);
	cr_expect_eq(st, 0);
	cr_expect_not_null(strstr(out, "main "), "%s", out);
	cr_expect_not_null(strstr(out, "tiny"), "suite name: %s", out);
	cr_expect_not_null(strstr(out, want), "metrics count %s: %s", want, out);
	free(out);
	out = in_dir("compare main n.json", &st);
	cr_expect_eq(st, 1, "%s", out);
	cr_expect_not_null(strstr(out, "results/baselines/main.json"), "%s", out);
	free(out);
	/* Never overwritten: the same name again is refused and says what to do. */
	out = in_dir("baseline save main n.json", &st);
	cr_expect_eq(st, 2);
	cr_expect_not_null(strstr(out, "pick another name or remove the file"), "%s", out);
	free(out);
	cr_expect(same_file("b.json", "results/baselines/main.json"));
}

Test(compare, baseline_save_takes_the_newest_result_by_its_time)
{
	json_t *old = synthetic(10, 1.0), *newer = synthetic(10, 1.3);
	char cmd[512], *out;
	int st;

	json_object_set_new(json_object_get(newer, "environment"), "time",
			    json_string("2031-01-01T00:00:00Z"));
	json_object_set_new(json_object_get(old, "environment"), "time",
			    json_string("2030-01-01T00:00:00Z"));
	snprintf(cmd, sizeof(cmd), "mkdir -p %s/results", dir);
	free(sh(cmd, NULL));
	/* The newer by time is written first, so that its mtime is the older one. */
	save(newer, "results/newer.json");
	sleep(1);
	save(old, "results/older.json");
	out = in_dir("baseline save latest", &st);
	cr_expect_eq(st, 0, "%s", out);
	free(out);
	cr_expect(same_file("results/newer.json", "results/baselines/latest.json"));
}

Test(compare, baseline_refuses_bad_names_and_creates_nothing)
{
	const char *bad[] = { "'a/b'", "''", "'.hidden'", "'-x'", "'a b'" };
	char cmd[256], *out;
	int st;

	save(synthetic(10, 1.0), "b.json");
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(cmd, sizeof(cmd), "baseline save %s b.json", bad[i]);
		out = in_dir(cmd, &st);
		cr_expect_eq(st, 2, "%s: %s", bad[i], out);
		cr_expect_not_null(strstr(out, "not a valid baseline name"), "%s: %s", bad[i], out);
		free(out);
	}
	out = in_dir("baseline save ok", &st);
	cr_expect_eq(st, 2);
	cr_expect_not_null(strstr(out, "no result in 'results/'"), "%s", out);
	free(out);
	snprintf(cmd, sizeof(cmd), "ls -A %s/results 2>/dev/null | wc -l", dir);
	out = sh(cmd, NULL);
	cr_expect_str_eq(out, "0\n", "created: %s", out);
	free(out);
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

/* Reasons that differ only in their numbers (a pid, a count) are the same reason. */
Test(compare, a_reason_that_differs_only_in_numbers_is_not_a_change)
{
	json_t *doc;
	int st;

	save(with_check(synthetic(10, 1.0), "tracepoint", "pass", "64 of 64 seen in pid 8016"),
	     "a.json");
	save(with_check(synthetic(10, 1.0), "tracepoint", "pass", "64 of 64 seen in pid 8128"),
	     "b.json");
	save(with_check(synthetic(10, 1.0), "tracepoint", "pass", "64 of 64 seen in tid 8128"),
	     "c.json");
	doc = compare_json("a.json b.json", &st);
	cr_expect_str_eq(json_string_value(json_object_get(named(json_object_get(doc, "checks"),
				"tracepoint"), "why")), "");
	json_decref(doc);
	doc = compare_json("a.json c.json", &st);
	cr_expect_str_eq(json_string_value(json_object_get(named(json_object_get(doc, "checks"),
				"tracepoint"), "why")),
			 "reason: 64 of 64 seen in pid 8016 -> 64 of 64 seen in tid 8128");
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
