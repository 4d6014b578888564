// SPDX-License-Identifier: GPL-2.0
/*
 * Runs as the unit of replication, as a user meets them: 'run --runs K', baselines of several
 * results, 'calibrate', and compare going run by run when it has runs to go by.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "integration.h"
#include "result/result.h"
#include "support.h"

static char dir[] = "/tmp/bpfgauge-runs-XXXXXX";

/* Short: 2 repetitions of the syscall workload, untraced, 50 ms each. */
static const char suite_text[] = "[suite]\nreps = 2\nseconds = 0.05\n"
				 "[bench workload-throughput]\nvariants = syscall\n";

static void setup(void)
{
	test_dir_make(dir);
	test_file_write(dir, "s.suite", suite_text);
	test_file_write(dir, "t.suite", suite_text);
}

static void teardown(void)
{
	test_dir_remove(dir);
}

TestSuite(runs, .init = setup, .fini = teardown, .timeout = 240);

static int in_dir(const char *args, char **out)
{
	char cmd[1024];
	int st;

	snprintf(cmd, sizeof(cmd), "cd %s && %s/%s %s 2>&1", dir, getcwd((char[512]){}, 512),
		 bpfgauge_bin(), args);
	*out = sh(cmd, &st);
	return st;
}

static void ok(const char *args)
{
	char *out;

	cr_assert_eq(in_dir(args, &out), 0, "%s: %s", args, out);
	free(out);
}

Test(runs, run_with_runs_writes_one_result_of_every_run)
{
	json_t *doc, *m;
	char *out;

	cr_assert_eq(in_dir("run s.suite --runs 3 --gap 0 -o r.json", &out), 0, "%s", out);
	cr_assert(strstr(out, "run 3 of 3\n"), "%s", out);
	cr_assert(strstr(out, "sd "), "no run-to-run spread in the table: %s", out);
	free(out);
	doc = test_json_load(dir, "r.json");
	cr_assert_eq(json_array_size(json_object_get(doc, "runs")), 3);
	m = test_metric(doc, "workload-throughput/syscall/ops_per_s");
	cr_assert_eq(json_array_size(json_object_get(m, "run_medians")), 3);
	cr_assert_eq(json_array_size(json_object_get(m, "samples")), 6);
	/* The machine's metrics, timed after each repetition: 2 per run. */
	for (int i = 0; i < 2; i++) {
		m = test_metric(doc, i ? RESULT_CALLS_METRIC : RESULT_REFERENCE_METRIC);
		cr_assert_str_eq(json_string_value(json_object_get(m, "status")), "ok");
		cr_assert_eq(json_array_size(json_object_get(m, "samples")), 6);
		cr_assert_gt(json_number_value(json_array_get(json_object_get(m, "samples"), 0)),
			     0);
	}
	json_decref(doc);
}

Test(runs, bad_runs_and_gaps_are_refused)
{
	static const char *const bad[][2] = {
		{ "run s.suite --runs 0", "--runs takes a whole number from 1 to 100, not '0'" },
		{ "run s.suite --runs 101", "not '101'" },
		{ "run s.suite --runs x", "not 'x'" },
		{ "run s.suite --runs 2 --gap -1", "--gap takes seconds from 0 to 3600, not '-1'" },
		{ "run s.suite --runs 2 --gap 1h", "not '1h'" },
		{ "calibrate s.suite --runs 1", "--runs takes 2 to 100" },
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char *out;

		cr_assert_eq(in_dir(bad[i][0], &out), 2, "%s: %s", bad[i][0], out);
		cr_assert(strstr(out, bad[i][1]), "%s: %s", bad[i][0], out);
		free(out);
	}
}

