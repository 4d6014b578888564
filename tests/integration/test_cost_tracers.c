// SPDX-License-Identifier: GPL-2.0
/*
 * 'bpfgauge cost' with tracers of other shapes: a BPF object it loads itself (--object), a
 * tracer that daemonizes, tracers started once for all traced runs (bracketed) and one that
 * needs tracefs where it is not mounted; each leaves nothing behind.
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cost_tests.h"
#include "integration.h"
#include "support.h"

/* Whether the stale test's daemon runs with its probe attached. */
static bool stale_daemon_attached(void)
{
	char *out = sh("p=$(pgrep -f '^bpftrace .*cost-test-tracer-[s]tale') && "
		       "ls -l /proc/$p/fd 2>/dev/null | grep -c perf_event",
		       NULL);
	bool yes = atoi(out) > 0;

	free(out);
	return yes;
}

/*
 * bpfgauge killed with SIGKILL while a tracer that daemonized runs: nothing of bpfgauge's
 * can stop it then (its first process is gone, the daemon is not bpfgauge's child), so the
 * next 'cost' kills it with the killed run's cgroup, and removes its work directory.
 */
Test(cost, daemon_of_a_killed_run_is_killed_by_the_next, .init = cost_state_save,
     .fini = cost_state_check, .timeout = 120)
{
	char cmd[512], *out;
	int status, i;
	pid_t pid;

	cr_assert(evidence_root(), "needs root");
	if (!installed("bpftrace"))
		cr_skip_test("bpftrace is not installed ('make deps' installs it)");
	pid = fork();
	if (pid == 0) {
		freopen("/dev/null", "w", stdout);
		freopen("/dev/null", "w", stderr);
		execl(bpfgauge_bin(), "bpfgauge", "cost", "--bracket", "--reps", "20", "--seconds",
		      "0.2", "--workloads", "syscall", "--", "setsid", "-f", "bpftrace", "-e",
		      "tracepoint:syscalls:sys_enter_getppid { @ = count(); } "
		      "/* cost-test-tracer-stale */",
		      (char *)NULL);
		_exit(127);
	}
	/* Past the check start (stopped 0.5 s after it attached), into the bracketed runs. */
	for (i = 0; i < 600 && !stale_daemon_attached(); i++)
		nanosleep(&(struct timespec){.tv_nsec = 50 * 1000 * 1000}, NULL);
	nanosleep(&(struct timespec){.tv_sec = 1}, NULL);
	for (i = 0; i < 600 && !stale_daemon_attached(); i++)
		nanosleep(&(struct timespec){.tv_nsec = 50 * 1000 * 1000}, NULL);
	cr_assert(stale_daemon_attached(), "the tracer never ran");
	kill(pid, SIGKILL);
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	cr_assert(stale_daemon_attached(), "the daemon did not outlive bpfgauge");
	snprintf(cmd, sizeof(cmd), "%s cost -- no-such-tracer-xyz 2>&1", bpfgauge_bin());
	out = sh(cmd, NULL);
	cr_assert(strstr(out, "removed stale cgroup"), "%s", out);
	free(out);
	out = sh("pgrep -c -f '^bpftrace .*cost-test-tracer-[s]tale' || true", NULL);
	cr_assert_str_eq(out, "0\n", "the daemon still runs");
	free(out);
	/* And the killed run's work directory. */
	snprintf(cmd, sizeof(cmd), "ls -d /tmp/bpfgauge-cost-%d-* 2>/dev/null | wc -l", (int)pid);
	out = sh(cmd, NULL);
	cr_assert_str_eq(out, "0\n", "the killed run's work directory is left");
	free(out);
}

/* An object the project built, beside the binary: its path. */
static void built_object(const char *name, char *path, size_t sz)
{
	snprintf(path, sz, "%s", bpfgauge_bin());
	snprintf(strrchr(path, '/') + 1, sz - (strrchr(path, '/') + 1 - path), "%s", name);
}

