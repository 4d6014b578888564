// SPDX-License-Identifier: GPL-2.0
/*
 * A suite's [cost NAME] sections through 'bpfgauge run': a tracer's cost in the result file
 * (metrics cost/NAME/WORKLOAD/..., an entry in benchmarks[]), the budget as the exit code, a
 * tracer that cannot be measured breaking the section as a benchmark breaks, bad sections
 * refused before anything runs, and nothing of the tracer left after any of it.
 */
#include <criterion/criterion.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "integration.h"
#include "run/suite.h"
#include "support.h"

/* getppid is what the syscall workload makes; the comment marks the tracer for pgrep. */
#define BT_SCRIPT "/* cost-test-tracer */ tracepoint:syscalls:sys_enter_getppid { @ = count(); }"
#define QUICK "[suite]\nreps = 2\nseconds = 0.2\n"

static const char *const measures[] = { "untraced_ops_per_s", "traced_ops_per_s",
					"slowdown_pct", "added_ns" };

static char dir[] = "/tmp/bpfgauge-cost-suite-XXXXXX";

static void setup(void)
{
	test_dir_make(dir);
	cost_state_save();
}

static void teardown(void)
{
	test_dir_remove(dir);
	cost_state_check();
}

TestSuite(cost_suite, .init = setup, .fini = teardown, .timeout = 180);

/* DIR/NAME (a buffer of its own per call, for up to two at once). */
static const char *in_dir(const char *name)
{
	static char paths[2][PATH_MAX];
	static int next;
	char *p = paths[next++ % 2];

	snprintf(p, PATH_MAX, "%s/%s", dir, name);
	return p;
}

/* Writes the suite DIR/c.suite and runs it into DIR/r.json: stdout and stderr. */
static char *run(const char *suite, const char *args, int *code)
{
	char cmd[1024];

	test_file_write(dir, "c.suite", suite);
	snprintf(cmd, sizeof(cmd), "%s run %s/c.suite -o %s/r.json %s 2>&1", bpfgauge_bin(), dir,
		 dir, args);
	return sh(cmd, code);
}

/* The line of out that holds what (asserting there is one), without its newline. */
static char *line_of(const char *out, const char *what)
{
	const char *at = strstr(out, what), *start;

	cr_assert_not_null(at, "no line with '%s' in:\n%s", what, out);
	for (start = at; start > out && start[-1] != '\n'; start--)
		;
	return strndup(start, strcspn(start, "\n"));
}

/* The project's own tool as the tracer (no bpftrace needed), under a marked sh for pgrep. */
static void own_tool(char *buf, size_t sz)
{
	char bin[PATH_MAX];

	cr_assert_not_null(realpath(bpfgauge_bin(), bin));
	snprintf(buf, sz, "sh -c '%s trace syscall-latency -d 600; : cost-test-tracer'", bin);
}

static double median(const json_t *samples)
{
	double v[64];
	size_t n = json_array_size(samples);

	cr_assert(n > 0 && n <= 64, "%zu samples", n);
	for (size_t i = 0; i < n; i++)
		v[i] = json_number_value(json_array_get(samples, i));
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && v[j - 1] > v[j]; j--) {
			double t = v[j];

			v[j] = v[j - 1];
			v[j - 1] = t;
		}
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/*
 * A bpftrace one-liner on getppid: the four metrics with a sample a repetition, each
 * repetition's slowdown and added ns from its own untraced and traced ops/s, and the entry
 * naming the section and its command as written.
 */
