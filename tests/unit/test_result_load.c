// SPDX-License-Identifier: GPL-2.0
/* Unit tests: result_load's validation and labels, result_newest, env_diff, baseline names. */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "compare/compare.h"
#include "result/result_load.h"
#include "support.h"

static char dir[] = "/tmp/bpfgauge-rl-XXXXXX";

static void setup(void)
{
	test_dir_make(dir);
}

static void teardown(void)
{
	test_dir_remove(dir);
}

TestSuite(result_load, .init = setup, .fini = teardown);

static const char *write_text(const char *name, const char *text)
{
	static char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	cr_assert_not_null(f);
	fputs(text, f);
	fclose(f);
	return path;
}

/* A minimal valid result with 'env' as environment and 'metrics' as metrics. */
static const char *doc(const char *name, const char *env, const char *metrics,
		       const char *checks)
{
	char text[2048];

	snprintf(text, sizeof(text), "{\"schema_version\": \"1.3\", \"kind\": \"bpfgauge-run\", "
		 "\"environment\": %s, \"metrics\": %s, \"checks\": %s}", env, metrics, checks);
	return write_text(name, text);
}

#define M_OK "{\"name\": \"a/b/c\", \"unit\": \"ns\", \"better\": \"lower\", " \
	     "\"status\": \"ok\", \"samples\": [1, 2.5]}"

static void expect_error(const char *path, const char *want)
{
	struct loaded_result r;
	char err[512] = "";

	cr_expect_eq(result_load(path, &r, err, sizeof(err)), -EINVAL, "%s", err);
	cr_expect_not_null(strstr(err, want), "want '%s' in '%s'", want, err);
	cr_expect_null(r.doc);
}

Test(result_load, each_problem_is_named_with_its_place)
{
	expect_error(doc("a.json", "{}", "[" M_OK ", {\"name\": \"x\", \"unit\": \"ns\", "
			 "\"better\": \"sideways\", \"status\": \"ok\", \"samples\": []}]", "[]"),
		     "metrics[1].better is \"sideways\"");
	expect_error(doc("b.json", "{}", "[" M_OK ", " M_OK "]", "[]"),
		     "metrics[0] and metrics[1] are both named 'a/b/c'");
	expect_error(doc("c.json", "{}", "[{\"name\": \"a\", \"unit\": 3}]", "[]"),
		     "metrics[0].unit is an integer, not a string");
	expect_error(doc("d.json", "{}", "[]", "[{\"name\": \"x\"}]"),
		     "checks[0] has no \"status\"");
	expect_error(doc("e.json", "[]", "[]", "[]"), "\"environment\" is not an object");
	expect_error(doc("f.json", "{}", "[]", "[{\"name\": \"x\", \"status\": \"pass\", "
			 "\"reason\": 4}]"), "checks[0].reason is an integer");
	expect_error(write_text("g.json", "{\"schema_version\": \"1.0\", \"kind\": \"other\"}"),
		     "\"kind\" is not \"bpfgauge-run\"");
	expect_error(write_text("h.json", "{\"schema_version\": 1}"),
		     "schema_version is not \"MAJOR.MINOR\"");
	expect_error(write_text("i.json", "[1]"), "the document is an array");
}

Test(result_load, a_valid_result_loads_with_its_label)
{
	struct loaded_result r;
	char err[512] = "";

	cr_assert_eq(result_load(doc("ok.json", "{\"kernel\": {\"release\": \"6.1.0-9\"}, "
				     "\"hostname\": \"h1\", \"guest\": {\"accelerator\": \"tcg\"}}",
				     "[" M_OK "]", "[{\"name\": \"x\", \"status\": \"pass\"}]"),
				 &r, err, sizeof(err)), 0, "%s", err);
	cr_expect_str_eq(r.label, "6.1.0-9 h1 (tcg)");
	cr_expect_eq(json_array_size(json_object_get(r.doc, "metrics")), 1);
	result_unload(&r);
	cr_expect_null(r.doc);
	cr_assert_eq(result_load(doc("plain-name.json", "{}", "[]", "[]"), &r, err, sizeof(err)),
		     0, "%s", err);
	cr_expect_str_eq(r.label, "plain-name");
	result_unload(&r);
}