/* --object: both programs of an object (raw_tp sys_enter, sys_exit) loaded, attached, each
 * attributed at least once per getppid. */
Test(cost, object_programs_are_each_attributed, .init = cost_state_save, .fini = cost_state_check,
     .timeout = 120)
{
	char path[512], args[600];
	json_t *doc, *w, *progs;

	cr_assert(evidence_root(), "needs root");
	built_object("empty.bpf.o", path, sizeof(path));
	snprintf(args, sizeof(args), COST_QUICK " --object %s", path);
	doc = cost_json_run(args);
	cr_assert_str_eq(
		json_string_value(json_object_get(json_object_get(doc, "tracer"), "object")), path);
	w = cost_workload(doc, "syscall");
	progs = json_object_get(w, "programs");
	cr_assert_eq(json_array_size(progs), 2, "%s", json_dumps(progs, 0));
	cr_assert_str_eq(
		json_string_value(json_object_get(cost_program(progs, "enter_raw"), "hook")),
		"raw_tp sys_enter");
	cr_assert_str_eq(
		json_string_value(json_object_get(cost_program(progs, "exit_raw"), "hook")),
		"raw_tp sys_exit");
	cr_assert_geq(cost_runs_per_op(w, "enter_raw"), 0.99);
	cr_assert_geq(cost_runs_per_op(w, "exit_raw"), 0.99);
	json_decref(doc);
}

/* An object that cannot be measured: one line, exit 2. */
Test(cost, object_refusals_exit_2_with_one_line, .init = cost_state_save, .fini = cost_state_check,
     .timeout = 60)
{
	char xdp[512], cmd[1024], *out;
	const struct {
		const char *object, *want;
	} cases[] = {
		{"/no/such.bpf.o", "cannot read the object '/no/such.bpf.o'"},
		{"/etc/passwd", "cannot open '/etc/passwd' as a BPF object: BPF object format"},
		/* SEC("xdp") names no interface: libbpf cannot attach it by its name. */
		{xdp, "the object: none of the programs of"},
	};
	int code;

	cr_assert(evidence_root(), "needs root");
	built_object("xdp_count.bpf.o", xdp, sizeof(xdp));
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(cmd, sizeof(cmd), "%s cost " COST_QUICK " --object %s 2>&1",
			 bpfgauge_bin(), cases[i].object);
		out = sh(cmd, &code);
		cr_assert_eq(code, 2, "%s: exit %d: %s", cases[i].object, code, out);
		cr_assert(strstr(out, cases[i].want), "want '%s': %s", cases[i].want, out);
		cr_assert_eq(strchr(out, '\n'), out + strlen(out) - 1, "not one line: %s", out);
		free(out);
	}
}

/* A tracer whose first process exits once it has started the real one (setsid -f) is
 * measured through its cgroup and stopped with it. */
Test(cost, daemonizing_tracer_is_measured, .init = cost_state_save, .fini = cost_state_check,
     .timeout = 120)
{
	json_t *doc, *p;

	cr_assert(evidence_root(), "needs root");
	if (!installed("bpftrace"))
		cr_skip_test("bpftrace is not installed ('make deps' installs it)");
	doc = cost_json_run(COST_QUICK " -- setsid -f bpftrace -e "
				       "'tracepoint:syscalls:sys_enter_getppid { @ = count(); } "
				       "/* cost-test-tracer */'");
	p = cost_program(json_object_get(cost_workload(doc, "syscall"), "programs"),
			 "sys_enter_getpp");
	cr_assert(cost_num(p, "runs_per_op") > 0.99 && cost_num(p, "runs_per_op") < 1.01,
		  "runs per getppid %f", cost_num(p, "runs_per_op"));
	json_decref(doc);
}

/*
 * bpftrace finds tracepoints by name in tracefs, which a machine without systemd may not have
 * mounted: cost mounts it, saying so, as the checks do. Here in a mount namespace of the
 * test's own, tracefs unmounted there: the tracer runs and its program counts every getppid.
 */
