// SPDX-License-Identifier: GPL-2.0
/* compare's refusal of bad input, and 'bpfgauge baseline' saving, listing and comparing by name. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compare_fixture.h"
#include "support.h"

/* The test's temporary directory (compare_fixture.h). */
static char *const dir = compare_dir;

/* One line on stderr, naming the file, and exit 2. */
static void expect_bad(const char *args, const char *file, const char *what)
{
	char *out, *err;
	int st;

	out = compare(args, &st, &err);
	cr_expect_eq(st, 2, "%s: exit %d: %s", args, st, err);
	cr_expect_eq(occurrences(err, "\n"), 1, "%s: not one line: %s", args, err);
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