Test(result_load, newest_is_by_environment_time_then_mtime)
{
	struct timespec old[2] = { { 1000000, 0 }, { 1000000, 0 } };
	char path[512], got[512];

	cr_expect_eq(result_newest(dir, got, sizeof(got)), -ENOENT);
	doc("late.json", "{\"time\": \"2030-05-01T00:00:00Z\"}", "[]", "[]");
	/* Written later, but earlier by its time. */
	doc("early.json", "{\"time\": \"2030-01-01T00:00:00Z\"}", "[]", "[]");
	write_text("broken.json", "{");
	cr_assert_eq(result_newest(dir, got, sizeof(got)), 0);
	snprintf(path, sizeof(path), "%s/late.json", dir);
	cr_expect_str_eq(got, path);
	/* Same time: the newer file wins. */
	doc("twin.json", "{\"time\": \"2030-05-01T00:00:00Z\"}", "[]", "[]");
	snprintf(path, sizeof(path), "%s/late.json", dir);
	cr_assert_eq(utimensat(AT_FDCWD, path, old, 0), 0);
	cr_assert_eq(result_newest(dir, got, sizeof(got)), 0);
	snprintf(path, sizeof(path), "%s/twin.json", dir);
	cr_expect_str_eq(got, path);
}

Test(result_load, env_diff_walks_objects_and_skips_only_top_level_noise)
{
	json_t *b = json_loads("{\"time\": \"t1\", \"hostname\": \"a\", \"kernel\": "
			       "{\"release\": \"6.1\", \"time\": \"x\"}, \"cpu\": {\"count\": 2}, "
			       "\"list\": [1, 2], \"gone\": {\"deep\": null}, \"boot\": "
			       "{\"uptime_s\": 5}}", 0, NULL);
	json_t *n = json_loads("{\"time\": \"t2\", \"hostname\": \"b\", \"kernel\": "
			       "{\"release\": \"6.1\", \"time\": \"y\"}, \"cpu\": {\"count\": 4}, "
			       "\"list\": [1, 3], \"new\": 5, \"boot\": {\"uptime_s\": 9}}", 0,
			       NULL);
	const char *want[] = { "kernel.time", "cpu.count", "list", "gone.deep", "new" };
	struct env_change *d = NULL;
	size_t nd = 0;

	cr_assert_eq(env_diff(b, n, &d, &nd), 0);
	cr_assert_eq(nd, 5);
	for (size_t i = 0; i < nd; i++)
		cr_expect_str_eq(d[i].key, want[i]);
	cr_expect_eq(json_integer_value(d[1].cur), 4);
	cr_expect(json_is_null(d[3].base));
	cr_expect_null(d[3].cur);
	cr_expect_null(d[4].base);
	free(d);
	json_decref(b);
	json_decref(n);
}

Test(result_load, env_change_text_shows_only_changed_words_of_long_lines)
{
	json_t *b = json_string("console=ttyS0 quiet reboot=k panic=1 mitigations=auto "
				"nomodule x=1");
	json_t *n = json_string("console=ttyS0 reboot=k panic=1 mitigations=off nomodule "
				"x=1 debug");
	struct env_change e = { .key = "kernel.cmdline", .base = b, .cur = n };
	struct strbuf sb = STRBUF_INIT;

	env_change_text(&e, &sb);
	cr_expect_str_eq(sb.buf, "-quiet -mitigations=auto +mitigations=off +debug");
	strbuf_release(&sb);
	e.base = NULL;
	env_change_text(&e, &sb);
	cr_expect_eq(strncmp(sb.buf, "(absent) -> console", 19), 0, "%s", sb.buf);
	strbuf_release(&sb);
	json_decref(b);
	json_decref(n);
}

Test(result_load, baseline_names)
{
	const char *good[] = { "main", "kernel-6.1", "v1.2+rc_3" };
	const char *bad[] = { "", "a/b", ".x", "-x", "a b", "..", "x\n" };

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		cr_expect_eq(baseline_name_check(good[i]), 0, "%s", good[i]);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		cr_expect_eq(baseline_name_check(bad[i]), -EINVAL, "'%s'", bad[i]);
}
