// SPDX-License-Identifier: GPL-2.0
/*
 * A/A across the machine's speed states, from real runs of the quick suite on the project's
 * 2-CPU VM (tests/fixtures/states/, described in its README): nothing changed but the machine,
 * so compare must not fail. Compared repetition by repetition without the machine's state, as
 * bpfgauge did before runs became the unit, the same results call regressions: the tests
 * check that too, so that they keep showing what they prove.
 */
#include <criterion/criterion.h>
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
