// SPDX-License-Identifier: GPL-2.0
/*
 * 'trace -- COMMAND' and 'trace -p PID' follow the whole process tree, start the command as
 * a shell would and leave nothing of it behind. The workload is syscall_loop, which makes
 * exactly the getppid calls it is told to; -c syscall_loop leaves out the shells' own.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "integration.h"
#include "support.h"

#define LOOP "build/tests/syscall_loop"

static void sleep_ms(long ms)
{
	nanosleep(&(struct timespec){ ms / 1000, (ms % 1000) * 1000000L }, NULL);
}

static json_t *trace_json(const char *args)
{
	char cmd[2048];

	snprintf(cmd, sizeof(cmd), "trace syscall-latency --by-syscall --json %s", args);
	return bpfgauge_json_ok(cmd);
}

/* The count of the histogram labelled label; 0 when there is none. */
static long long count_of(json_t *doc, const char *label)
{
	json_t *h;
	size_t i;

	json_array_foreach(json_object_get(doc, "histograms"), i, h)
		if (!strcmp(json_string_value(json_object_get(h, "label")), label))
			return json_integer_value(json_object_get(h, "count"));
	return 0;
}

/* A child, children in the background and a double fork (waited for through a file). */
Test(trace_tree, counts_every_process_a_script_forks)
{
	char dir[] = "/tmp/bpfgauge-tree-XXXXXX", args[1024];
	json_t *doc;

	cr_assert(evidence_root(), "needs root");
	test_dir_make(dir);
	snprintf(args, sizeof(args), "-c syscall_loop -- sh -c '" LOOP " getppid 1000; "
		 LOOP " getppid 2000 & " LOOP " getppid 3000 & wait; "
		 "(sh -c \"" LOOP " getppid 500; touch %s/done\" &); "
		 "while [ ! -e %s/done ]; do sleep 0.02; done'", dir, dir);
	doc = trace_json(args);
	test_dir_remove(dir);
	cr_assert_eq(count_of(doc, "getppid"), 6500);
	/* Three loops, the subshell, its sh and the double-forked loop; sleeps beside. */
	cr_assert_geq(json_integer_value(json_object_get(doc, "descendants")), 6);
	cr_assert_eq(json_integer_value(json_object_get(doc, "descendants_lost")), 0);
	cr_assert(strstr(json_string_value(json_object_get(doc, "scope")), " descendants"));
	json_decref(doc);
}

/* bpfgauge looks the command up in PATH itself: the command's one exec is the only one. */
Test(trace_tree, counts_one_execve_for_one_exec)
{
	char *before = strdup(getenv("PATH")), cwd[512], path[4096];
	json_t *doc;

	cr_assert(evidence_root(), "needs root");
	cr_assert_not_null(getcwd(cwd, sizeof(cwd)));
	/* Three directories to try before the one that holds it. */
	snprintf(path, sizeof(path), "/nonexistent-a:/nonexistent-b:/nonexistent-c:"
		 "%s/build/tests:%s", cwd, before);
	setenv("PATH", path, 1);
	doc = trace_json("-- syscall_loop getppid 7");
	setenv("PATH", before, 1);
	free(before);
	cr_assert_eq(count_of(doc, "execve"), 1);
	cr_assert_eq(count_of(doc, "getppid"), 7);
	json_decref(doc);
}

/* Nothing ignored, nothing blocked: 'yes | head -1' ends quietly as it does from a shell. */
Test(trace_tree, command_starts_with_default_signals)
{
	char cmd[512], *out;
	int code;

	cr_assert(evidence_root(), "needs root");
	snprintf(cmd, sizeof(cmd), "%s trace syscall-latency -- sh -c 'yes | head -1 >/dev/null; "
		 "grep -E \"^Sig(Ign|Blk)\" /proc/self/status >&2' 2>&1 >/dev/null",
		 bpfgauge_bin());
	out = sh(cmd, &code);
	cr_assert_eq(code, 0, "%s", out);
	cr_assert_str_eq(out, "SigBlk:\t0000000000000000\nSigIgn:\t0000000000000000\n");
	free(out);
}

