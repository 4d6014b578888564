// SPDX-License-Identifier: GPL-2.0
/*
 * A benchmark that breaks, as a user meets it: 'bpfgauge run' records its error and exits 1,
 * 'bpfgauge compare' reports its metrics as broken. The break is the suite's inject_error
 * (no benchmark can be made to break otherwise: they record what fails in their metrics);
 * the other side of each comparison is a real run of the same benchmark.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "integration.h"
#include "support.h"

static char dir[] = "/tmp/bpfgauge-bench-errors-XXXXXX";
static char bin[512];

static void setup(void)
{
	test_dir_make(dir);
	cr_assert_not_null(realpath(bpfgauge_bin(), bin), "no %s", bpfgauge_bin());
}

static void teardown(void)
{
	test_dir_remove(dir);
}

TestSuite(bench_errors, .init = setup, .fini = teardown);

#define SUITE_HEAD "[suite]\nreps = 5\nseconds = 0.05\n[checks]\nrun = none\n"
#define GOOD "[bench workload-throughput]\nvariants = syscall,pipe-pingpong\n"
#define BROKEN GOOD "inject_error = EIO\n"

/* What the broken benchmark's error must read, from libc here rather than from bpfgauge. */
static const char *eio_error(void)
{
	static char text[256];

	snprintf(text, sizeof(text), "workload-throughput: made to break by the suite's "
		 "inject_error: EIO (%s)", strerror(EIO));
	return text;
}

/* Runs 'bpfgauge ARGS' in dir: the exit code; stdout in *out, stderr in *err (malloc'd). */
static int bpfgauge(const char *args, char **out, char **err)
{
	char cmd[1024];
	int st;

	snprintf(cmd, sizeof(cmd), "cd %s && %s %s 2>%s/stderr", dir, bin, args, dir);
	*out = sh(cmd, &st);
	snprintf(cmd, sizeof(cmd), "cat %s/stderr", dir);
	*err = sh(cmd, NULL);
	return st;
}

/* Writes NAME.suite and runs it to NAME.json; returns the exit code. */
static int run_suite(const char *name, const char *text, char **err)
{
	char file[64], args[256], *out;
	int st;

	snprintf(file, sizeof(file), "%s.suite", name);
	test_file_write(dir, file, text);
	snprintf(args, sizeof(args), "run %s.suite -o %s.json", name, name);
	st = bpfgauge(args, &out, err);
	free(out);
	return st;
}

static void run_ok(const char *name, const char *text, int want)
{
	char *err;

	cr_assert_eq(run_suite(name, text, &err), want, "%s", err);
	free(err);
}

static void save(json_t *doc, const char *name)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s.json", dir, name);
	cr_assert_eq(json_dump_file(doc, path, JSON_INDENT(1)), 0);
	json_decref(doc);
}

static const char *field(json_t *obj, const char *key)
{
	const char *s = json_string_value(json_object_get(obj, key));

	return s ? s : "(none)";
}

/* 'bpfgauge compare --json ARGS': the document and the exit code. */
static json_t *compare_json(const char *args, int *st)
{
	char full[512], *out, *err;
	json_t *doc;

	snprintf(full, sizeof(full), "compare --json %s", args);
	*st = bpfgauge(full, &out, &err);
	doc = json_loads(out, 0, NULL);
	cr_assert_not_null(doc, "not JSON: %s%s", out, err);
	free(out);
	free(err);
	return doc;
}

#define SYSCALL_METRIC "workload-throughput/syscall/ops_per_s"

