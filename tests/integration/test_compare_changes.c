// SPDX-License-Identifier: GPL-2.0
/* compare on a change of a check's status or reason, of a metric's status, of the environment. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare_fixture.h"

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
