// SPDX-License-Identifier: GPL-2.0
/* 'bpfgauge run' as a user meets it: suites, result files, bad input. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "result/result.h"
#include "integration.h"
#include "support.h"

static char dir[] = "/tmp/bpfgauge-run-XXXXXX";

static void setup(void)
{
	test_dir_make(dir);
}

static void teardown(void)
{
	test_dir_remove(dir);
}

TestSuite(run, .init = setup, .fini = teardown);

static void write_file(const char *name, const char *text)
{
	test_file_write(dir, name, text);
}

static int run(const char *args, char **out)
{
	char cmd[1024];
	int st;

	snprintf(cmd, sizeof(cmd), "cd %s && %s/%s run %s 2>&1", dir, getcwd((char[512]){}, 512),
		 bpfgauge_bin(), args);
	*out = sh(cmd, &st);
	return st;
}

Test(run, checks_only_suite_writes_a_result_that_matches_the_schema)
{
	char *out, path[256];
	json_t *doc, *c, *env;
	json_error_t e;
	size_t i;

	write_file("c.suite", "[suite]\ndescription = two checks\n[checks]\n"
		   "run = bpf_syscall, raw_tracepoint\n");
	cr_assert_eq(run("c.suite -o r.json", &out), 0, "%s", out);
	cr_assert(strstr(out, "[1/1] checks"), "no progress line: %s", out);
	cr_assert(strstr(out, "result: r.json"), "%s", out);
	free(out);
	snprintf(path, sizeof(path), "%s/results", dir);
	cr_assert(!evidence_exists(path), "a run writing elsewhere left '%s' behind", path);
	snprintf(path, sizeof(path), "%s/r.json", dir);
	doc = json_load_file(path, 0, &e);
	cr_assert_not_null(doc, "%s", e.text);
	cr_assert_str_eq(json_string_value(json_object_get(doc, "schema_version")),
			 RESULT_SCHEMA_VERSION);
	cr_assert_str_eq(json_string_value(json_object_get(doc, "kind")), "bpfgauge-run");
	cr_assert_str_eq(json_string_value(json_object_get(json_object_get(doc, "suite"), "name")),
			 "c");
	env = json_object_get(doc, "environment");
	cr_assert(json_is_string(json_object_get(json_object_get(env, "kernel"), "release")));
	cr_assert_eq(json_array_size(json_object_get(doc, "checks")), 2);
	json_array_foreach(json_object_get(doc, "checks"), i, c)
		cr_assert(json_is_string(json_object_get(c, "status")));
	cr_assert(json_is_array(json_object_get(doc, "metrics")));
	cr_assert(json_is_false(json_object_get(doc, "interrupted")));
	json_decref(doc);
}

Test(run, never_overwrites_a_result)
{
	char *out, path[256];

	write_file("c.suite", "[checks]\nrun = bpf_syscall\n");
	write_file("r.json", "precious");
	cr_assert_eq(run("c.suite -o r.json", &out), 2, "%s", out);
	cr_assert(strstr(out, "never overwritten"), "%s", out);
	free(out);
	snprintf(path, sizeof(path), "cat %s/r.json", dir);
	out = sh(path, NULL);
	cr_assert_str_eq(out, "precious");
	free(out);
}

Test(run, required_check_not_passing_exits_1_and_still_writes)
{
	char *out, path[256];
	json_t *doc;

	/* lockdown passes only without lockdown: the evidence decides the expected exit code. */
	write_file("c.suite", "[checks]\nrequire = lockdown\n");
	cr_assert_eq(run("c.suite -o r.json", &out), strcmp(evidence_lockdown(), "none") ? 1 : 0,
		     "%s", out);
	free(out);
	snprintf(path, sizeof(path), "%s/r.json", dir);
	doc = json_load_file(path, 0, NULL);
	cr_assert_not_null(doc, "the result must be written all the same");
	json_decref(doc);
}