Test(bench_errors, a_benchmark_that_breaks_is_in_the_result_and_the_run_exits_1)
{
	json_t *doc, *benches, *b, *m;
	char *err;
	size_t i;

	if (!evidence_root())
		cr_skip_test("bpfgauge run needs root");
	/* The broken benchmark first: the next one still runs. */
	cr_assert_eq(run_suite("r", SUITE_HEAD "[bench ringbuf-vs-perfbuf]\ninject_error = ENOMEM\n"
			       GOOD, &err), 1, "%s", err);
	cr_assert(strstr(err, "bpfgauge run: benchmark 'ringbuf-vs-perfbuf' broke: made to "
			 "break by the suite's inject_error: ENOMEM ("), "%s", err);
	free(err);

	doc = test_json_load(dir, "r.json");
	benches = json_object_get(doc, "benchmarks");
	cr_assert_eq(json_array_size(benches), 2);
	b = json_array_get(benches, 0);
	cr_assert_str_eq(field(b, "name"), "ringbuf-vs-perfbuf");
	cr_assert_str_eq(field(b, "inject_error"), "ENOMEM");
	{
		char want[256];

		snprintf(want, sizeof(want), "ringbuf-vs-perfbuf: made to break by the suite's "
			 "inject_error: ENOMEM (%s)", strerror(ENOMEM));
		cr_assert_str_eq(field(b, "error"), want);
	}
	b = json_array_get(benches, 1);
	cr_assert_str_eq(field(b, "name"), "workload-throughput");
	cr_assert_null(json_object_get(b, "error"), "the benchmark after it ran fine");
	cr_assert_null(json_object_get(b, "inject_error"));
	/* It never ran: no metric of it; the next benchmark's metrics are all there. */
	json_array_foreach(json_object_get(doc, "metrics"), i, m) {
		cr_assert(strncmp(field(m, "name"), "ringbuf-vs-perfbuf/", 19), "%s",
			  field(m, "name"));
		cr_assert_str_eq(field(m, "status"), "ok", "%s", field(m, "name"));
		cr_assert_eq(json_array_size(json_object_get(m, "samples")), 5);
	}
	/* workload-throughput's two, and the machine's two timed after each of its
	 * repetitions. */
	cr_assert_eq(json_array_size(json_object_get(doc, "metrics")), 4);
	cr_assert(json_is_false(json_object_get(doc, "interrupted")));
	json_decref(doc);
}

/* Interrupted is not broken: 130, no error, as before. */
Test(bench_errors, an_interrupted_benchmark_is_not_broken)
{
	char cmd[1024], *out;
	json_t *doc, *b;

	if (!evidence_root())
		cr_skip_test("bpfgauge run needs root");
	test_file_write(dir, "long.suite", "[suite]\nreps = 20\nseconds = 0.5\n[checks]\n"
			"run = none\n[bench workload-throughput]\nvariants = syscall\n");
	/* SIGINT once the benchmark runs (its progress line is out), as Ctrl-C would. */
	snprintf(cmd, sizeof(cmd), "cd %s && { %s run long.suite -o long.json 2>stderr & "
		 "pid=$!; for i in $(seq 100); do grep -q '^\\[2/2\\] workload-throughput' "
		 "stderr && break; sleep 0.1; done; sleep 0.5; kill -INT $pid; wait $pid; "
		 "echo exit=$?; cat stderr; }", dir, bin);
	out = sh(cmd, NULL);
	cr_assert(strstr(out, "exit=130"), "%s", out);
	cr_assert(strstr(out, "workload-throughput: interrupted"), "%s", out);
	cr_assert_null(strstr(out, "broke"), "%s", out);
	free(out);
	doc = test_json_load(dir, "long.json");
	b = json_array_get(json_object_get(doc, "benchmarks"), 0);
	cr_assert_null(json_object_get(b, "error"));
	cr_assert(json_is_true(json_object_get(doc, "interrupted")));
	json_decref(doc);
}

Test(bench_errors, the_suite_refuses_an_inject_error_that_is_no_errno)
{
	const char *bad[] = { "EFOO", "5", "eio", "EINTR" };

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char text[256], *err, want[128];

		snprintf(text, sizeof(text), SUITE_HEAD GOOD "inject_error = %s\n", bad[i]);
		cr_assert_eq(run_suite("bad", text, &err), 2, "%s: %s", bad[i], err);
		snprintf(want, sizeof(want), "bad.suite:8: inject_error must name an errno");
		cr_assert(strstr(err, want), "%s: %s", bad[i], err);
		cr_assert(strstr(err, bad[i]), "%s: %s", bad[i], err);
		free(err);
	}
}

