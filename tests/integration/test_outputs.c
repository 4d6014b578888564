// SPDX-License-Identifier: GPL-2.0
/*
 * A command's data is never lost: runs started together each keep their own result, probes
 * beside each other and beside a run agree with a probe alone, an output that cannot be
 * written is refused before any work, and one that fails at the end keeps the data at a path
 * the command prints.
 */
#include <criterion/criterion.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "integration.h"
#include "lib/strbuf.h"
#include "support.h"

static char dir[] = "/tmp/bpfgauge-outputs-XXXXXX";
static char bin[1024];

/* Two fast checks and a short benchmark (the run's --reps and --seconds make it shorter). */
static const char tiny_suite[] = "[suite]\ndescription = two checks and a short benchmark\n"
				 "seconds = 0.05\n[checks]\nrun = bpf_syscall, raw_tracepoint\n"
				 "[bench workload-throughput]\nvariants = syscall\n";

static void setup(void)
{
	const char *b = bpfgauge_bin();

	test_dir_make(dir);
	test_file_write(dir, "t.suite", tiny_suite);
	if (b[0] == '/')
		snprintf(bin, sizeof(bin), "%s", b);
	else
		snprintf(bin, sizeof(bin), "%s/%s", getcwd((char[512]){}, 512), b);
}

static void teardown(void)
{
	test_dir_remove(dir);
}

TestSuite(outputs, .init = setup, .fini = teardown, .timeout = 300);

/* Starts 'bpfgauge ARGS' in dir, stdout to NAME.out and stderr to NAME.err there. */
static pid_t start(const char *name, const char *args)
{
	char cmd[4096];
	pid_t pid;

	snprintf(cmd, sizeof(cmd), "cd %s && exec %s %s >%s.out 2>%s.err", dir, bin, args, name,
		 name);
	pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	return pid;
}

/* Its exit code. */
static int finish(pid_t pid)
{
	int status;

	cr_assert_eq(waitpid(pid, &status, 0), pid);
	cr_assert(WIFEXITED(status), "killed by signal %d", WTERMSIG(status));
	return WEXITSTATUS(status);
}

/* Runs 'bpfgauge ARGS' in dir alone: its exit code, stdout and stderr together in *out. */
static int in_dir(const char *args, char **out)
{
	char cmd[4096];
	int st;

	snprintf(cmd, sizeof(cmd), "cd %s && %s %s 2>&1", dir, bin, args);
	*out = sh(cmd, &st);
	return st;
}

/* The path after "result: " in NAME.out, asserted to be there. */
static void printed_result(const char *name, char *path, size_t sz)
{
	char file[64], *out, *at;

	snprintf(file, sizeof(file), "%s.out", name);
	out = test_file_read(dir, file);
	at = strstr(out, "\nresult: ");
	cr_assert_not_null(at, "%s printed no result: %s", name, out);
	snprintf(path, sz, "%.*s", (int)strcspn(at + 9, "\n"), at + 9);
	free(out);
}

/* Each check's status in a probe or run document, "name status" a line. */
static char *statuses(json_t *doc)
{
	struct strbuf sb = STRBUF_INIT;
	json_t *c;
	size_t i;

	json_array_foreach(json_object_get(doc, "checks"), i, c)
		strbuf_addf(&sb, "%s %s\n", json_string_value(json_object_get(c, "name")),
			    json_string_value(json_object_get(c, "status")));
	cr_assert_not(sb.failed);
	return sb.buf ? sb.buf : strdup("");
}

/* The verdicts in DIR/NAME.out (a probe's --json) against a probe's alone. */
static void assert_same_verdicts(const char *name, json_t *alone)
{
	char file[64], *out, *got, *want = statuses(alone);
	json_t *doc;

	snprintf(file, sizeof(file), "%s.out", name);
	out = test_file_read(dir, file);
	doc = json_loads(out, 0, NULL);
	cr_assert_not_null(doc, "%s: not JSON: %s", name, out);
	got = statuses(doc);
	cr_assert_str_eq(got, want, "%s: verdicts differ from a probe alone", name);
	free(got);
	free(want);
	free(out);
	json_decref(doc);
}

/*
 * A default result name is to the second: runs started together (as with '&') share it, and
 * each must keep a result of its own all the same (the second one numbered). Three pairs.
 */
