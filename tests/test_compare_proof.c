// SPDX-License-Identifier: GPL-2.0
/*
 * That 'bpfgauge compare' finds what is there and nothing else, on real runs of this machine:
 *
 * - A/A: two runs of the same suite compared: no metric is regressed (nor improved). The
 *   suite's thresholds are those this machine needs: its speed flips between two states for
 *   seconds to minutes (an untraced getppid takes ~195 or ~260 ns, a third apart), and every
 *   absolute number (ops/s, ns per event) moves with it from one run to the next, while the
 *   statistics only see the spread inside each run. Absolute metrics get 40 %, relative ones
 *   (slowdown_pct: the added time in % of the same run's untraced operation) 10 %.
 * - Injected regression: the 'syscall' workload with inject_extra_pct = 10 makes 10 % more
 *   getppid calls per operation (counted in tests/test_inject.c), so its throughput is
 *   1/1.1 = 0.909 of a run without: compare must call it regressed with an interval that
 *   covers 0.909, and the reverse (the injected run as the base) improved, covering 1.1.
 *
 * Separate runs see the machine as it is at their time: this VM's speed moves by a third for
 * seconds to minutes (an untraced getppid takes ~195 or ~260 ns). The injected test therefore
 * runs base, injected, base again and takes the two base runs as its control: only when they
 * agree (their medians within CONTROL_PCT, and compare calls them unchanged: the interval inside
 * the threshold, so the runs were steady too) was the machine the same for the injected run,
 * and only then are the verdicts asserted, the true ratio give or take the drift the control
 * measured; otherwise it tries again, up to ATTEMPTS times, and fails
 * saying the machine never held still.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "support.h"

#define ATTEMPTS 12
#define CONTROL_PCT 3.0
#define METRIC "workload-throughput/syscall/ops_per_s"

static char dir[] = "/tmp/bpfgauge-proof-XXXXXX";

static void make_dir(void)
{
	test_dir_make(dir);
}

static void remove_dir(void)
{
	test_dir_remove(dir);
}

static void write_file(const char *name, const char *text)
{
	test_file_write(dir, name, text);
}

/* bpfgauge run DIR/SUITE -o DIR/OUT; asserts it succeeded. */
static void run_suite(const char *suite, const char *out)
{
	char cmd[1024], *text;
	int st;

	snprintf(cmd, sizeof(cmd), "%s run %s/%s -o %s/%s 2>&1", bpfgauge_bin(), dir, suite, dir,
		 out);
	text = sh(cmd, &st);
	cr_assert_eq(st, 0, "bpfgauge run %s failed (%d):\n%s", suite, st, text);
	free(text);
}

/* bpfgauge compare --json DIR/BASE DIR/NEW: the document; its exit code in *code. */
static json_t *compare(const char *base, const char *new, int *code)
{
	char cmd[1024], *text;
	json_error_t jerr;
	json_t *doc;

	snprintf(cmd, sizeof(cmd), "%s compare --json %s/%s %s/%s", bpfgauge_bin(), dir, base,
		 dir, new);
	text = sh(cmd, code);
	doc = json_loads(text, 0, &jerr);
	cr_assert_not_null(doc, "compare --json printed no JSON (%s): %s", jerr.text, text);
	free(text);
	return doc;
}

static json_t *metric_row(json_t *doc, const char *name)
{
	size_t i;
	json_t *m;

	json_array_foreach(json_object_get(doc, "metrics"), i, m)
		if (!strcmp(json_string_value(json_object_get(m, "name")), name))
			return m;
	cr_assert_fail("no metric '%s' in the comparison", name);
	return NULL;
}

static const char *verdict_of(json_t *row)
{
	const char *v = json_string_value(json_object_get(row, "verdict"));

	return v ? v : "(none)";
}

static double num(json_t *row, const char *key)
{
	return json_number_value(json_object_get(row, key));
}

/*
 * Whether a comparison's interval covers the true ratio, give or take the drift the control
 * measured: the machine may have moved that much between the runs compared, and the interval
 * only knows the spread inside each run.
 */
static bool covers(json_t *row, double truth, double drift)
{
	return num(row, "ci_lo") <= truth * (1 + drift) && num(row, "ci_hi") >= truth * (1 - drift);
}

