// SPDX-License-Identifier: GPL-2.0
/* func-latency as a command: its errors, -p, and a killed tracer leaving nothing behind. */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdbool.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "func_target.h"
#include "integration.h"
#include "support.h"

/* Exit code and the whole combined output of a bpfgauge run. */
static int run(const char *args, char **out)
{
	char cmd[2048];
	int st;

	snprintf(cmd, sizeof(cmd), "%s trace func-latency %s 2>&1", bpfgauge_bin(), args);
	*out = sh(cmd, &st);
	return st;
}

static void assert_one_line_error(const char *args, const char *want)
{
	char *out;

	cr_assert_eq(run(args, &out), 2, "%s: %s", args, out);
	cr_assert(strstr(out, want), "%s: want '%s', got: %s", args, want, out);
	cr_assert_eq(strchr(out, '\n'), out + strlen(out) - 1, "%s: not one line: %s", args, out);
	cr_assert_null(strstr(out, "calls="), "%s: the command ran anyway", args);
	free(out);
}

Test(func_latency, errors_name_the_missing_thing_exit_2)
{
	char *t = canonical(TARGET), *tru = canonical("/usr/bin/true"), *pid_max, *ldd, *libc;
	char args[256], want[600];

	ldd = sh("ldd " TARGET " | awk '$1 ~ /^libc[.]so/ {print $3}'", NULL);
	ldd[strcspn(ldd, "\n")] = '\0';
	libc = canonical(ldd);

	snprintf(want, sizeof(want), "bpfgauge trace: func-latency: no symbol 'no_such_fn' in "
		 "'%s'\n", t);
	snprintf(args, sizeof(args), "--func %s:no_such_fn -- %s libc 1", TARGET, TARGET);
	assert_one_line_error(args, want);
	snprintf(want, sizeof(want), "no symbol 'foo' in '%s'", tru);
	assert_one_line_error("--func /usr/bin/true:foo -d 1", want);
	assert_one_line_error("--func /no/such/bin:main -d 1", "no binary '/no/such/bin'");
	/* Without a process, a library name is found in the ld.so cache: ldd's libc here. */
	snprintf(want, sizeof(want), "no symbol 'no_such_fn' in '%s'", libc);
	assert_one_line_error("--func libc:no_such_fn -d 1", want);
	assert_one_line_error("--func libno_such_library:f -d 1",
			      "no library or program 'libno_such_library'");
	assert_one_line_error("--func ./Makefile:f -d 1", "is not an ELF file");
	assert_one_line_error("--func nocolon -d 1", "BINARY:SYMBOL");
	assert_one_line_error("-d 1", "needs --func BINARY:SYMBOL");
	/* No process can have a pid above pid_max. */
	pid_max = sh("cat /proc/sys/kernel/pid_max", NULL);
	snprintf(args, sizeof(args), "--func libc:getppid -p %ld", atol(pid_max) + 1);
	snprintf(want, sizeof(want), "no process with pid '%ld'", atol(pid_max) + 1);
	assert_one_line_error(args, want);
	free(pid_max);
	free(t);
	free(tru);
	free(ldd);
	free(libc);
}

/* Starts argv with stdout and stderr to out_path (NULL: /dev/null). */
static pid_t spawn(char *const argv[], const char *out_path)
{
	pid_t pid = fork();

	cr_assert_geq(pid, 0);
	if (pid == 0) {
		int fd = open(out_path ? out_path : "/dev/null",
			      O_WRONLY | O_CREAT | O_TRUNC, 0600);

		dup2(fd, STDOUT_FILENO);
		dup2(fd, STDERR_FILENO);
		execv(argv[0], argv);
		_exit(127);
	}
	return pid;
}

/* Whether text holds line as a whole line. */
static bool has_line(const char *text, const char *line)
{
	size_t len = strlen(line);

	for (const char *hit = strstr(text, line); hit; hit = strstr(hit + 1, line))
		if ((hit == text || hit[-1] == '\n') && (hit[len] == '\n' || !hit[len]))
			return true;
	return false;
}

/*
 * 'bpftool ARGS | awk PROG', retried while bpftool fails: it stops listing at an object
 * another process is just freeing ("can't get link by id (N): Resource temporarily
 * unavailable"), which would make a partial list look complete.
 */
