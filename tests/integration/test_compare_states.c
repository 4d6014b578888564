// SPDX-License-Identifier: GPL-2.0
/*
 * A/A across the machine's speed states, from real runs of the quick suite on the project's
 * 2-CPU VM (tests/fixtures/states/, described in its README): nothing changed but the machine,
 * so compare must not fail. Compared repetition by repetition without the machine's state, as
 * bpfgauge did before runs became the unit, the same results call regressions: the tests
 * check that too, so that they keep showing what they prove. And the power: one run of a
 * 10% slower syscall, on a host whose other VMs share the cores, is called regressed.
 */
#include <criterion/criterion.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "integration.h"
#include "result/result.h"
#include "support.h"

#define FIX "tests/fixtures/states/"

static char dir[] = "/tmp/bpfgauge-states-XXXXXX";

static void setup(void)
{
	test_dir_make(dir);
}

static void teardown(void)
{
	test_dir_remove(dir);
}

TestSuite(compare_states, .init = setup, .fini = teardown);

static json_t *compare(const char *args, int *code)
{
	char cmd[1024];
	json_error_t e;
	json_t *doc;
	char *out;

	snprintf(cmd, sizeof(cmd), "%s compare --json %s 2>/dev/null", bpfgauge_bin(), args);
	out = sh(cmd, code);
	doc = json_loads(out, 0, &e);
	cr_assert_not_null(doc, "%s: %s", cmd, out);
	free(out);
	return doc;
}

static int count(const json_t *doc, const char *verdict)
{
	return json_integer_value(json_object_get(json_object_get(doc, "summary"), verdict));
}

/* DIR/NAME: the fixture without the reference workload, as results were before it. */
static const char *without_reference(const char *fixture, const char *name)
{
	static char path[2][512];
	static int k;
	json_t *doc = json_load_file(fixture, 0, NULL);

	cr_assert_not_null(doc, "%s", fixture);
	test_drop_metric(doc, RESULT_REFERENCE_METRIC);
	k = !k;
	snprintf(path[k], sizeof(path[k]), "%s/%s", dir, name);
	cr_assert_eq(json_dump_file(doc, path[k], 0), 0);
	json_decref(doc);
	return path[k];
}

Test(compare_states, one_run_each_in_two_states_is_not_a_regression)
{
	char args[1200];
	json_t *doc;
	int code;

	doc = compare("--calibration none " FIX "quiet.json " FIX "busy.json", &code);
	cr_assert_eq(code, 0, "exit %d", code);
	cr_assert_eq(count(doc, "regressed"), 0);
	cr_assert_eq(count(doc, "improved"), 0);
	cr_assert(json_is_true(json_object_get(json_object_get(doc, "noise"), "machine_differs")));
	cr_assert(strstr(json_string_value(json_array_get(json_object_get(doc, "warnings"), 0)),
			 "slower during the new run"));
	json_decref(doc);

	/* Repetition by repetition without the machine's state: regressions that are not. */
	snprintf(args, sizeof(args), "--calibration none %s ",
		 without_reference(FIX "quiet.json", "quiet.json"));
	strcat(args, without_reference(FIX "busy.json", "busy.json"));
	doc = compare(args, &code);
	cr_assert_eq(code, 1, "the fixtures no longer hold an apparent regression");
	cr_assert_gt(count(doc, "regressed"), 0);
	json_decref(doc);
}

Test(compare_states, a_run_in_the_hosts_slow_state_against_a_baseline_of_runs_is_no_change)
{
	json_t *doc;
	int code;

	/* One run a side, repetition by repetition: the host's slow state reads as 12
	 * regressions and exit 1, as compare did before runs were the unit. */
	doc = compare("--calibration none " FIX "quiet.json " FIX "slow.json", &code);
	cr_assert_eq(code, 1, "the fixtures no longer hold an apparent regression");
	cr_assert_gt(count(doc, "regressed"), 0);
	json_decref(doc);
	/* Against a baseline of 5 runs (one of them in that state too) and a calibration of
	 * 10: the same run is within this machine's run-to-run noise. */
	doc = compare("--calibration " FIX "calibration.json " FIX "base.json " FIX "slow.json",
		      &code);
	cr_assert_eq(code, 0, "exit %d", code);
	cr_assert_eq(count(doc, "regressed") + count(doc, "improved"), 0);
	cr_assert_eq(json_integer_value(json_object_get(json_object_get(doc, "noise"),
							"runs_base")), 5);
	json_decref(doc);
	/* A run in the usual state: nothing called changed either, the machine the same. */
	doc = compare("--calibration " FIX "calibration.json " FIX "base.json " FIX "quiet.json",
		      &code);
	cr_assert_eq(code, 0, "exit %d", code);
	cr_assert_eq(count(doc, "regressed") + count(doc, "improved"), 0);
	cr_assert(json_is_false(json_object_get(json_object_get(doc, "noise"),
						 "machine_differs")));
	json_decref(doc);
	/* The busy neighbour against the baseline: another state, no failure. */
	doc = compare("--calibration " FIX "calibration.json " FIX "base.json " FIX "busy.json",
		      &code);
	cr_assert_eq(code, 0, "exit %d", code);
	cr_assert_eq(count(doc, "regressed"), 0);
	json_decref(doc);
}

