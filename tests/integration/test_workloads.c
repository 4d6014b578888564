// SPDX-License-Identifier: GPL-2.0
/* The ping-pong and fork-exec workloads against BPF counters and /proc; helpers die with them. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "child_count.skel.h"
#include "integration.h"
#include "lib/autoload.h"
#include "support.h"
#include "syscall_count.skel.h"
#include "workload_run.h"
#include "workloads/workload.h"

/*
 * Whether pid runs: a zombie is dead (its fds, and the sockets that keep namespaces alive, are
 * closed); orphans' zombies wait for init, which reaps them when it will.
 */
static bool alive(pid_t pid)
{
	char path[64], buf[512], *p;
	FILE *f;
	bool yes;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	f = fopen(path, "r");
	if (!f)
		return false;
	p = fgets(buf, sizeof(buf), f) ? strrchr(buf, ')') : NULL;
	yes = p && p[1] == ' ' && p[2] != 'Z' && p[2] != 'X';
	fclose(f);
	return yes;
}

/* A line "Key:\tvalue" of /proc/PID/status, as a number. */
static long status_field(pid_t pid, const char *key)
{
	char cmd[128], *out;
	long v;

	snprintf(cmd, sizeof(cmd), "awk '/^%s:/ {print $2}' /proc/%d/status", key, pid);
	out = sh(cmd, NULL);
	v = strtol(out, NULL, 10);
	free(out);
	return v;
}

static char *status_text(pid_t pid, const char *key)
{
	char cmd[128], *out;

	snprintf(cmd, sizeof(cmd), "awk '/^%s:/ {print $2}' /proc/%d/status", key, pid);
	out = sh(cmd, NULL);
	out[strcspn(out, "\n")] = '\0';
	return out;
}

/* A BPF counter of one process's calls of one syscall (raw tracepoint sys_enter). */
static struct syscall_count_bpf *syscall_counter(pid_t tgid, long nr)
{
	struct syscall_count_bpf *skel = syscall_count_bpf__open();

	cr_assert_not_null(skel);
	autoload_only(skel->obj, skel->progs.on_raw_tracepoint);
	skel->rodata->target_tgid = tgid;
	skel->rodata->target_nr = nr;
	cr_assert_eq(syscall_count_bpf__load(skel), 0);
	cr_assert_eq(syscall_count_bpf__attach(skel), 0);
	return skel;
}

/*
 * N round trips: the helper writes exactly N times (a BPF counter of its write syscalls), and,
 * pinned to this process's CPU, is switched out at least N - 1 times (/proc status): the next
 * byte cannot come before this process has run.
 */
Test(workloads, pipe_pingpong_makes_exactly_n_round_trips)
{
	const long n = 5000;
	struct workload_opts o = { .ops = n, .cpu = first_cpu() };
	struct syscall_count_bpf *skel;
	struct workload_result r;
	long switches;
	struct wl x;
	pid_t helper;
	char *cpus;

	if (!evidence_root())
		cr_skip_test("needs root for the BPF counter");
	x = wl_setup("pipe-pingpong", &o);
	helper = x.w->pid(x.state);
	cr_assert_gt(helper, 0);
	cpus = status_text(helper, "Cpus_allowed_list");
	cr_assert_eq(atoi(cpus), o.cpu, "helper runs on '%s', not %d", cpus, o.cpu);
	cr_assert_eq(strspn(cpus, "0123456789"), strlen(cpus), "helper runs on '%s'", cpus);
	free(cpus);

	skel = syscall_counter(helper, SYS_write);
	switches = status_field(helper, "voluntary_ctxt_switches") +
		   status_field(helper, "nonvoluntary_ctxt_switches");
	skel->bss->armed = 1;
	r = wl_run(&x, &o);
	skel->bss->armed = 0;
	switches = status_field(helper, "voluntary_ctxt_switches") +
		   status_field(helper, "nonvoluntary_ctxt_switches") - switches;
	cr_assert_eq(r.ops, n);
	cr_assert_eq(skel->bss->hits, (__u64)n, "helper wrote %llu times",
		     (unsigned long long)skel->bss->hits);
	cr_assert_geq(switches, n - 1, "helper switched out %ld times", switches);

	/* And for a duration, with the same helper. */
	o = (struct workload_opts){ .seconds = 0.1, .cpu = -1 };
	r = wl_run(&x, &o);
	cr_assert_geq(r.seconds, 0.1);
	syscall_count_bpf__destroy(skel);
	wl_teardown(&x);
	cr_assert_not(alive(helper), "helper %d still runs", helper);
}

/*
 * N round trips over a veth pair: the helper sends exactly N datagrams (BPF counter of its
 * sendto calls); the pair is in no namespace of this process's (ip link), and this process
 * stays in its own network namespace.
 */