Test(outputs, runs_started_together_each_keep_their_own_result)
{
	const char *args = "run t.suite --reps 2";
	char a[PATH_MAX], b[PATH_MAX], *list;
	json_t *doc;

	for (int pair = 0; pair < 3; pair++) {
		pid_t pa = start("a", args), pb = start("b", args);
		int ca = finish(pa), cb = finish(pb);

		cr_assert_eq(ca, 0, "pair %d, first run: exit %d: %s", pair, ca, test_file_read(dir, "a.err"));
		cr_assert_eq(cb, 0, "pair %d, second run: exit %d: %s", pair, cb, test_file_read(dir, "b.err"));
		printed_result("a", a, sizeof(a));
		printed_result("b", b, sizeof(b));
		cr_assert_str_neq(a, b, "both runs printed '%s'", a);
		for (int k = 0; k < 2; k++) {
			const char *p = k ? b : a;

			cr_assert_eq(strncmp(p, "results/t-", 10), 0, "%s", p);
			doc = test_json_load(dir, p);
			cr_assert_eq(json_array_size(json_object_get(doc, "checks")), 2, "%s", p);
			test_metric(doc, "workload-throughput/syscall/ops_per_s");
			json_decref(doc);
		}
	}
	/* Six results and nothing else: no temporary file, no work directory. */
	snprintf(a, sizeof(a), "ls -A %s/results | grep -c '^t-.*\\.json$'; "
		 "ls -A %s/results | grep -vc '^t-.*\\.json$'", dir, dir);
	list = sh(a, NULL);
	cr_assert_str_eq(list, "6\n0\n", "results/ holds:\n%s", test_dir_list(dir, "results"));
	free(list);
}

/*
 * The same for calibrations, whose default name (results/calibration/TIME-HOST.json) has no
 * suite in it: two of any suites started together took the same one.
 */
Test(outputs, calibrations_started_together_each_keep_their_own)
{
	const char *args = "calibrate t.suite --runs 2 --gap 0 --reps 2";
	pid_t pa = start("a", args), pb = start("b", args);
	int ca = finish(pa), cb = finish(pb);
	char cmd[512], *list;

	cr_assert_eq(ca, 0, "first: exit %d: %s", ca, test_file_read(dir, "a.err"));
	cr_assert_eq(cb, 0, "second: exit %d: %s", cb, test_file_read(dir, "b.err"));
	snprintf(cmd, sizeof(cmd), "ls -A %s/results/calibration | grep -c '\\.json$'; "
		 "ls -A %s/results/calibration | grep -vc '\\.json$'", dir, dir);
	list = sh(cmd, NULL);
	cr_assert_str_eq(list, "2\n0\n", "results/calibration holds:\n%s",
			 test_dir_list(dir, "results/calibration"));
	free(list);
}

/* Probes at once, and a probe beside a run: the verdicts of a probe alone; nothing left. */
Test(outputs, probes_beside_each_other_and_a_run_agree_with_a_probe_alone)
{
	char *before = machine_state(), *list;
	json_t *alone, *doc;
	int code, c1, c2, c3, cr;
	pid_t p1, p2, p3, run;

	alone = probe_json("", &code);
	cr_assert_not_null(alone);
	p1 = start("p1", "probe --json");
	p2 = start("p2", "probe --json");
	c1 = finish(p1);
	c2 = finish(p2);
	run = start("run", "run t.suite --reps 2 --seconds 0.2 -o r.json");
	p3 = start("p3", "probe --json");
	c3 = finish(p3);
	cr = finish(run);
	cr_assert_eq(c1, code, "%s", test_file_read(dir, "p1.err"));
	cr_assert_eq(c2, code, "%s", test_file_read(dir, "p2.err"));
	cr_assert_eq(c3, code, "%s", test_file_read(dir, "p3.err"));
	cr_assert_eq(cr, 0, "%s", test_file_read(dir, "run.err"));
	assert_same_verdicts("p1", alone);
	assert_same_verdicts("p2", alone);
	assert_same_verdicts("p3", alone);
	/* The run's own checks too. */
	doc = test_json_load(dir, "r.json");
	for (size_t i = 0; i < 2; i++) {
		json_t *c = json_array_get(json_object_get(doc, "checks"), i);
		const char *name = json_string_value(json_object_get(c, "name"));

		cr_assert_str_eq(json_string_value(json_object_get(c, "status")),
				 probe_status(alone, name), "%s", name);
	}
	json_decref(doc);
	json_decref(alone);
	assert_left_nothing(before);
	free(before);
	list = test_dir_list(dir, ".");
	cr_assert_str_eq(list, "p1.err\np1.out\np2.err\np2.out\np3.err\np3.out\nr.json\nrun.err\n"
			 "run.out\nt.suite\n", "left behind:\n%s", list);
	free(list);
}

/*
 * -o naming a dangling symbolic link: link() refuses it at the end, so it is refused before
 * any work (no progress line, the command not started), in one line, for every command that
 * writes after long work.
 */
Test(outputs, a_dangling_symbolic_link_is_refused_before_any_work)
{
	const char *const cmds[] = {
		"run t.suite -o link.json",
		"calibrate t.suite --runs 2 --gap 0 -o link.json",
		"probe --junit link.json",
		"profile -o link.json -- touch ran",
		"cost -o link.json -- touch ran",
		"compare --junit link.json a.json b.json",
	};
	char target[PATH_MAX], link[PATH_MAX], *out, *list;

	snprintf(target, sizeof(target), "%s/nowhere/r.json", dir);
	snprintf(link, sizeof(link), "%s/link.json", dir);
	cr_assert_eq(symlink(target, link), 0);
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		cr_assert_eq(in_dir(cmds[i], &out), 2, "%s: %s", cmds[i], out);
		cr_assert_not(strstr(out, "[1/"), "%s: the work started: %s", cmds[i], out);
		cr_assert(strstr(out, "cannot write 'link.json': it exists, as a symbolic link "
				 "to "), "%s: %s", cmds[i], out);
		cr_assert_eq(strchr(out, '\n'), out + strlen(out) - 1, "%s: not one line: %s",
			     cmds[i], out);
		free(out);
	}
	list = test_dir_list(dir, ".");
	cr_assert_str_eq(list, "link.json\nt.suite\n", "left behind or started:\n%s", list);
	free(list);
}

