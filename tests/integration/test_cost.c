// SPDX-License-Identifier: GPL-2.0
/*
 * 'bpfgauge cost -- TRACER': a real tracer's programs are found and attributed (run counts
 * against the operations the workload made), a tracer that cannot be measured is refused in
 * one line with exit 2, and nothing of the tracer outlives the run: no process, no cgroup,
 * no program, the kernel's run-time stats off.
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

#include "cost_tests.h"
#include "integration.h"
#include "support.h"

/*
 * bpftrace's one program on getppid's tracepoint runs once per operation of the syscall
 * workload (a program's run count counts every process's calls: on getppid, which nothing
 * else here makes at that rate, the workload's alone), and on every syscall, pipe-pingpong's
 * four per operation at least.
 */
Test(cost, bpftrace_one_liner_is_attributed, .init = cost_state_save, .fini = cost_state_check,
     .timeout = 120)
{
	json_t *doc, *w, *progs, *p;

	cr_assert(evidence_root(), "needs root");
	if (!installed("bpftrace"))
		cr_skip_test("bpftrace is not installed ('make deps' installs it)");
	doc = cost_json_run(
		"--reps 2 --seconds 0.2 --workloads syscall,pipe-pingpong -- bpftrace -e "
		"'tracepoint:syscalls:sys_enter_getppid { @[comm] = count(); } "
		"tracepoint:raw_syscalls:sys_enter { @n = count(); }'");
	w = cost_workload(doc, "syscall");
	progs = json_object_get(w, "programs");
	cr_assert_eq(json_array_size(progs), 2, "%s", json_dumps(progs, 0));
	p = cost_program(progs, "sys_enter_getpp"); /* names keep 15 characters */
	cr_assert_str_eq(json_string_value(json_object_get(p, "type")), "tracepoint");
	cr_assert(cost_num(p, "runs_per_op") > 0.99 && cost_num(p, "runs_per_op") < 1.01,
		  "runs per getppid %f", cost_num(p, "runs_per_op"));
	/* Attached through a perf event: named by the event (BPF_TASK_FD_QUERY). */
	cr_assert_str_eq(json_string_value(json_object_get(p, "hook")),
			 "tracepoint sys_enter_getppid");
	cr_assert_geq(cost_runs_per_op(w, "sys_enter"), 0.99);
	/* A program on every syscall roughly doubles a getppid: no noise hides that. */
	cr_assert_gt(cost_num(json_object_get(w, "slowdown_pct"), "median"), 0);
	cr_assert_gt(cost_num(w, "progs_ns_per_op"), 0);
	/* pipe-pingpong pays too: four syscalls an operation. */
	w = cost_workload(doc, "pipe-pingpong");
	cr_assert_gt(cost_runs_per_op(w, "sys_enter"), 3.9);
	json_decref(doc);
}

/* The project's own tool as someone else's tracer: each of its programs is accounted for. */
Test(cost, own_tool_programs_are_each_attributed, .init = cost_state_save, .fini = cost_state_check,
     .timeout = 120)
{
	char args[512];
	json_t *doc, *p;
	size_t i, on_syscalls = 0;

	cr_assert(evidence_root(), "needs root");
	snprintf(args, sizeof(args), COST_QUICK " -- %s trace syscall-latency -d 600",
		 bpfgauge_bin());
	doc = cost_json_run(args);
	json_array_foreach(json_object_get(cost_workload(doc, "syscall"), "programs"), i, p)
	{
		const char *name = json_string_value(json_object_get(p, "name"));

		/*
		 * enter and exit at least once per getppid (they run for every process's
		 * syscalls, so a busy machine adds runs); sched_switch rarely.
		 */
		if (strstr(name, "enter") || strstr(name, "exit")) {
			on_syscalls++;
			cr_assert_geq(cost_num(p, "runs_per_op"), 0.99, "%s: %f runs per getppid",
				      name, cost_num(p, "runs_per_op"));
		}
	}
	cr_assert_eq(on_syscalls, 2, "%s", json_dumps(doc, 0));
	json_decref(doc);
}

/* One line and exit 2 for each tracer that cannot be measured, and nothing left. */
Test(cost, unmeasurable_tracers_exit_2_with_one_line, .init = cost_state_save,
     .fini = cost_state_check, .timeout = 120)
{
	static const struct {
		const char *tracer, *want;
	} cases[] = {
		{"no-such-tracer-xyz", "cannot run 'no-such-tracer-xyz': no such program in PATH"},
		{"true", "the tracer exited with status 0"},
		{"sh -c 'echo cost-test-tracer broke >&2; exit 3'",
		 "exited with status 3: cost-test-tracer broke"},
		{"sh -c 'sleep 60; : cost-test-tracer'", "held no BPF program at all after 1 s"},
	};
	char cmd[1024], *out;
	int code;

	cr_assert(evidence_root(), "needs root");
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(cmd, sizeof(cmd), "%s cost " COST_QUICK " --ready-timeout 1 -- %s 2>&1",
			 bpfgauge_bin(), cases[i].tracer);
		out = sh(cmd, &code);
		cr_assert_eq(code, 2, "%s: exit %d: %s", cases[i].tracer, code, out);
		cr_assert(strstr(out, cases[i].want), "%s: want '%s': %s", cases[i].tracer,
			  cases[i].want, out);
		cr_assert_eq(strchr(out, '\n'), out + strlen(out) - 1, "not one line: %s", out);
		free(out);
	}
	snprintf(cmd, sizeof(cmd), "%s cost --budget -1 -- true 2>&1", bpfgauge_bin());
	out = sh(cmd, &code);
	cr_assert_eq(code, 2, "%s", out);
	free(out);
}