/* Good BASE, broken NEW: regressed, exit 1, with the error, in every output. */
Test(bench_errors, broken_in_new_is_a_regression_in_every_output)
{
	char *out, *err;
	json_t *doc, *row, *sum;
	int st;

	if (!evidence_root())
		cr_skip_test("bpfgauge run needs root");
	run_ok("good", SUITE_HEAD GOOD, 0);
	run_ok("broken", SUITE_HEAD BROKEN, 1);

	cr_assert_eq(bpfgauge("compare good.json broken.json", &out, &err), 1, "%s%s", out, err);
	{
		char want[512];

		snprintf(want, sizeof(want), "  regressed    " SYSCALL_METRIC "        ok -> "
			 "broken: %s\n", eio_error());
		cr_assert(strstr(out, want), "want '%s' in:\n%s", want, out);
	}
	cr_assert_null(strstr(out, "only in base  "), "%s", out);
	/* The broken run ran no repetition: no machine metrics either, only in base. */
	cr_assert(strstr(out, "2 regressed, 0 improved, 0 unchanged, 0 inconclusive; 2 only in "
			  "base, 0 only in new; 0 broken in base, 2 broken in new\n"), "%s", out);
	free(out);
	free(err);

	doc = compare_json("good.json broken.json", &st);
	cr_assert_eq(st, 1);
	row = named(json_object_get(doc, "metrics"), SYSCALL_METRIC);
	cr_assert_not_null(row);
	cr_assert_str_eq(field(row, "presence"), "both");
	cr_assert_str_eq(field(row, "base_status"), "ok");
	cr_assert_str_eq(field(row, "new_status"), "broken");
	cr_assert_str_eq(field(row, "new_reason"), eio_error());
	cr_assert_str_eq(field(row, "verdict"), "regressed");
	sum = json_object_get(doc, "summary");
	cr_assert_eq(json_integer_value(json_object_get(sum, "broken_in_new")), 2);
	cr_assert_eq(json_integer_value(json_object_get(sum, "broken_in_base")), 0);
	/* the machine's two */
	cr_assert_eq(json_integer_value(json_object_get(sum, "only_in_base")), 2);
	cr_assert_eq(json_integer_value(json_object_get(doc, "exit_code")), 1);
	json_decref(doc);

	cr_assert_eq(bpfgauge("compare --markdown good.json broken.json", &out, &err), 1);
	cr_assert(strstr(out, "| **regressed** | `" SYSCALL_METRIC "` | ok | broken | | | ok -> "
			  "broken: workload-throughput: "), "%s", out);
	free(out);
	free(err);

	cr_assert_eq(bpfgauge("compare --junit j.xml good.json broken.json >/dev/null; cat j.xml",
			      &out, &err), 0);
	cr_assert(strstr(out, "failures=\"2\""), "%s", out);
	cr_assert(strstr(out, "<failure message=\"regressed: ok -&gt; broken: "
			  "workload-throughput: made to break"), "%s", out);
	free(out);
	free(err);
}

/* Broken BASE, good NEW: reported, and not a failure. */
Test(bench_errors, broken_in_base_only_is_reported_and_exits_0)
{
	json_t *doc, *row;
	char *out, *err;
	int st;

	if (!evidence_root())
		cr_skip_test("bpfgauge run needs root");
	run_ok("good", SUITE_HEAD GOOD, 0);
	run_ok("broken", SUITE_HEAD BROKEN, 1);

	cr_assert_eq(bpfgauge("compare broken.json good.json", &out, &err), 0, "%s%s", out, err);
	cr_assert(strstr(out, "  improved     " SYSCALL_METRIC "        broken ("), "%s", out);
	cr_assert(strstr(out, eio_error()), "%s", out);
	cr_assert(strstr(out, "; 2 broken in base, 0 broken in new\n"), "%s", out);
	free(out);
	free(err);

	doc = compare_json("broken.json good.json", &st);
	cr_assert_eq(st, 0);
	row = named(json_object_get(doc, "metrics"), SYSCALL_METRIC);
	cr_assert_str_eq(field(row, "presence"), "both");
	cr_assert_str_eq(field(row, "base_status"), "broken");
	cr_assert_str_eq(field(row, "base_reason"), eio_error());
	cr_assert_str_eq(field(row, "new_status"), "ok");
	cr_assert_str_eq(field(row, "verdict"), "improved");
	cr_assert_eq(json_integer_value(json_object_get(doc, "exit_code")), 0);
	json_decref(doc);
}

/*
 * A benchmark that breaks half-way leaves its metrics with what it had (run marks those it left
 * ok as errors). Such a result, made from a real one: the metrics are broken whatever they say,
 * on both sides unchanged, and a base whose own metric was unsupported still regresses.
 */