/*
 * DIR/NAME: a suite of one check and a cost section whose tracer is 'command': what it does
 * happens while the run goes on, before the result is written (its tracer exits at once, so
 * the section breaks, and is in the result as broken).
 */
static void suite_running(const char *name, const char *command)
{
	char text[2048];

	snprintf(text, sizeof(text), "[checks]\nrun = bpf_syscall\n[cost maker]\n"
		 "command = %s\nworkloads = syscall\nreps = 2\nseconds = 0.05\n", command);
	test_file_write(dir, name, text);
}

/*
 * -o made by another process while the run goes on (here its cost section's tracer, a
 * 'touch' of it): the result is saved next to it, the one line says where, and the exit code
 * still says the write failed.
 */
Test(outputs, an_output_made_meanwhile_keeps_the_result_beside_it)
{
	char cmd[512], *out, *made;
	json_t *doc;

	snprintf(cmd, sizeof(cmd), "touch %s/r.json", dir);
	suite_running("late.suite", cmd);
	cr_assert_eq(in_dir("run late.suite -o r.json", &out), 2, "%s", out);
	cr_assert(strstr(out, "bpfgauge run: cannot write 'r.json': File exists (files are never "
			 "overwritten); saved to 'r-2.json' instead\n"), "%s", out);
	free(out);
	made = test_file_read(dir, "r.json");
	cr_assert_str_empty(made, "the file the tracer made was changed: %s", made);
	free(made);
	doc = test_json_load(dir, "r-2.json");
	cr_assert_str_eq(json_string_value(json_object_get(named(json_object_get(doc, "checks"),
								  "bpf_syscall"), "status")),
			 "pass");
	/* The section that made the file is in it too. */
	cr_assert_not_null(named(json_object_get(doc, "benchmarks"), "cost/maker"));
	json_decref(doc);
}

/* -o's directory gone by the end: the result is saved in $TMPDIR, said so, exit 2. */
Test(outputs, an_output_directory_gone_keeps_the_result_in_tmpdir)
{
	char cmd[1024], *out, *list;
	json_t *doc;

	snprintf(cmd, sizeof(cmd), "rmdir %s/out", dir);
	suite_running("gone.suite", cmd);
	snprintf(cmd, sizeof(cmd), "mkdir %s/out %s/tmp", dir, dir);
	free(sh(cmd, NULL));
	snprintf(cmd, sizeof(cmd), "%s/tmp", dir);
	cr_assert_eq(setenv("TMPDIR", cmd, 1), 0);
	cr_assert_eq(in_dir("run gone.suite -o out/r.json", &out), 2, "%s", out);
	cr_assert(strstr(out, "bpfgauge run: cannot write 'out/r.json': No such file or "
			 "directory; saved to '"), "%s", out);
	snprintf(cmd, sizeof(cmd), "%s/tmp/r.json' instead\n", dir);
	cr_assert(strstr(out, cmd), "%s", out);
	free(out);
	doc = test_json_load(dir, "tmp/r.json");
	cr_assert_not_null(named(json_object_get(doc, "checks"), "bpf_syscall"));
	json_decref(doc);
	list = test_dir_list(dir, "tmp");
	cr_assert_str_eq(list, "r.json\n", "%s", list);
	free(list);
}

/* The profiled command makes both outputs: the profile is saved next to them, exit 2. */
Test(outputs, profile_outputs_made_meanwhile_are_kept_beside_them)
{
	char args[1024], *out, *svg;

	snprintf(args, sizeof(args), "profile -o x.svg --folded x.folded -- touch %s/x.svg "
		 "%s/x.folded", dir, dir);
	cr_assert_eq(in_dir(args, &out), 2, "%s", out);
	cr_assert(strstr(out, "cannot write 'x.svg': File exists (files are never overwritten); "
			 "saved to 'x-2.svg' instead"), "%s", out);
	cr_assert(strstr(out, "cannot write 'x.folded': File exists (files are never "
			 "overwritten); saved to 'x-2.folded' instead"), "%s", out);
	cr_assert(strstr(out, "wrote 'x-2.svg' and 'x-2.folded'"), "%s", out);
	free(out);
	svg = test_file_read(dir, "x-2.svg");
	cr_assert(strstr(svg, "<svg ") && strstr(svg, "</svg>"), "not an SVG: %.200s", svg);
	free(svg);
	svg = test_file_read(dir, "x.svg");
	cr_assert_str_empty(svg);
	free(svg);
}