Test(cost_suite, bpftrace_section_writes_metrics_and_its_entry)
{
	const char *suite = QUICK "[cost bt]\ncommand = bpftrace -e '" BT_SCRIPT "'\n"
			    "workloads = syscall\n";
	json_t *doc, *m[4], *entry, *w;
	char *out, name[128];
	int code;

	cr_assert(evidence_root(), "needs root");
	if (!installed("bpftrace"))
		cr_skip_test("bpftrace is not installed ('make deps' installs it)");
	out = run(suite, "", &code);
	cr_assert_eq(code, 0, "%s", out);
	cr_assert(strstr(out, "] cost bt: done in"), "no step of its own: %s", out);
	cr_assert(strstr(out, "cost/bt/syscall/slowdown_pct"), "not in the summary: %s", out);
	free(out);
	doc = test_json_load(dir, "r.json");
	for (int k = 0; k < 4; k++) {
		snprintf(name, sizeof(name), "cost/bt/syscall/%s", measures[k]);
		m[k] = test_metric(doc, name);
		cr_assert_str_eq(json_string_value(json_object_get(m[k], "status")), "ok", "%s",
				 name);
		cr_assert_eq(json_array_size(json_object_get(m[k], "samples")), 2, "%s", name);
	}
	for (size_t r = 0; r < 2; r++) {
		double u = json_number_value(json_array_get(json_object_get(m[0], "samples"), r));
		double t = json_number_value(json_array_get(json_object_get(m[1], "samples"), r));
		double pct = json_number_value(json_array_get(json_object_get(m[2], "samples"), r));
		double ns = json_number_value(json_array_get(json_object_get(m[3], "samples"), r));

		cr_assert(u > 0 && t > 0, "rep %zu: %f %f ops/s", r, u, t);
		cr_assert_float_eq(pct, 100 * (u / t - 1), 1e-6 * fabs(pct) + 1e-9, "rep %zu", r);
		cr_assert_float_eq(ns, 1e9 / t - 1e9 / u, 1e-6 * fabs(ns) + 1e-9, "rep %zu", r);
	}
	entry = json_array_get(json_object_get(doc, "benchmarks"), 0);
	cr_assert_eq(json_array_size(json_object_get(doc, "benchmarks")), 1);
	cr_assert_str_eq(json_string_value(json_object_get(entry, "name")), "cost/bt");
	cr_assert_str_eq(json_string_value(json_object_get(entry, "command")),
			 "bpftrace -e '" BT_SCRIPT "'");
	cr_assert_eq(json_integer_value(json_object_get(entry, "reps")), 2);
	cr_assert_float_eq(json_number_value(json_object_get(entry, "seconds")), 0.2, 1e-9);
	cr_assert_null(json_object_get(entry, "error"));
	cr_assert_null(json_object_get(entry, "budget_pct"), "no budget was given");
	w = json_array_get(json_object_get(entry, "workloads"), 0);
	cr_assert_str_eq(json_string_value(json_object_get(w, "name")), "syscall");
	json_decref(doc);
}

/* The budget is the exit code: over it, exit 1 and a line naming section and workload. */
Test(cost_suite, budget_is_the_exit_code)
{
	char tracer[PATH_MAX + 64], suite[PATH_MAX + 256], *out, *line, want[64];
	json_t *doc, *entry, *w;
	double slowdown;
	int code;

	cr_assert(evidence_root(), "needs root");
	own_tool(tracer, sizeof(tracer));
	/*
	 * syscall-latency on every getppid: tens of percent, far above 0.001%; the median of 3
	 * repetitions, so that one disturbed by another process does not decide it.
	 */
	snprintf(suite, sizeof(suite), "[suite]\nreps = 3\nseconds = 0.2\n[cost tr]\n"
		 "command = %s\nworkloads = syscall\nbudget = 0.001\n", tracer);
	out = run(suite, "", &code);
	cr_assert_eq(code, 1, "%s", out);
	line = line_of(out, "over budget: ");
	cr_assert(strstr(line, "cost 'tr'") && strstr(line, "workload 'syscall'") &&
		  strstr(line, "budget 0.001%"), "%s", line);
	doc = test_json_load(dir, "r.json");
	slowdown = median(json_object_get(test_metric(doc, "cost/tr/syscall/slowdown_pct"),
					  "samples"));
	snprintf(want, sizeof(want), "slowed down %.4g%%", slowdown);
	cr_assert(strstr(line, want), "'%s' does not say the metric's median: %s", line, want);
	cr_assert_gt(slowdown, 0.001);
	entry = json_array_get(json_object_get(doc, "benchmarks"), 0);
	cr_assert_float_eq(json_number_value(json_object_get(entry, "budget_pct")), 0.001, 1e-12);
	w = json_array_get(json_object_get(entry, "workloads"), 0);
	cr_assert(json_is_true(json_object_get(w, "over_budget")), "%s", json_dumps(entry, 0));
	json_decref(doc);
	free(line);
	free(out);

	unlink(in_dir("r.json"));
	snprintf(suite, sizeof(suite), QUICK "[cost tr]\ncommand = %s\nworkloads = syscall\n"
		 "budget = 100000%%\n", tracer);
	out = run(suite, "", &code);
	cr_assert_eq(code, 0, "%s", out);
	cr_assert_null(strstr(out, "over budget"), "%s", out);
	free(out);
	doc = test_json_load(dir, "r.json");
	w = json_array_get(json_object_get(json_array_get(json_object_get(doc, "benchmarks"), 0),
					   "workloads"), 0);
	cr_assert(json_is_false(json_object_get(w, "over_budget")));
	json_decref(doc);
}