/* The pids of the processes named comm whose parent chain reaches pid. */
static int pids_below(pid_t pid, const char *comm, pid_t *out, int max)
{
	char cmd[512], *list, *p, *end;
	int n = 0;

	/* ps's own tree walk is independent of bpfgauge's /proc reading. */
	snprintf(cmd, sizeof(cmd), "ps -e -o pid=,ppid=,comm= | awk -v root=%d -v want=%s "
		 "'{ par[$1] = $2; name[$1] = $3 } END { for (p in par) { q = p; "
		 "while (q in par && q != root) q = par[q]; if (q == root && p != root && "
		 "name[p] == want) print p } }'", (int)pid, comm);
	list = sh(cmd, NULL);
	for (p = list; n < max; p = end) {
		long v = strtol(p, &end, 10);

		if (end == p)
			break;
		out[n++] = v;
	}
	free(list);
	return n;
}

/* SIGTERM to bpfgauge alone (a CI script stopping it) ends the command's tree, orphans too. */
Test(trace_tree, sigterm_to_bpfgauge_alone_ends_the_tree)
{
	pid_t pid, sleeps[8];
	int n = 0, status;

	cr_assert(evidence_root(), "needs root");
	pid = fork();
	if (pid == 0) {
		setpgid(0, 0);	/* a signal to bpfgauge reaches no one else */
		freopen("/dev/null", "w", stdout);
		execl(bpfgauge_bin(), "bpfgauge", "trace", "syscall-latency", "--", "sh", "-c",
		      "(sleep 300 &); sleep 301 & sleep 302", (char *)NULL);
		_exit(127);
	}
	for (int i = 0; i < 500 && n < 3; i++) {
		sleep_ms(20);
		n = pids_below(pid, "sleep", sleeps, 8);
	}
	cr_assert_eq(n, 3, "the command's three sleeps did not start");
	kill(pid, SIGTERM);
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0, "status %d", status);
	for (int i = 0; i < n; i++)
		cr_assert(kill(sleeps[i], 0) && errno == ESRCH, "sleep %d still there",
			  (int)sleeps[i]);
}

/*
 * -p: a descendant alive at the start (the inner sh) and one forked later (by the outer
 * sh) are both traced; the workload waits for a file made once tracing runs.
 */
Test(trace_tree, pid_follows_descendants_old_and_new)
{
	char dir[] = "/tmp/bpfgauge-tree-XXXXXX", script[1024], path[600], out[16384];
	int fds[2], status;
	pid_t work, tracer;
	ssize_t len = 0, n;

	cr_assert(evidence_root(), "needs root");
	test_dir_make(dir);
	snprintf(script, sizeof(script), "w() { while [ ! -e %s/go ]; do sleep 0.02; done; }; "
		 "sh -c \"while [ ! -e %s/go ]; do sleep 0.02; done; " LOOP " getppid 700\" & "
		 "w; " LOOP " getppid 300; wait; touch %s/done", dir, dir, dir);
	work = fork();
	if (work == 0) {
		execl("/bin/sh", "sh", "-c", script, (char *)NULL);
		_exit(127);
	}
	out[0] = '\0';
	cr_assert_eq(pipe(fds), 0);
	tracer = fork();
	if (tracer == 0) {
		char p[16];

		dup2(fds[1], 1);
		dup2(fds[1], 2);	/* "Tracing ..." tells that it runs */
		close(fds[0]);
		snprintf(p, sizeof(p), "%d", (int)work);
		execl(bpfgauge_bin(), "bpfgauge", "trace", "syscall-latency", "--by-syscall",
		      "-c", "syscall_loop", "-p", p, (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	while (!strstr(out, "Tracing") && (n = read(fds[0], out + len, 200)) > 0) {
		len += n;
		out[len] = '\0';
	}
	test_file_write(dir, "go", "");
	snprintf(path, sizeof(path), "%s/done", dir);
	for (int i = 0; i < 3000 && access(path, F_OK); i++)
		sleep_ms(20);
	kill(tracer, SIGINT);
	while ((n = read(fds[0], out + len, sizeof(out) - 1 - len)) > 0)
		len += n;
	out[len] = '\0';
	close(fds[0]);
	waitpid(tracer, &status, 0);
	waitpid(work, NULL, 0);
	test_dir_remove(dir);
	cr_assert(strstr(out, "getppid: 1000 events"), "%s", out);
	cr_assert(strstr(out, " descendant"), "%s", out);
}