/*
 * The runs of tests/fixtures/states/calls-*.json (a KVM host whose other VMs share the cores:
 * getppid at 5.39 M/s in some repetitions of a run, to 0.1%, at 3.8-4.3 M/s in the others).
 */
#define ATTACH_SYSCALL "attach-overhead/syscall/untraced_ops_per_s"

/* DIR/NAME: the fixture with every throughput's samples its run medians, one per run: what
 * compare took of a run before a throughput counted by its fastest repetition. */
static const char *as_medians(const char *fixture, const char *name)
{
	static char path[512];
	json_t *doc = json_load_file(fixture, 0, NULL), *m, *meds;
	size_t i;

	cr_assert_not_null(doc, "%s", fixture);
	json_array_foreach(json_object_get(doc, "metrics"), i, m) {
		if (strcmp(json_string_value(json_object_get(m, "unit")), "ops/s") ||
		    !json_object_get(m, "median"))
			continue;
		meds = json_object_get(m, "run_medians");
		json_object_set_new(m, "samples", meds ? json_deep_copy(meds) :
				    json_pack("[O]", json_object_get(m, "median")));
	}
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	cr_assert_eq(json_dump_file(doc, path, 0), 0);
	json_decref(doc);
	return path;
}

Test(compare_states, one_run_of_a_10_pct_slower_syscall_is_called_regressed)
{
	const json_t *r;
	char args[3 * 600];
	int n;
	json_t *doc;
	int code;

	doc = compare("--calibration " FIX "calls-calibration.json " FIX "calls-base.json "
		      FIX "calls-i10.json", &code);
	cr_assert_eq(code, 1, "exit %d", code);
	r = test_metric(doc, ATTACH_SYSCALL);
	cr_assert_str_eq(json_string_value(json_object_get(r, "verdict")), "regressed");
	cr_assert_str_eq(json_string_value(json_object_get(r, "run_value")), "fastest");
	/* 10% of the operations make a second getppid: x0.907 here, run after run, where
	 * 1/1.1 is 0.909 (the extra call costs a little more than a loop's average one). */
	cr_assert(json_number_value(json_object_get(r, "ci_hi")) < 0.95);
	cr_assert(fabs(json_number_value(json_object_get(r, "ratio")) - 1 / 1.1) < 0.01,
		  "ratio %g", json_number_value(json_object_get(r, "ratio")));
	json_decref(doc);

	/* The same runs by their medians, as compare took them before: the share of slow
	 * repetitions moves each run's median by more than the 10%, and nothing is called. */
	n = snprintf(args, sizeof(args), "--calibration %s ",
		     as_medians(FIX "calls-calibration.json", "cal.json"));
	n += snprintf(args + n, sizeof(args) - n, "%s ",
		      as_medians(FIX "calls-base.json", "base.json"));
	snprintf(args + n, sizeof(args) - n, "%s", as_medians(FIX "calls-i10.json", "i10.json"));
	doc = compare(args, &code);
	r = test_metric(doc, ATTACH_SYSCALL);
	cr_assert_str_neq(json_string_value(json_object_get(r, "verdict")), "regressed",
			  "the fixtures no longer show what the fastest repetition adds");
	json_decref(doc);
}

Test(compare_states, a_run_on_a_shared_core_is_no_change_beside_a_second_run)
{
	char cmd[3 * PATH_MAX + 256], here[PATH_MAX], bin[PATH_MAX];
	json_t *doc;
	char *out;
	int code;

	/* Alone, the run whose tool-overhead benchmark spent all its time on a shared core
	 * reads as a 20% slower syscall: one run cannot tell that from a slower kernel. */
	doc = compare("--calibration " FIX "calls-calibration.json " FIX "calls-base.json "
		      FIX "calls-shared.json", &code);
	cr_assert_eq(code, 1, "the fixture no longer holds a run on a shared core");
	json_decref(doc);
	/* With a second run, its spread is part of the noise: no change. */
	cr_assert_not_null(getcwd(here, sizeof(here)));
	cr_assert_not_null(realpath(bpfgauge_bin(), bin), "no %s", bpfgauge_bin());
	snprintf(cmd, sizeof(cmd), "cd %s && %s baseline save two %s/" FIX "calls-shared.json "
		 "%s/" FIX "calls-quiet.json 2>&1", dir, bin, here, here);
	out = sh(cmd, &code);
	cr_assert_eq(code, 0, "%s", out);
	free(out);
	snprintf(cmd, sizeof(cmd), "--calibration " FIX "calls-calibration.json " FIX
		 "calls-base.json %s/results/baselines/two.json", dir);
	doc = compare(cmd, &code);
	cr_assert_eq(code, 0, "exit %d", code);
	cr_assert_eq(count(doc, "regressed") + count(doc, "improved"), 0);
	cr_assert_eq(json_integer_value(json_object_get(json_object_get(doc, "noise"),
							"runs_new")), 2);
	json_decref(doc);
}