static char *bpftool_awk(const char *args, const char *prog)
{
	char cmd[512], *out = NULL;
	int st = 1;

	snprintf(cmd, sizeof(cmd), "out=$(bpftool %s 2>/dev/null) || exit 1; "
		 "printf '%%s\\n' \"$out\" | awk '%s'", args, prog);
	for (int i = 0; i < 50 && st; i++) {
		free(out);
		out = sh(cmd, &st);
		if (st)
			usleep(10 * 1000);
	}
	cr_assert_eq(st, 0, "bpftool %s keeps failing", args);
	return out;
}

/* Ids of loaded programs named func_lat_* that are not in 'before', one per line. */
static char *new_prog_ids(const char *before)
{
	char *all = bpftool_awk("prog show", "$4 ~ /^func_lat_/ {sub(\":\", \"\", $1); print $1}");
	char *added = calloc(1, strlen(all) + 1), *save = NULL;

	for (char *id = strtok_r(all, "\n", &save); id; id = strtok_r(NULL, "\n", &save))
		if (!has_line(before, id))
			strcat(strcat(added, id), "\n");
	free(all);
	return added;
}

/* How many of the program ids (one per line) a link in 'bpftool link show' holds. */
static int links_to(const char *ids)
{
	char *links = bpftool_awk("link show", "{for (i = 1; i < NF; i++) if ($i == \"prog\") "
				  "print $(i + 1)}");
	char *copy = strdup(ids), *save = NULL;
	int n = 0;

	for (char *id = strtok_r(copy, "\n", &save); id; id = strtok_r(NULL, "\n", &save))
		n += has_line(links, id);
	free(copy);
	free(links);
	return n;
}

/* Waits (up to 2 s) until a tracer's entry and return programs are loaded and linked. */
static char *wait_attached(const char *before)
{
	char *ids = NULL;
	int linked = 0;

	for (int i = 0; i < 200 && linked != 2; i++) {
		if (i)
			usleep(10 * 1000);
		free(ids);
		ids = new_prog_ids(before);
		linked = links_to(ids);
	}
	cr_assert_eq(linked, 2, "bpfgauge did not attach: new programs '%s'", ids);
	return ids;
}

static char *file_text(const char *path)
{
	char cmd[256];

	snprintf(cmd, sizeof(cmd), "cat '%s'", path);
	return sh(cmd, NULL);
}

/* -p: the same binary running in another process at the same time is not counted. */
Test(func_latency, pid_filter_counts_only_that_process)
{
	char go[] = "/tmp/bpfgauge-func-go-XXXXXX", out[] = "/tmp/bpfgauge-func-out-XXXXXX";
	char tout[] = "/tmp/bpfgauge-func-target-XXXXXX", func[600], pid_s[16], *text, *ids;
	char *traced_argv[] = { TARGET, "-w", go, "spin", "20", "500", NULL };
	char *other_argv[] = { TARGET, "-w", go, "spin", "20", "700", NULL };
	char *trace_argv[] = { (char *)bpfgauge_bin(), "trace", "func-latency", "--json", "-d",
			       "1", "--func", func, "-p", pid_s, NULL };
	char *before = new_prog_ids("");
	struct target_run t;
	pid_t traced, other, tracer;
	json_t *doc;
	int st;

	close(mkstemp(out));
	close(mkstemp(tout));
	close(mkstemp(go));
	unlink(go);
	snprintf(func, sizeof(func), "%s:busy_wait", TARGET);
	traced = spawn(traced_argv, tout);
	other = spawn(other_argv, NULL);
	snprintf(pid_s, sizeof(pid_s), "%d", traced);
	tracer = spawn(trace_argv, out);
	ids = wait_attached(before);
	close(open(go, O_WRONLY | O_CREAT, 0600));
	cr_assert_eq(waitpid(traced, &st, 0), traced);
	cr_assert_eq(waitpid(other, &st, 0), other);
	cr_assert_eq(waitpid(tracer, &st, 0), tracer);
	cr_assert(WIFEXITED(st) && !WEXITSTATUS(st), "bpfgauge exit status %d", st);
	text = file_text(tout);
	target_parse(text, &t);
	free(text);
	text = file_text(out);
	doc = json_loads(text, 0, NULL);
	cr_assert_not_null(doc, "not JSON: %s", text);
	cr_assert_eq(jint(only_hist(doc), "count"), t.calls, "the other process counted too?");
	cr_assert_eq(jint(doc, "pid"), traced);
	json_decref(doc);
	free(text);
	unlink(go);
	unlink(out);
	unlink(tout);
	free(ids);
	free(before);
}