Test(bench_errors, metrics_left_by_a_broken_benchmark_are_broken_too)
{
	json_t *doc, *row, *m;
	int st;

	if (!evidence_root())
		cr_skip_test("bpfgauge run needs root");
	run_ok("good", SUITE_HEAD GOOD, 0);

	doc = test_json_load(dir, "good.json");
	json_object_set_new(json_array_get(json_object_get(doc, "benchmarks"), 0), "error",
			    json_string("workload-throughput: ENOMEM (Cannot allocate memory)"));
	m = named(json_object_get(doc, "metrics"), SYSCALL_METRIC);
	json_object_set_new(m, "status", json_string("error"));
	json_object_set_new(m, "reason", json_string("benchmark 'workload-throughput' broke"));
	save(doc, "half");

	doc = compare_json("half.json half.json", &st);
	cr_assert_eq(st, 0);
	row = named(json_object_get(doc, "metrics"), SYSCALL_METRIC);
	cr_assert_str_eq(field(row, "verdict"), "unchanged");
	cr_assert_str_eq(field(row, "why"), "broken on both sides: workload-throughput: ENOMEM "
			 "(Cannot allocate memory)");
	json_decref(doc);

	doc = test_json_load(dir, "good.json");
	m = named(json_object_get(doc, "metrics"), SYSCALL_METRIC);
	json_object_set_new(m, "status", json_string("unsupported"));
	json_object_set_new(m, "samples", json_array());
	save(doc, "unsup");
	doc = compare_json("unsup.json half.json", &st);
	cr_assert_eq(st, 1);
	row = named(json_object_get(doc, "metrics"), SYSCALL_METRIC);
	cr_assert_str_eq(field(row, "verdict"), "regressed");
	cr_assert_str_eq(field(row, "base_status"), "unsupported");
	cr_assert_str_eq(field(row, "new_status"), "broken");
	json_decref(doc);
}

Test(bench_errors, the_matrix_shows_broken_cells_and_their_errors)
{
	char *out, *err;

	if (!evidence_root())
		cr_skip_test("bpfgauge run needs root");
	run_ok("good", SUITE_HEAD GOOD, 0);
	run_ok("broken", SUITE_HEAD BROKEN, 1);

	cr_assert_eq(bpfgauge("compare good.json good.json broken.json", &out, &err), 1, "%s%s",
		     out, err);
	cr_assert(strstr(out, "broken !"), "%s", out);
	{
		char want[512];

		snprintf(want, sizeof(want), "benchmarks that broke:\n  R3: %s\n", eio_error());
		cr_assert(strstr(out, want), "want '%s' in:\n%s", want, out);
	}
	free(out);
	free(err);
	/* Broken in the first column only: shown, and nothing regressed. */
	cr_assert_eq(bpfgauge("compare broken.json good.json good.json", &out, &err), 0, "%s%s",
		     out, err);
	cr_assert(strstr(out, "R1: workload-throughput: made to break"), "%s", out);
	free(out);
	free(err);
}

/* A benchmark that broke before making any metric, which base did not run: a warning. */
Test(bench_errors, a_break_with_no_metric_to_show_it_is_warned_about)
{
	char *out, *err;

	if (!evidence_root())
		cr_skip_test("bpfgauge run needs root");
	run_ok("c", "[checks]\nrun = bpf_syscall\n", 0);
	run_ok("cb", "[checks]\nrun = bpf_syscall\n[bench ringbuf-vs-perfbuf]\n"
	       "inject_error = EPERM\n", 1);
	cr_assert_eq(bpfgauge("compare c.json cb.json", &out, &err), 0, "%s%s", out, err);
	cr_assert(strstr(out, "warning: a benchmark broke and no metric of either result shows "
			  "it: in new, ringbuf-vs-perfbuf: made to break"), "%s", out);
	free(out);
	free(err);
}

/* benchmarks[] is checked when a result is read: an error must be a string. */
Test(bench_errors, a_result_whose_benchmark_error_is_not_a_string_is_refused)
{
	char *out, *err;
	json_t *doc;

	test_file_write(dir, "ok.json", "{\"schema_version\": \"1.0\", \"kind\": \"bpfgauge-run\", "
			"\"environment\": {}, \"checks\": [], \"metrics\": [], \"benchmarks\": "
			"[{\"name\": \"a\"}]}");
	doc = json_loads("{\"schema_version\": \"1.0\", \"kind\": \"bpfgauge-run\", "
			 "\"environment\": {}, \"checks\": [], \"metrics\": [], \"benchmarks\": "
			 "[{\"name\": \"a\"}, {\"name\": \"b\", \"error\": 5}]}", 0, NULL);
	save(doc, "bad");
	cr_assert_eq(bpfgauge("compare ok.json bad.json", &out, &err), 2);
	cr_assert(strstr(err, "'bad.json' is not a bpfgauge result: benchmarks[1].error is an "
			  "integer, not a string"), "%s", err);
	free(out);
	free(err);
}