Test(cost, tracefs_is_mounted_for_the_tracer, .init = cost_state_save, .fini = cost_state_check,
     .timeout = 120)
{
	char dir[] = "/tmp/bpfgauge-cost-tracefs-XXXXXX", cmd[1024], *out, *err;
	json_t *doc;
	int code;

	cr_assert(evidence_root(), "needs root");
	if (!installed("bpftrace"))
		cr_skip_test("bpftrace is not installed ('make deps' installs it)");
	cr_assert_eq(unshare(CLONE_NEWNS), 0, "unshare(CLONE_NEWNS): %m");
	/* Nothing done here may reach the machine's mounts. In a chroot (make fresh-check's
	 * root) "/" is no mount point: /sys, bound there, is. */
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL))
		cr_assert_eq(mount(NULL, "/sys", NULL, MS_REC | MS_PRIVATE, NULL), 0,
			     "make / and /sys private: %m");
	while (!umount2("/sys/kernel/tracing", MNT_DETACH))
		;
	cr_assert_eq(access("/sys/kernel/tracing/events", F_OK), -1, "tracefs still mounted");
	test_dir_make(dir);
	snprintf(cmd, sizeof(cmd), "%s cost --json " COST_QUICK " -- bpftrace -e "
		 "'tracepoint:syscalls:sys_enter_getppid { @ = count(); }' 2>%s/err",
		 bpfgauge_bin(), dir);
	out = sh(cmd, &code);
	snprintf(cmd, sizeof(cmd), "cat %s/err", dir);
	err = sh(cmd, NULL);
	test_dir_remove(dir);
	cr_assert_eq(code, 0, "exit %d: %s", code, err);
	cr_assert(strstr(err, "mounted tracefs at /sys/kernel/tracing"), "stderr: %s", err);
	doc = json_loads(out, 0, NULL);
	cr_assert_not_null(doc, "not JSON: %s", out);
	free(out);
	free(err);
	cr_assert_geq(cost_runs_per_op(cost_workload(doc, "syscall"), "sys_enter_getpp"), 0.99);
	json_decref(doc);
}

/*
 * Bracketed: the tracer started once for every traced run (and once before, to check it),
 * between untraced runs before and after, whose drift is said; chosen with --bracket, or by
 * itself for a tracer slow to be ready (here: 5 s asleep before it starts).
 */
static void bracketed_run(const char *opt, const char *delay)
{
	char dir[] = "/tmp/bpfgauge-cost-bracket-XXXXXX", args[1024], *starts;
	json_t *doc, *w;

	cr_assert(evidence_root(), "needs root");
	test_dir_make(dir);
	snprintf(args, sizeof(args),
		 "--reps 2 --seconds 0.1 --workloads syscall %s -- sh -c 'echo >> %s/starts; "
		 "sleep %s; exec %s trace syscall-latency -d 600'",
		 opt, dir, delay, bpfgauge_bin());
	doc = cost_json_run(args);
	snprintf(args, sizeof(args), "wc -l < %s/starts", dir);
	starts = sh(args, NULL);
	test_dir_remove(dir);
	/* Interleaved, it would have started 1 + 2 x 3 times. */
	cr_assert_str_eq(starts, "2\n", "started %s times", starts);
	free(starts);
	cr_assert_str_eq(json_string_value(json_object_get(doc, "method")), "bracketed");
	w = cost_workload(doc, "syscall");
	cr_assert(json_is_real(json_object_get(w, "drift_pct")), "%s", json_dumps(w, 0));
	cr_assert_geq(cost_runs_per_op(w, "enter_btf"), 0.99);
	json_decref(doc);
}

Test(cost, bracket_starts_the_tracer_once, .init = cost_state_save, .fini = cost_state_check,
     .timeout = 120)
{
	bracketed_run("--bracket", "0");
}

Test(cost, slow_tracer_is_bracketed, .init = cost_state_save, .fini = cost_state_check,
     .timeout = 120)
{
	bracketed_run("", "5");
}