/* Refused while the file is read: exit 2, one line FILE:LINE: what, nothing run or written. */
Test(cost_suite, bad_sections_are_refused_with_file_and_line)
{
	static const struct {
		const char *suite;
		int line;
		const char *want;
	} cases[] = {
		{ "[suite]\nreps = 2\n[cost bt]\nworkloads = syscall\n", 3,
		  "[cost bt] has no command" },
		{ "[cost bt]\ncommand = true\ncolour = blue\n", 3,
		  "unknown key 'colour' in [cost bt]" },
		{ "[cost bt]\ncommand = true\nworkloads = syscall, no-such-wl\n", 3,
		  "unknown workload 'no-such-wl'" },
		{ "[cost bt]\ncommand = bpftrace -e 'tracepoint:x { @ = count(); }\n", 2,
		  "cannot split the command of [cost bt]: a quote is not closed" },
		{ "[cost bt]\n\ncommand = bpftrace -e \"$(cat /etc/hostname)\"\n", 3,
		  "cannot split the command of [cost bt]: command substitution ($(...) or `...`) "
		  "is refused" },
		{ "[cost bt]\ncommand = echo `id`\n", 2,
		  "cannot split the command of [cost bt]: command substitution" },
		{ "[cost bt]\ncommand = echo $NO_SUCH_VARIABLE_XYZ\n", 2,
		  "cannot split the command of [cost bt]: a variable that is not set" },
		{ "[cost bt]\ncommand = true\n[cost bt]\ncommand = true\n", 3,
		  "[cost bt] given twice" },
		{ "[cost b.t]\ncommand = true\n", 1,
		  "[cost b.t]: a cost section's name is 1 to 32 letters" },
		{ "[cost bt]\ncommand = true\nbudget = lots\n", 3, "budget must be a slowdown" },
		{ "[cost bt]\ncommand = true\nreps = 65\n", 1,
		  "[cost bt] runs at most 64 repetitions" },
	};
	char want[512], *out;
	int code;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		out = run(cases[i].suite, "", &code);
		cr_assert_eq(code, 2, "%s: exit %d: %s", cases[i].suite, code, out);
		snprintf(want, sizeof(want), "bpfgauge run: %s/c.suite:%d: ", dir, cases[i].line);
		cr_assert(!strncmp(out, want, strlen(want)), "want '%s...', got: %s", want, out);
		cr_assert(strstr(out, cases[i].want), "want '%s', got: %s", cases[i].want, out);
		cr_assert_eq(strchr(out, '\n'), out + strlen(out) - 1, "not one line: %s", out);
		cr_assert_not(evidence_exists(in_dir("r.json")), "%s: a result was written",
			      cases[i].suite);
		free(out);
	}
	out = run("[cost bt]\ncommand = true\n", "--reps 65", &code);
	cr_assert_eq(code, 2, "%s", out);
	cr_assert(strstr(out, "--reps 65: [cost bt] runs at most 64 repetitions"), "%s", out);
	free(out);
}

/* A tracer that is no program breaks the section as a benchmark breaks: exit 1, said why. */
Test(cost_suite, missing_tracer_breaks_the_section)
{
	json_t *doc, *entry, *m;
	char *out, *line, name[128];
	int code;

	cr_assert(evidence_root(), "needs root");
	out = run(QUICK "[cost nx]\ncommand = no-such-tracer-xyz --flag\nworkloads = syscall\n",
		  "", &code);
	cr_assert_eq(code, 1, "%s", out);
	line = line_of(out, "bpfgauge run: cost 'nx' broke: ");
	cr_assert(strstr(line, "cannot run 'no-such-tracer-xyz'"), "%s", line);
	free(line);
	free(out);
	doc = test_json_load(dir, "r.json");
	for (int k = 0; k < 4; k++) {
		snprintf(name, sizeof(name), "cost/nx/syscall/%s", measures[k]);
		m = test_metric(doc, name);
		cr_assert_str_eq(json_string_value(json_object_get(m, "status")), "error", "%s",
				 name);
		cr_assert(strstr(json_string_value(json_object_get(m, "reason")),
				 "no-such-tracer-xyz"), "%s", json_dumps(m, 0));
	}
	entry = json_array_get(json_object_get(doc, "benchmarks"), 0);
	cr_assert(strstr(json_string_value(json_object_get(entry, "error")),
			 "cost/nx: cannot run 'no-such-tracer-xyz'"), "%s", json_dumps(entry, 0));
	json_decref(doc);
}