/* kill -9 of a tracer in the middle of its run leaves no program, link or uprobe behind. */
Test(func_latency, killed_tracer_leaves_nothing)
{
	char func[600], pid_s[16], *ids, *left = NULL;
	char *target_argv[] = { TARGET, "-t", "spin", "20", "0", NULL };
	char *trace_argv[] = { (char *)bpfgauge_bin(), "trace", "func-latency", "-d", "30",
			       "--func", func, "-p", pid_s, NULL };
	char *before = new_prog_ids("");
	pid_t target, tracer;
	int st, linked = -1;

	snprintf(func, sizeof(func), "%s:busy_wait", TARGET);
	target = spawn(target_argv, NULL);
	snprintf(pid_s, sizeof(pid_s), "%d", target);
	tracer = spawn(trace_argv, NULL);
	ids = wait_attached(before);
	/* Attached through the uprobe PMU: nothing in tracefs even while it runs. */
	if (evidence_exists("/sys/bus/event_source/devices/uprobe/type"))
		cr_assert_eq(uprobe_events_naming("busy_target"), 0, "a tracefs uprobe");
	kill(tracer, SIGKILL);
	waitpid(tracer, &st, 0);
	/* Programs are freed after their last fd closes, asynchronously: allow up to 2 s. */
	for (int i = 0; i < 200; i++) {
		free(left);
		left = new_prog_ids(before);
		linked = links_to(ids);
		if (!left[0] && !linked)
			break;
		usleep(10 * 1000);
	}
	kill(target, SIGKILL);
	waitpid(target, &st, 0);
	cr_assert_str_empty(left, "programs left after kill -9: %s", left);
	cr_assert_eq(linked, 0, "links left after kill -9");
	cr_assert_eq(uprobe_events_naming("busy_target"), 0, "left in uprobe_events");
	free(ids);
	free(left);
	free(before);
}

static char strip_dir[] = "/tmp/bpfgauge-strip-XXXXXX";

static void strip_dir_make(void)
{
	test_dir_make(strip_dir);
}

static void strip_dir_remove(void)
{
	test_dir_remove(strip_dir);
}

/* A stripped binary: the message says so, and how many functions its .dynsym defines. */
Test(func_latency, stripped_binary_is_named_as_such, .init = strip_dir_make,
     .fini = strip_dir_remove)
{
	const char *dir = strip_dir;
	char cmd[600], want[700], *n;

	snprintf(cmd, sizeof(cmd), "cp %s %s/t && strip %s/t && readelf -W --dyn-syms %s/t | "
		 "awk '($4 == \"FUNC\" || $4 == \"IFUNC\") && $7 != \"UND\"' | wc -l", TARGET, dir,
		 dir, dir);
	n = sh(cmd, NULL);
	snprintf(want, sizeof(want), "no symbol 'busy_wait' in '%s/t': it is stripped (no "
		 ".symtab) and its .dynsym defines %ld functions, not this one", dir, atol(n));
	snprintf(cmd, sizeof(cmd), "--func %s/t:busy_wait -d 1", dir);
	assert_one_line_error(cmd, want);
	free(n);
}

/* '-- COMMAND': the function is timed in the processes the command forks. */
Test(func_latency, command_children_are_timed)
{
	char args[1024], *out;
	json_t *doc;

	cr_assert(evidence_root(), "needs root");
	/* The last 'true' keeps sh from exec'ing the second loop in its own place. */
	snprintf(args, sizeof(args), "--json --func %s:busy_wait -- sh -c '%s spin 20 30 "
		 ">/dev/null; %s spin 20 20 >/dev/null; true'", TARGET, TARGET, TARGET);
	cr_assert_eq(run(args, &out), 0, "%s", out);
	doc = json_loads(out, 0, NULL);
	cr_assert_not_null(doc, "not JSON: %s", out);
	cr_assert_eq(jint(only_hist(doc), "count"), 50);
	cr_assert_eq(jint(doc, "descendants"), 2);
	json_decref(doc);
	free(out);
}