Test(run, bad_suites_and_usage_exit_2_with_file_and_line)
{
	char *out;

	write_file("bad.suite", "[suite]\nreps = 3\ncolour = blue\n");
	cr_assert_eq(run("bad.suite", &out), 2);
	cr_assert(strstr(out, "bad.suite:3: unknown key 'colour' in [suite]"), "%s", out);
	cr_assert_eq(strchr(out, '\n'), out + strlen(out) - 1, "one line: %s", out);
	free(out);
	cr_assert_eq(run("no-such-suite", &out), 2);
	cr_assert(strstr(out, "no suite 'no-such-suite'"), "%s", out);
	free(out);
	cr_assert_eq(run("", &out), 2);
	cr_assert(strstr(out, "which suite?"), "%s", out);
	free(out);
	write_file("c.suite", "[checks]\nrun = bpf_syscall\n");
	cr_assert_eq(run("c.suite --reps 0", &out), 2);
	free(out);
	cr_assert_eq(run("c.suite --workdir /nonexistent", &out), 2);
	cr_assert(strstr(out, "not a writable directory"), "%s", out);
	free(out);
}

/*
 * Suites that mean nothing, as a hostile user writes them: each is refused in one line with
 * exit 2 before anything runs (no progress line, no result, no results/), where they used to
 * run nothing (exit 0), read 5 of "5\0junk", pin to a CPU that is not there, or run every
 * check to lose the result at the end (JSON holds UTF-8 alone).
 */
Test(run, suites_that_mean_nothing_exit_2_before_anything_runs)
{
	static const struct {
		const char *make;	/* a shell command in the test's directory */
		const char *suite;
		const char *says;
	} bad[] = {
		{ "mkdir d.suite", "d.suite", "'d.suite': is a directory" },
		{ ": > e.suite", "e.suite", "'e.suite': a suite must run at least one check" },
		{ "printf '[suite]\\n' > s.suite", "s.suite", "'s.suite': a suite must run" },
		{ "head -c 1000 /dev/zero > z.suite", "z.suite",
		  "z.suite:1: contains a NUL byte (offset 0)" },
		{ "printf '[suite]\\nreps = 5\\0junk\\n[checks]\\nrun = jit\\n' > n.suite",
		  "n.suite", "n.suite:2: contains a NUL byte (offset 16)" },
		{ "printf '[suite]\\nreps = 2\\nreps = 3\\n[checks]\\nrun = jit\\n' > r.suite",
		  "r.suite", "r.suite:3: 'reps' given twice in [suite] (lines 2 and 3)" },
		{ "printf '[suite]\\ncpu = 4000\\n[checks]\\nrun = jit\\n' > c.suite", "c.suite",
		  "c.suite:2: cpu = 4000: no CPU 4000 here (online CPUs: " },
		{ "printf '[suite]\\ndescription = caf\\351\\n[checks]\\nrun = jit\\n' > l.suite",
		  "l.suite", "l.suite:2: not UTF-8 text: byte 0xe9 at offset 25" },
		{ "printf '[checks]\\nrun = jit\\n' > \"$(printf 'caf\\351.suite')\"",
		  "caf\xe9.suite", "the file name is not UTF-8 text (byte 0xe9 at offset 3)" },
		{ "truncate -s 2M b.suite", "b.suite", "'b.suite': larger than 1 MiB" },
	};
	char cmd[512], path[256], *out;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(cmd, sizeof(cmd), "cd %s && %s", dir, bad[i].make);
		free(sh(cmd, NULL));
		snprintf(cmd, sizeof(cmd), "%s -o out.json", bad[i].suite);
		cr_expect_eq(run(cmd, &out), 2, "%s: %s", bad[i].suite, out);
		cr_expect(strstr(out, bad[i].says), "%s does not say '%s': %s", bad[i].suite,
			  bad[i].says, out);
		cr_expect(strchr(out, '\n') == out + strlen(out) - 1, "%s: not one line: %s",
			  bad[i].suite, out);
		cr_expect(!strstr(out, "] checks") && !strstr(out, " checks in "),
			  "%s ran its checks: %s", bad[i].suite, out);
		free(out);
		snprintf(path, sizeof(path), "%s/out.json", dir);
		cr_expect(!evidence_exists(path), "%s wrote a result", bad[i].suite);
		unlink(path);
	}
	snprintf(path, sizeof(path), "%s/results", dir);
	cr_expect(!evidence_exists(path), "a refused suite left '%s' behind", path);
}