Test(compare_proof, a_a_finds_no_regression, .init = make_dir, .fini = remove_dir, .timeout = 600)
{
	const char *verdicts[] = { "regressed", "improved", "unchanged", "inconclusive" };
	int counts[4] = {}, code;
	json_t *doc, *m;
	size_t i;

	/* Untraced throughput of three kinds of work, and what two attach types cost. */
	write_file("aa.suite", "[suite]\nreps = 8\nseconds = 0.1\n[checks]\nrun = none\n"
		   "[bench workload-throughput]\nvariants = syscall, file-read, pipe-pingpong\n"
		   "[bench attach-overhead]\nvariants = raw_tracepoint, tp_btf\n"
		   "[thresholds]\n*/ops_per_s = 40%\n*/untraced_ops_per_s = 40%\n"
		   "attach-overhead/*/ns_per_event = 40%\nattach-overhead/*/slowdown_pct = 10%\n");
	run_suite("aa.suite", "a1.json");
	run_suite("aa.suite", "a2.json");
	doc = compare("a1.json", "a2.json", &code);
	json_array_foreach(json_object_get(doc, "metrics"), i, m) {
		for (int v = 0; v < 4; v++)
			counts[v] += !strcmp(verdict_of(m), verdicts[v]);
		cr_expect(strcmp(verdict_of(m), "regressed") && strcmp(verdict_of(m), "improved"),
			  "A/A: '%s' %s: ratio %.3f (%.3f-%.3f), p after Holm %.2g",
			  json_string_value(json_object_get(m, "name")), verdict_of(m),
			  num(m, "ratio"), num(m, "ci_lo"), num(m, "ci_hi"), num(m, "p_holm"));
	}
	cr_assert_gt(i, 5, "too few metrics compared: %zu", i);
	cr_assert_eq(code, 0, "nothing regressed, yet compare exited %d", code);
	cr_log_info("A/A over %zu metrics: %d regressed, %d improved, %d unchanged, "
		    "%d inconclusive\n", i, counts[0], counts[1], counts[2], counts[3]);
	json_decref(doc);
}

Test(compare_proof, an_injected_10_pct_cost_is_found_both_ways, .init = make_dir,
     .fini = remove_dir, .timeout = 900)
{
	const double truth = 1 / 1.1;
	char report[2048] = "";
	size_t used = 0;

	/* 15 short repetitions: one metric, so Holm takes nothing away. */
	write_file("plain.suite", "[suite]\nreps = 15\nseconds = 0.1\n[checks]\nrun = none\n"
		   "[bench workload-throughput]\nvariants = syscall\n");
	write_file("injected.suite", "[suite]\nreps = 15\nseconds = 0.1\n[checks]\nrun = none\n"
		   "[bench workload-throughput]\nvariants = syscall\ninject_extra_pct = 10\n");
	for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
		char a[32], b[32], c[32];
		json_t *control, *worse, *better, *row;
		int code_control, code_worse, code_better;
		double drift;

		snprintf(a, sizeof(a), "base-%d.json", attempt);
		snprintf(b, sizeof(b), "injected-%d.json", attempt);
		snprintf(c, sizeof(c), "base-again-%d.json", attempt);
		run_suite("plain.suite", a);
		run_suite("injected.suite", b);
		run_suite("plain.suite", c);

		control = compare(a, c, &code_control);
		row = metric_row(control, METRIC);
		used += snprintf(report + used, sizeof(report) - used,
				 "attempt %d: control %s (ratio %.3f, %.3f-%.3f)\n", attempt,
				 verdict_of(row), num(row, "ratio"), num(row, "ci_lo"),
				 num(row, "ci_hi"));
		if (fabs(num(row, "ratio") - 1) > CONTROL_PCT / 100 ||
		    strcmp(verdict_of(row), "unchanged")) {
			json_decref(control);
			continue;
		}
		drift = fabs(num(row, "ratio") - 1);
		json_decref(control);

		worse = compare(a, b, &code_worse);
		row = metric_row(worse, METRIC);
		cr_assert_str_eq(verdict_of(row), "regressed", "%sinjected: ratio %.3f (%.3f-%.3f)",
				 report, num(row, "ratio"), num(row, "ci_lo"), num(row, "ci_hi"));
		cr_assert(covers(row, truth, drift), "%sthe interval %.3f-%.3f misses the true "
			  "ratio %.3f (give or take the %.1f%% drift)", report, num(row, "ci_lo"),
			  num(row, "ci_hi"), truth, drift * 100);
		cr_assert_eq(code_worse, 1, "a regression exits 1, not %d", code_worse);

		better = compare(b, c, &code_better);
		row = metric_row(better, METRIC);
		cr_assert_str_eq(verdict_of(row), "improved", "%sremoved: ratio %.3f (%.3f-%.3f)",
				 report, num(row, "ratio"), num(row, "ci_lo"), num(row, "ci_hi"));
		cr_assert(covers(row, 1 / truth, drift), "%sthe interval %.3f-%.3f misses the "
			  "true ratio %.3f (give or take the %.1f%% drift)", report,
			  num(row, "ci_lo"), num(row, "ci_hi"), 1 / truth, drift * 100);
		cr_assert_eq(code_better, 0, "an improvement exits 0, not %d", code_better);
		cr_log_info("%sinjected 10%%: %s, x%.3f (%.3f-%.3f); removed: %s, x%.3f "
			    "(%.3f-%.3f)\n", report, verdict_of(metric_row(worse, METRIC)),
			    num(metric_row(worse, METRIC), "ratio"),
			    num(metric_row(worse, METRIC), "ci_lo"),
			    num(metric_row(worse, METRIC), "ci_hi"), verdict_of(row), num(row, "ratio"),
			    num(row, "ci_lo"), num(row, "ci_hi"));
		json_decref(worse);
		json_decref(better);
		return;
	}
	cr_assert_fail("the machine never held still: two untraced runs around the injected one "
		       "never agreed within %.0f%% in %d attempts:\n%s", CONTROL_PCT, ATTEMPTS, report);
}
