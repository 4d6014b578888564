// SPDX-License-Identifier: GPL-2.0
/* Unit tests: several runs as one result (result_merge) and their run medians. */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "result/result_merge.h"
#include "support.h"

/* One run of suite 'suite' on kernel 'rel', at 'time', with metric m1 of the given samples
 * and m2 unsupported. */
static json_t *run_doc(const char *suite, const char *rel, const char *time, double a, double b,
		       double c, const char *check_status)
{
	return json_pack("{s:s s:s s:{s:s} s:{s:{s:s} s:{s:s s:i} s:s} s:f s:b"
			 " s:[{s:s s:s s:s}] s:[{s:s s:i s:f}]"
			 " s:[{s:s s:s s:s s:s s:[f,f,f] s:f}, {s:s s:s s:s s:s s:[] s:s}]}",
			 "schema_version", "1.1", "kind", "bpfgauge-run", "suite", "name", suite,
			 "environment", "kernel", "release", rel, "cpu", "model", "AMD EPYC",
			 "count", 2, "time", time, "duration_s", 30.0, "interrupted", 0,
			 "checks", "name", "uprobe", "status", check_status, "reason", "",
			 "benchmarks", "name", "b", "reps", 3, "seconds", 0.2,
			 "metrics", "name", "b/x/ns", "unit", "ns", "better", "lower", "status",
			 "ok", "samples", a, b, c, "median", b,
			 "name", "b/y/ns", "unit", "ns", "better", "lower", "status",
			 "unsupported", "samples", "reason", "CONFIG_Y is not set");
}

Test(result_merge, runs_keep_their_medians_and_pool_their_samples)
{
	json_t *docs[3] = { run_doc("quick", "6.18", "t1", 10, 11, 12, "pass"),
			    run_doc("quick", "6.18", "t2", 20, 21, 22, "pass"),
			    run_doc("quick", "6.18", "t3", 30, 31, 32, "fail") };
	double med[8];
	char err[256] = "";
	json_t *out = result_merge(docs, 3, err, sizeof(err));
	const json_t *m;

	cr_assert_not_null(out, "%s", err);
	cr_assert_eq(result_runs(out), 3);
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(
		json_object_get(out, "runs"), 2), "time")), "t3");
	m = test_metric(out, "b/x/ns");
	cr_assert_eq(metric_run_medians(m, med, 8), 3);
	cr_assert_float_eq(med[0], 11, 1e-9);
	cr_assert_float_eq(med[2], 31, 1e-9);
	cr_assert_eq(json_array_size(json_object_get(m, "samples")), 9);
	cr_assert_float_eq(json_number_value(json_object_get(m, "median")), 21, 1e-9);
	/* Unsupported alike in every run: as it was, without a note. */
	m = test_metric(out, "b/y/ns");
	cr_assert_str_eq(json_string_value(json_object_get(m, "reason")), "CONFIG_Y is not set");
	/* A check that failed in one run fails in the merge, saying which runs passed. */
	m = json_array_get(json_object_get(out, "checks"), 0);
	cr_assert_str_eq(json_string_value(json_object_get(m, "status")), "fail");
	cr_assert_str_eq(json_string_value(json_object_get(m, "reason")),
			 "in run 1 of 3: pass; in run 2 of 3: pass");
	cr_assert_float_eq(json_number_value(json_object_get(out, "duration_s")), 90, 1e-9);

	/* A merged document merges again: its runs count as runs; a run it holds, once. */
	{
		json_t *fourth = run_doc("quick", "6.18", "t4", 40, 41, 42, "pass");
		json_t *again[2] = { out, fourth }, *twice[2] = { out, docs[0] };
		json_t *more = result_merge(again, 2, err, sizeof(err));

		cr_assert_not_null(more, "%s", err);
		cr_assert_eq(result_runs(more), 4);
		cr_assert_eq(metric_run_medians(test_metric(more, "b/x/ns"), med, 8), 4);
		cr_assert_float_eq(med[3], 41, 1e-9);
		cr_assert_null(result_merge(twice, 2, err, sizeof(err)));
		cr_assert_str_eq(err, "runs 1 and 4 are the same run (started t1): each run may "
				 "count once");
		json_decref(more);
		json_decref(fourth);
	}
	json_decref(out);
	for (int i = 0; i < 3; i++)
		json_decref(docs[i]);
}

Test(result_merge, a_metric_missing_from_a_run_is_an_error_naming_the_run)
{
	json_t *docs[2] = { run_doc("quick", "6.18", "t1", 10, 11, 12, "pass"),
			    run_doc("quick", "6.18", "t2", 20, 21, 22, "pass") };
	char err[256] = "";
	json_t *out;
	const json_t *m;

	json_array_remove(json_object_get(docs[1], "metrics"), 0);
	out = result_merge(docs, 2, err, sizeof(err));
	cr_assert_not_null(out, "%s", err);
	m = test_metric(out, "b/x/ns");
	cr_assert_str_eq(json_string_value(json_object_get(m, "status")), "error");
	cr_assert_str_eq(json_string_value(json_object_get(m, "reason")), "missing in run 2 of 2");
	json_decref(out);
	for (int i = 0; i < 2; i++)
		json_decref(docs[i]);
}

Test(result_merge, runs_of_other_suites_or_environments_are_refused)
{
	json_t *a = run_doc("quick", "6.18", "t1", 10, 11, 12, "pass");
	json_t *b = run_doc("overhead", "6.18", "t2", 10, 11, 12, "pass");
	json_t *c = run_doc("quick", "6.1", "t3", 10, 11, 12, "pass");
	json_t *ab[2] = { a, b }, *ac[2] = { a, c };
	char err[256] = "";

	cr_assert_null(result_merge(ab, 2, err, sizeof(err)));
	cr_assert_str_eq(err, "result 2 is of suite 'overhead', result 1 of 'quick': the runs "
			 "merged into one result must be of one suite");
	cr_assert_null(result_merge(ac, 2, err, sizeof(err)));
	cr_assert_str_eq(err, "result 2 has kernel.release \"6.1\", result 1 \"6.18\": the runs "
			 "merged into one result must come from one environment");
	/* The machine class leaves the kernel out. */
	cr_assert_null(result_env_mismatch(json_object_get(a, "environment"),
					   json_object_get(c, "environment"), false));
	json_decref(a);
	json_decref(b);
	json_decref(c);
}

Test(result_merge, one_run_has_the_median_of_its_samples_as_its_run_median)
{
	json_t *a = run_doc("quick", "6.18", "t1", 12, 10, 11, "pass");
	double med[2];

	cr_assert_eq(result_runs(a), 1);
	cr_assert_eq(metric_run_medians(test_metric(a, "b/x/ns"), med, 2), 1);
	cr_assert_float_eq(med[0], 11, 1e-9);
	cr_assert_eq(metric_run_medians(test_metric(a, "b/y/ns"), med, 2), 0);
	json_decref(a);
}