Test(workloads, udp_pingpong_round_trips_over_veth_in_private_namespaces)
{
	const long n = 2000;
	struct workload_opts o = { .ops = n, .cpu = -1 };
	struct syscall_count_bpf *skel;
	struct workload_result r;
	char *ns_before, *ns_after, *links;
	struct wl x;
	pid_t helper;

	if (!evidence_root())
		cr_skip_test("needs root for network namespaces");
	if (evidence_config("CONFIG_VETH") == 0) {
		expect_unsupported("udp-pingpong", &o, "create veth pair 'bpfgauge-a/bpfgauge-b' "
				   "(netlink) failed: EOPNOTSUPP; CONFIG_VETH is not set");
		return;
	}
	ns_before = sh("readlink /proc/self/ns/net", NULL);
	x = wl_setup("udp-pingpong", &o);
	ns_after = sh("readlink /proc/self/ns/net", NULL);
	cr_assert_str_eq(ns_after, ns_before, "setup left this process in another namespace");
	links = sh("ip -o link show", NULL);
	cr_assert_null(strstr(links, "bpfgauge-"), "a lab device is in this namespace: %s", links);
	helper = x.w->pid(x.state);
	cr_assert_gt(helper, 0);

	skel = syscall_counter(helper, SYS_sendto);
	skel->bss->armed = 1;
	r = wl_run(&x, &o);
	skel->bss->armed = 0;
	cr_assert_eq(r.ops, n);
	cr_assert_eq(skel->bss->hits, (__u64)n, "helper sent %llu datagrams",
		     (unsigned long long)skel->bss->hits);

	o = (struct workload_opts){ .seconds = 0.1, .cpu = first_cpu() };
	r = wl_run(&x, &o);
	cr_assert_geq(r.seconds, 0.1);
	syscall_count_bpf__destroy(skel);
	wl_teardown(&x);
	cr_assert_not(alive(helper), "helper %d still runs", helper);
	free(links);
	free(ns_before);
	free(ns_after);
}

/* N operations: exactly N forks of this process and N execs of true-static in its children. */
Test(workloads, fork_exec_execs_exactly_n_times)
{
	const long n = 200;
	struct workload_opts o = { .ops = n, .cpu = first_cpu() };
	struct child_count_bpf *skel;
	struct workload_result r;
	const char *base;
	struct wl x;

	if (!evidence_root())
		cr_skip_test("needs root for the BPF counter");
	cr_assert_eq(workload_find("fork-exec")->pid(NULL), 0);
	x = wl_setup("fork-exec", &o);
	skel = child_count_bpf__open();
	cr_assert_not_null(skel);
	skel->rodata->parent_tgid = getpid();
	cr_assert_eq(child_count_bpf__load(skel), 0);
	cr_assert_eq(child_count_bpf__attach(skel), 0);
	skel->bss->armed = 1;
	r = wl_run(&x, &o);
	skel->bss->armed = 0;
	cr_assert_eq(r.ops, n);
	cr_assert_eq(skel->bss->forks, (__u64)n, "%llu forks",
		     (unsigned long long)skel->bss->forks);
	cr_assert_eq(skel->bss->execs, (__u64)n, "%llu execs",
		     (unsigned long long)skel->bss->execs);
	base = strrchr(skel->bss->last_exec, '/');
	cr_assert_not_null(base, "exec'd '%s'", skel->bss->last_exec);
	cr_assert_str_eq(base, "/true-static");

	o = (struct workload_opts){ .seconds = 0.1, .cpu = -1 };
	r = wl_run(&x, &o);
	cr_assert_geq(r.seconds, 0.1);
	child_count_bpf__destroy(skel);
	wl_teardown(&x);
}

/*
 * Helpers die with a killed process (PR_SET_PDEATHSIG): a process sets up both ping-pongs,
 * reports its helpers and is killed; the helpers are dead soon after.
 */
Test(workloads, helpers_die_with_a_killed_process)
{
	const char *names[] = { "pipe-pingpong", "udp-pingpong" };
	int fds[2];
	pid_t pid, helpers[2];

	if (!evidence_root())
		cr_skip_test("needs root for network namespaces");
	cr_assert_eq(pipe(fds), 0);
	pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		struct workload_opts o = { .seconds = 0.01, .cpu = -1 };

		for (int i = 0; i < 2; i++) {
			const struct workload *w = workload_find(names[i]);
			char why[256];
			void *st;

			helpers[i] = w->setup(&o, &st, why, sizeof(why)) ? -1 : w->pid(st);
		}
		if (write(fds[1], helpers, sizeof(helpers)) != sizeof(helpers))
			_exit(1);
		pause();
		_exit(0);
	}
	close(fds[1]);
	cr_assert_eq(read(fds[0], helpers, sizeof(helpers)), (ssize_t)sizeof(helpers));
	close(fds[0]);
	for (int i = 0; i < 2; i++)
		cr_assert_gt(helpers[i], 0, "%s did not start", names[i]);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	for (int i = 0; i < 2; i++) {
		int tries = 0;

		while (alive(helpers[i]) && tries++ < 200)
			usleep(10000);
		cr_assert_not(alive(helpers[i]), "%s's helper %d outlived its process", names[i],
			      helpers[i]);
	}
}
