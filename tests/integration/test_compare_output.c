// SPDX-License-Identifier: GPL-2.0
/* compare's outputs agree: the table, JSON, JUnit XML, Markdown, the matrix of several results. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare_fixture.h"
#include "support.h"

/* The test's temporary directory (compare_fixture.h). */
static char *const dir = compare_dir;

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
	cr_expect_eq(occurrences(out, "<failure "), want, "%s", out);
	cr_expect_eq(occurrences(out, "<testcase "), cases, "%s", out);
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
	cr_expect_eq(occurrences(out, "\n|"), rows + 2, "%s", out);
	cr_expect_not_null(strstr(out, "| **regressed** |"), "%s", out);
	free(out);
}

/* A result on kernel 'release' where tracepoint (made to arrive in 6.6) has status st. */
static json_t *on_kernel(const char *release, const char *st)
{
	json_t *doc = with_check(synthetic(10, 1.0), "tracepoint", st, "why");
	json_t *c = named(json_object_get(doc, "checks"), "tracepoint");

	json_object_set_new(json_object_get(json_object_get(doc, "environment"), "kernel"),
			    "release", json_string(release));
	json_object_set_new(json_object_get(c, "details"), "arrived_in", json_string("6.6"));
	return doc;
}

/*
 * The matrix says where a check starts to pass: its feature's arrival, and the oldest kernel
 * (by version, not by column) where it passed; a pass older than the arrival is marked.
 */
Test(compare, matrix_says_where_a_check_starts_to_pass)
{
	json_t *doc, *row;
	char *out;
	int st;

	save(on_kernel("7.3.4+deb13-cloud-amd64", "pass"), "k73.json");
	save(on_kernel("6.1.0-57-cloud-amd64", "unsupported"), "k61.json");
	save(on_kernel("6.12.118+deb13-cloud-amd64", "pass"), "k612.json");
	doc = compare_json("--matrix k73.json k61.json k612.json", &st);
	row = named(json_object_get(doc, "rows"), "tracepoint");
	cr_assert_str_eq(json_string_value(json_object_get(row, "arrived_in")), "6.6");
	cr_assert_str_eq(json_string_value(json_object_get(row, "passes_from")), "6.12");
	cr_assert(json_is_false(json_object_get(row, "passes_before_arrival")));
	cr_assert(json_is_null(json_object_get(named(json_object_get(doc, "rows"),
						     "bpf_syscall"), "arrived_in")));
	json_decref(doc);
	out = compare("--matrix k73.json k61.json k612.json", &st, NULL);
	cr_assert(strstr(out, "arrived / passes from"), "%s", out);
	cr_assert(strstr(out, "  6.6 / 6.12\n"), "%s", out);
	free(out);

	save(on_kernel("6.1.0-57-cloud-amd64", "pass"), "k61p.json");
	out = compare("--matrix --markdown k73.json k61p.json k612.json", &st, NULL);
	cr_assert(strstr(out, " 6.6 / 6.1 * |\n"), "%s", out);
	free(out);
}

/* A column's head holds its whole label, however long: a 64-character hostname (the most
 * Linux allows) after a 62-character kernel release make the longest label there is. */
Test(compare, matrix_heads_hold_long_labels)
{
	const char *release = "6.12.118+deb13-cloud-amd64-with-a-local-version-of-its-own-abc";
	const char *host = "a-host-name-of-sixty-four-characters-which-linux-allows-at-most0";
	char head[160], *out;
	json_t *doc = synthetic(10, 1.0);
	json_t *env = json_object_get(doc, "environment");

	cr_assert_eq(strlen(release) + 1 + strlen(host), 127);
	json_object_set_new(json_object_get(env, "kernel"), "release", json_string(release));
	json_object_set_new(env, "hostname", json_string(host));
	save(doc, "long.json");
	save(synthetic(10, 1.0), "b.json");
	out = compare("--matrix long.json b.json", NULL, NULL);
	snprintf(head, sizeof(head), "  R1 %s %s  ", release, host);
	cr_assert(strstr(out, head), "'%s' not in:\n%s", head, out);
	free(out);
}