/* DIR/NAME: the fixture with the calls workload's samples of run 'run' (every run: -1) times
 * 'factor', its run medians with them: as if the CPU had been shared throughout that run. */
static const char *shared_runs(const char *fixture, const char *name, int run, double factor)
{
	static char path[512];
	json_t *doc = json_load_file(fixture, 0, NULL), *m, *samples, *meds;
	size_t runs, per;

	cr_assert_not_null(doc, "%s", fixture);
	m = test_metric(doc, RESULT_CALLS_METRIC);
	samples = json_object_get(m, "samples");
	meds = json_object_get(m, "run_medians");
	runs = meds ? json_array_size(meds) : 1;
	per = json_array_size(samples) / runs;
	for (size_t r = 0; r < runs; r++) {
		if (run >= 0 && (size_t)run != r)
			continue;
		for (size_t i = r * per; i < (r + 1) * per; i++)
			json_array_set_new(samples, i, json_real(factor * json_number_value(
				json_array_get(samples, i))));
		if (meds)
			json_array_set_new(meds, r, json_real(factor * json_number_value(
				json_array_get(meds, r))));
	}
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	cr_assert_eq(json_dump_file(doc, path, 0), 0);
	json_decref(doc);
	return path;
}

static json_int_t left_out(const json_t *doc, const char *side)
{
	return json_integer_value(json_object_get(json_object_get(json_object_get(doc, "noise"),
								  "runs_left_out"), side));
}

Test(compare_states, runs_that_never_had_the_cpu_are_left_out)
{
	char args[2 * 600], base[512], cal[512];
	const json_t *r;
	json_t *doc;
	int code;

	/* One run of the baseline on a shared CPU: compared without it. */
	snprintf(base, sizeof(base), "%s", shared_runs(FIX "calls-base.json", "base.json", 1, 0.7));
	snprintf(args, sizeof(args), "--calibration none %s " FIX "calls-quiet.json", base);
	doc = compare(args, &code);
	cr_assert_eq(code, 0, "exit %d", code);
	cr_assert_eq(left_out(doc, "base"), 1);
	r = test_metric(doc, ATTACH_SYSCALL);
	cr_assert_eq(json_integer_value(json_object_get(r, "runs_base")), 4);
	cr_assert_eq(json_integer_value(json_object_get(r, "df")), 3);
	json_decref(doc);

	/* A calibration that never had the CPU lends no noise. */
	snprintf(cal, sizeof(cal), "%s", shared_runs(FIX "calls-calibration.json", "cal.json", -1,
						    0.7));
	snprintf(args, sizeof(args), "--calibration %s " FIX "calls-base.json " FIX
		 "calls-quiet.json", cal);
	doc = compare(args, &code);
	cr_assert_eq(left_out(doc, "calibrations"), 10);
	cr_assert_eq(json_integer_value(json_object_get(test_metric(doc, ATTACH_SYSCALL), "df")),
		     4);
	json_decref(doc);

	/* A new run that never had it: nothing can be said of it, and it does not fail. */
	snprintf(args, sizeof(args), "--calibration " FIX "calls-calibration.json " FIX
		 "calls-base.json %s", shared_runs(FIX "calls-i10.json", "i10.json", -1, 0.7));
	doc = compare(args, &code);
	cr_assert_eq(code, 0, "exit %d", code);
	cr_assert_eq(left_out(doc, "new"), 1);
	cr_assert(json_is_true(json_object_get(json_object_get(doc, "noise"), "machine_differs")));
	cr_assert(strstr(json_string_value(json_array_get(json_object_get(doc, "warnings"), 0)),
			 "the CPU was shared throughout the new run"), "%s",
		  json_string_value(json_array_get(json_object_get(doc, "warnings"), 0)));
	r = test_metric(doc, ATTACH_SYSCALL);
	cr_assert_str_eq(json_string_value(json_object_get(r, "verdict")), "inconclusive");
	json_decref(doc);
}