/* Every shipped suite loads: a typo in one must not wait for a user to find it. */
Test(run, shipped_suites_load)
{
	const char *names[] = { "quick", "overhead", "io", "full" };
	char cmd[256], *out;
	int st;

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		/* An existing -o is refused after the suite is read and before anything runs. */
		snprintf(cmd, sizeof(cmd), "%s run %s -o Makefile 2>&1", bpfgauge_bin(), names[i]);
		out = sh(cmd, &st);
		cr_assert_eq(st, 2, "%s: %s", names[i], out);
		cr_assert(strstr(out, "never overwritten"), "%s: %s", names[i], out);
		free(out);
	}
}

/*
 * 'bpfgauge run quick', shortened: the result follows the documented schema, and
 * attach-overhead has a positive ns/event for every attach type the probe passes and the
 * probe's reason for the others.
 */
Test(run, quick_suite_metrics_follow_the_probe)
{
	const char *types[] = { "tracepoint", "raw_tracepoint", "tp_btf", "kprobe", "kretprobe",
				"kprobe_multi", "fentry", "fexit", "uprobe", "uretprobe", "usdt" };
	char *out, path[256], name[128];
	json_t *doc, *m, *metrics;
	size_t i;

	cr_assert_eq(run("quick --reps 2 --seconds 0.1 -o q.json", &out), 0, "%s", out);
	free(out);
	snprintf(path, sizeof(path), "%s/q.json", dir);
	doc = json_load_file(path, 0, NULL);
	cr_assert_not_null(doc);
	metrics = json_object_get(doc, "metrics");
	json_array_foreach(metrics, i, m) {
		const char *st = json_string_value(json_object_get(m, "status"));
		const char *better = json_string_value(json_object_get(m, "better"));

		cr_assert(json_is_string(json_object_get(m, "unit")));
		cr_assert(!strcmp(better, "lower") || !strcmp(better, "higher"));
		/* The machine's metrics: one sample per repetition of each of quick's 2
		 * benchmarks. */
		bool ref = !strncmp(json_string_value(json_object_get(m, "name")),
				    RESULT_MACHINE_PREFIX, strlen(RESULT_MACHINE_PREFIX));

		if (!strcmp(st, "ok")) {
			cr_assert_eq(json_array_size(json_object_get(m, "samples")), ref ? 4 : 2,
				     "%s", json_string_value(json_object_get(m, "name")));
			cr_assert(json_is_number(json_object_get(m, "median")));
		} else {
			cr_assert(json_is_string(json_object_get(m, "reason")));
		}
	}
	for (size_t t = 0; t < sizeof(types) / sizeof(types[0]); t++) {
		json_t *c = probe_find(doc, types[t]), *found = NULL;
		const char *st, *reason;

		cr_assert_not_null(c, "no check '%s' in the result", types[t]);
		snprintf(name, sizeof(name), "attach-overhead/%s/ns_per_event", types[t]);
		json_array_foreach(metrics, i, m)
			if (!strcmp(json_string_value(json_object_get(m, "name")), name))
				found = m;
		cr_assert_not_null(found, "no metric %s", name);
		st = json_string_value(json_object_get(c, "status"));
		if (!strcmp(st, "pass")) {
			cr_assert_str_eq(json_string_value(json_object_get(found, "status")), "ok");
			cr_assert_gt(json_real_value(json_object_get(found, "median")), 0, "%s", name);
		} else {
			reason = json_string_value(json_object_get(c, "reason"));
			cr_assert_str_neq(json_string_value(json_object_get(found, "status")), "ok");
			cr_assert_str_eq(json_string_value(json_object_get(found, "reason")), reason);
		}
	}
	json_decref(doc);
}