Test(runs, a_baseline_of_several_results_holds_all_their_runs)
{
	json_t *doc;
	char *out;

	ok("run s.suite -o a.json");
	ok("run s.suite --runs 2 --gap 0 -o b.json");
	ok("run t.suite -o t.json");
	ok("baseline save main a.json b.json");
	doc = test_json_load(dir, "results/baselines/main.json");
	cr_assert_eq(json_array_size(json_object_get(doc, "runs")), 3);
	cr_assert_eq(json_array_size(json_object_get(
		test_metric(doc, "workload-throughput/syscall/ops_per_s"), "run_medians")), 3);
	json_decref(doc);
	cr_assert_eq(in_dir("baseline list", &out), 0, "%s", out);
	cr_assert(strstr(out, "runs"), "%s", out);
	free(out);

	cr_assert_eq(in_dir("baseline save other a.json t.json", &out), 2, "%s", out);
	cr_assert(strstr(out, "result 2 is of suite 't', result 1 of 's'"), "%s", out);
	free(out);
	cr_assert_eq(in_dir("baseline save main a.json b.json", &out), 2, "%s", out);
	cr_assert(strstr(out, "baseline 'main' exists"), "%s", out);
	free(out);
	cr_assert_eq(in_dir("baseline save other a.json nothing.json", &out), 2, "%s", out);
	free(out);
}

/* compare --json's noise block and the model of the syscall metric. */
static void expect_model(const char *args, const char *model, int runs_base, int df)
{
	char *out, cmd[512];
	const json_t *m = NULL, *e;
	json_error_t err;
	json_t *doc;
	size_t i;

	snprintf(cmd, sizeof(cmd), "cd %s && %s/%s compare --json %s 2>/dev/null", dir,
		 getcwd((char[512]){}, 512), bpfgauge_bin(), args);
	out = sh(cmd, NULL);
	doc = json_loads(out, 0, &err);
	cr_assert_not_null(doc, "%s: %s", cmd, out);
	free(out);
	cr_assert_eq(json_integer_value(json_object_get(json_object_get(doc, "noise"),
							"runs_base")), runs_base, "%s", cmd);
	json_array_foreach(json_object_get(doc, "metrics"), i, e)
		if (!strcmp(json_string_value(json_object_get(e, "name")),
			    "workload-throughput/syscall/ops_per_s"))
			m = e;
	cr_assert_not_null(m, "%s", cmd);
	cr_assert_str_eq(json_string_value(json_object_get(m, "model")), model, "%s", cmd);
	if (df)
		cr_assert_eq(json_integer_value(json_object_get(m, "df")), df, "%s", cmd);
	json_decref(doc);
}

/* DIR/NAME (the one file in DIR/NAME when it is a directory) without the calls workload: the
 * runs a busy machine would leave out (compare_state.c) are not this test's subject. */
static void without_calls(const char *name)
{
	char path[1024], cmd[1100], *out;
	json_t *doc;

	snprintf(cmd, sizeof(cmd), "ls -d %s/%s/* %s/%s 2>/dev/null | grep json$ | head -1", dir,
		 name, dir, name);
	out = sh(cmd, NULL);
	snprintf(path, sizeof(path), "%.*s", (int)strcspn(out, "\n"), out);
	free(out);
	doc = json_load_file(path, 0, NULL);
	cr_assert_not_null(doc, "%s", path);
	test_drop_metric(doc, RESULT_CALLS_METRIC);
	cr_assert_eq(json_dump_file(doc, path, JSON_INDENT(1)), 0);
	json_decref(doc);
}

Test(runs, compare_goes_run_by_run_when_it_has_runs_to_go_by)
{
	ok("run s.suite -o one.json");
	ok("run s.suite -o two.json");
	ok("run s.suite --runs 3 --gap 0 -o three.json");
	without_calls("one.json");
	without_calls("two.json");
	without_calls("three.json");
	/* One run on each side and no calibration: repetition by repetition. */
	expect_model("one.json two.json", "repetitions", 1, 0);
	/* A side of 3 runs: 2 degrees of freedom. */
	expect_model("three.json two.json", "runs", 3, 2);
	/* A calibration of 3 runs lends its 2 to one run a side. */
	expect_model("--calibration three.json one.json two.json", "runs", 1, 2);
	/* calibrate writes where compare looks by default. */
	ok("calibrate s.suite --runs 2 --gap 0");
	without_calls("results/calibration");
	expect_model("one.json two.json", "runs", 1, 1);
	expect_model("--calibration none one.json two.json", "repetitions", 1, 0);
}