/* SIGINT in the middle of a run: exit 130, the tracer stopped, its cgroup gone, stats off. */
Test(cost, interrupted_run_leaves_nothing, .init = cost_state_save, .fini = cost_state_check,
     .timeout = 120)
{
	char tracer[512];
	int status;
	pid_t pid;

	cr_assert(evidence_root(), "needs root");
	snprintf(tracer, sizeof(tracer), "%s trace syscall-latency -d 600", bpfgauge_bin());
	pid = fork();
	if (pid == 0) {
		freopen("/dev/null", "w", stdout);
		freopen("/dev/null", "w", stderr);
		execl(bpfgauge_bin(), "bpfgauge", "cost", "--reps", "20", "--seconds", "0.2",
		      "--workloads", "syscall", "--", "sh", "-c", tracer, (char *)NULL);
		_exit(127);
	}
	/* Well into the loop: the check run and a few repetitions take about that. */
	nanosleep(&(struct timespec){.tv_sec = 4}, NULL);
	kill(pid, SIGINT);
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 130, "status %d", status);
}

/* --budget: exit 1 when a workload's median slowdown is above it, 0 when none is. */
Test(cost, budget_is_the_exit_code, .init = cost_state_save, .fini = cost_state_check,
     .timeout = 120)
{
	char cmd[1024], *out;
	int code;

	cr_assert(evidence_root(), "needs root");
	/* syscall-latency on every getppid: tens of percent, far above 0.01%, below 1000%. */
	snprintf(cmd, sizeof(cmd),
		 "%s cost " COST_QUICK " --budget 0.01 -- %s trace syscall-latency "
		 "-d 600 2>&1",
		 bpfgauge_bin(), bpfgauge_bin());
	out = sh(cmd, &code);
	cr_assert_eq(code, 1, "%s", out);
	cr_assert(strstr(out, "OVER BUDGET") && strstr(out, "1 workload(s) over it"), "%s", out);
	free(out);
	snprintf(cmd, sizeof(cmd),
		 "%s cost " COST_QUICK " --budget 1000 -- %s trace syscall-latency "
		 "-d 600 2>&1",
		 bpfgauge_bin(), bpfgauge_bin());
	out = sh(cmd, &code);
	cr_assert_eq(code, 0, "%s", out);
	free(out);
}

/* A tracer killed in the middle of a measured run: exit 2 saying so, nothing left. */
Test(cost, tracer_crash_mid_run_exits_2, .init = cost_state_save, .fini = cost_state_check,
     .timeout = 120)
{
	char cmd[1024], *out;
	int code;

	cr_assert(evidence_root(), "needs root");
	/*
	 * Ready 0.2 s after its programs appear; killed 1 s after they are attached, however
	 * long they took to load: inside the 3 s workload run that follows (the check run
	 * before the loop stops it at ready).
	 */
	snprintf(cmd, sizeof(cmd),
		 "%s cost --reps 1 --seconds 3 --ready-after 0.2 --workloads syscall -- sh -c "
		 "'%s trace syscall-latency -d 600 & "
		 "until ls -l /proc/$!/fd | grep -q bpf_link; do sleep 0.05; done; "
		 "sleep 1; kill -9 $!; wait; : cost-test-tracer' 2>&1",
		 bpfgauge_bin(), bpfgauge_bin());
	out = sh(cmd, &code);
	cr_assert_eq(code, 2, "%s", out);
	cr_assert(strstr(out, "the tracer exited during the run"), "%s", out);
	free(out);
}

/* -o: a result compare reads, a sample a repetition; an existing file refused before the run. */
Test(cost, result_file_for_compare, .init = cost_state_save, .fini = cost_state_check,
     .timeout = 120)
{
	char dir[] = "/tmp/bpfgauge-cost-result-XXXXXX", cmd[1024], *out;
	json_t *doc, *m;
	size_t i, n = 0;
	int code;

	cr_assert(evidence_root(), "needs root");
	test_dir_make(dir);
	snprintf(cmd, sizeof(cmd),
		 "%s cost --reps 2 --seconds 0.1 --workloads syscall -o %s/r.json "
		 "-- %s trace syscall-latency -d 600 >/dev/null 2>&1 && %s compare %s/r.json "
		 "%s/r.json >/dev/null 2>&1; echo $?",
		 bpfgauge_bin(), dir, bpfgauge_bin(), bpfgauge_bin(), dir, dir);
	out = sh(cmd, NULL);
	cr_assert_str_eq(out, "0\n", "cost -o or compare failed");
	free(out);
	doc = test_json_load(dir, "r.json");
	json_array_foreach(
		json_object_get(doc, "metrics"), i,
		m) if (!strncmp(json_string_value(json_object_get(m, "name")), "cost/syscall/", 13))
	{
		cr_assert_eq(json_array_size(json_object_get(m, "samples")), 2, "%s",
			     json_string_value(json_object_get(m, "name")));
		n++;
	}
	cr_assert_eq(n, 4);
	json_decref(doc);
	snprintf(cmd, sizeof(cmd), "%s cost -o %s/r.json -- no-such-tracer-xyz 2>&1",
		 bpfgauge_bin(), dir);
	out = sh(cmd, &code);
	test_dir_remove(dir);
	cr_assert_eq(code, 2);
	cr_assert(strstr(out, "r.json': it exists (files are never overwritten)"), "%s", out);
	free(out);
}