/* Without its own values a section takes [suite]'s; the default workloads are cost's. */
Test(cost_suite, sections_take_suite_defaults_and_their_own_values)
{
	char err[512] = "", list[] = COST_DEFAULT_WORKLOADS, *save = NULL;
	struct suite s;
	int n = 0;

	test_file_write(dir, "c.suite", "[suite]\nreps = 3\nseconds = 0.25\ncpu = 0\n"
			"[cost a]\ncommand = tracer\n"
			"[cost b-2_x]\ncommand = tracer -e 'a b' \"c d\" e\\ f\nreps = 4\n"
			"seconds = 0.5\ncpu = -1\nworkloads = syscall\n  pipe-pingpong\n"
			"budget = 5%\nready_after = 1.5\nready_timeout = 2\n");
	cr_assert_eq(suite_load(in_dir("c.suite"), &s, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(s.nr_costs, 2);
	cr_assert_str_eq(s.costs[0].name, "a");
	cr_assert_eq(s.costs[0].reps, 3);
	cr_assert_float_eq(s.costs[0].seconds, 0.25, 1e-9);
	cr_assert_eq(s.costs[0].cpu, 0);
	cr_assert_lt(s.costs[0].budget_pct, 0, "no budget");
	cr_assert_float_eq(s.costs[0].ready_timeout, 30, 1e-9);
	for (char *w = strtok_r(list, ",", &save); w; w = strtok_r(NULL, ",", &save), n++)
		cr_assert_str_eq(s.costs[0].workloads[n], w);
	cr_assert_eq(s.costs[0].nr_workloads, n);
	cr_assert_eq(s.costs[1].words.we_wordc, 5);
	cr_assert_str_eq(s.costs[1].words.we_wordv[2], "a b");
	cr_assert_str_eq(s.costs[1].words.we_wordv[3], "c d");
	cr_assert_str_eq(s.costs[1].words.we_wordv[4], "e f");
	cr_assert_null(s.costs[1].words.we_wordv[5]);
	cr_assert_eq(s.costs[1].reps, 4);
	cr_assert_float_eq(s.costs[1].seconds, 0.5, 1e-9);
	cr_assert_eq(s.costs[1].cpu, -1);
	cr_assert_eq(s.costs[1].nr_workloads, 2);
	cr_assert_str_eq(s.costs[1].workloads[1], "pipe-pingpong");
	cr_assert_float_eq(s.costs[1].budget_pct, 5, 1e-9);
	cr_assert_float_eq(s.costs[1].ready_after, 1.5, 1e-9);
	cr_assert_float_eq(s.costs[1].ready_timeout, 2, 1e-9);
	suite_release(&s);
}

/* Ctrl-C in a cost section: exit 130, the result written and marked interrupted. */
Test(cost_suite, interrupted_section_leaves_nothing)
{
	char tracer[PATH_MAX + 64], suite[PATH_MAX + 256], *out = NULL;
	int status;
	json_t *doc;
	pid_t pid;

	cr_assert(evidence_root(), "needs root");
	own_tool(tracer, sizeof(tracer));
	snprintf(suite, sizeof(suite), "[suite]\nreps = 30\nseconds = 0.2\n[cost tr]\n"
		 "command = %s\nworkloads = syscall\n", tracer);
	test_file_write(dir, "c.suite", suite);
	pid = fork();
	if (pid == 0) {
		freopen("/dev/null", "w", stdout);
		freopen(in_dir("log"), "w", stderr);
		execl(bpfgauge_bin(), "bpfgauge", "run", in_dir("c.suite"), "-o", in_dir("r.json"),
		      (char *)NULL);
		_exit(127);
	}
	/* In the cost step, its tracer started (the step's first start checks it can). */
	for (int i = 0; i < 600 && !(out && strstr(out, "cost tr ...")); i++) {
		nanosleep(&(struct timespec){ .tv_nsec = 50 * 1000 * 1000 }, NULL);
		free(out);
		snprintf(suite, sizeof(suite), "cat %s", in_dir("log"));
		out = sh(suite, NULL);
	}
	cr_assert(strstr(out, "cost tr ..."), "the cost step never began: %s", out);
	free(out);
	/* 'latenc[y]': the pattern does not match the shell that runs pgrep. */
	free(sh("for i in $(seq 200); do pgrep -f 'trace syscall-latenc[y] -d 600' >/dev/null && "
		"break; sleep 0.05; done; sleep 1", NULL));
	kill(pid, SIGINT);
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 130, "status %d", status);
	doc = test_json_load(dir, "r.json");
	cr_assert(json_is_true(json_object_get(doc, "interrupted")));
	cr_assert_null(json_object_get(json_array_get(json_object_get(doc, "benchmarks"), 0),
				       "error"), "an interrupted section did not break");
	json_decref(doc);
}
