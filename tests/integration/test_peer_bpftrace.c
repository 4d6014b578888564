// SPDX-License-Identifier: GPL-2.0
/*
 * peer-bpftrace through its descriptor: the shape of its metrics (names, units, samples,
 * statuses and reasons; never their size), skipped exactly when the shell finds no
 * bpftrace, and no bpftrace left running: neither after a run nor when the process that
 * started it is killed.
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench/benchmark.h"
#include "bench/bpftrace.h"
#include "integration.h"
#include "lib/libbpf_log.h"
#include "result/metric.h"
#include "support.h"

#define BENCH "peer-bpftrace"

static const char *const variants[] = { "count", "hist" };
static const char *const measures[] = { "bpftrace_ns_per_event", "ours_ns_per_event",
					"floor_ns_per_event" };

static bool evidence_bpftrace(void)
{
	int st;
	char *out = sh("command -v bpftrace", &st);

	free(out);
	return st == 0;
}

/* Children of this process named bpftrace, one pid per line. */
static char *bpftrace_children(void)
{
	char cmd[64];

	snprintf(cmd, sizeof(cmd), "pgrep -P %d -x bpftrace", (int)getpid());
	return sh(cmd, NULL);
}

Test(peer_bpftrace, every_variant_has_its_metrics, .timeout = 300)
{
	struct bench_params p = { .reps = 2, .seconds = 0.2, .cpu = -1 };
	struct bench_ctx c = {};
	struct metric_set set = {};
	bool have = evidence_bpftrace();
	struct metric *m;
	char name[128], *left;
	int err;

	if (!evidence_root())
		cr_skip_test("needs root");
	libbpf_log_setup(false);
	c.metrics = &set;
	err = benchmark_find(BENCH)->run(&p, &c);
	cr_assert_eq(err, 0, "run: %s", strerror(-err));

	m = metric_find(&set, BENCH "/syscall/untraced_ops_per_s");
	cr_assert_not_null(m);
	cr_assert_str_eq(m->unit, "ops/s");
	cr_assert_eq(m->better, BETTER_HIGHER);
	for (size_t v = 0; v < 2; v++) {
		for (size_t i = 0; i < 3; i++) {
			snprintf(name, sizeof(name), BENCH "/%s/%s", variants[v], measures[i]);
			m = metric_find(&set, name);
			cr_assert_not_null(m, "no metric '%s'", name);
			cr_assert_str_eq(m->unit, "ns", "%s", name);
			cr_assert_eq(m->better, BETTER_LOWER, "%s", name);
		}
	}
	cr_assert_eq(set.n, 1 + 2 * 3);
	for (size_t i = 0; i < set.n; i++) {
		m = set.m[i];
		if (!have) {
			cr_assert_str_eq(m->status, "skipped", "%s", m->name);
			cr_assert_str_eq(m->reason, "bpftrace is not installed", "%s", m->name);
			cr_assert_eq(m->n, 0, "%s", m->name);
			continue;
		}
		cr_assert_str_eq(m->status, "ok", "%s: %s", m->name, m->reason);
		cr_assert_eq(m->n, 2, "%s", m->name);
	}
	metric_set_release(&set);

	left = bpftrace_children();
	cr_assert_str_empty(left, "bpftrace still running: %s", left);
	free(left);
	snprintf(name, sizeof(name), "grep -hE '^(prog_id|link_id):' /proc/%d/fdinfo/* 2>/dev/null",
		 (int)getpid());
	left = sh(name, NULL);
	cr_assert_str_empty(left, "held after the run:\n%s", left);
	free(left);
}

Test(peer_bpftrace, runs_only_the_variants_asked_for, .timeout = 120)
{
	struct bench_params p = { .reps = 1, .seconds = 0.05, .cpu = -1,
				  .variants = { "count" }, .nr_variants = 1 };
	struct metric_set set = {};

	if (!evidence_root())
		cr_skip_test("needs root");
	libbpf_log_setup(false);
	bench_run_ok(BENCH, &p, &set);
	cr_assert_eq(set.n, 4);
	cr_assert_null(metric_find(&set, BENCH "/hist/ours_ns_per_event"));
	cr_assert_not_null(metric_find(&set, BENCH "/count/ours_ns_per_event"));
	metric_set_release(&set);
}

/* Whether a process exists, waiting up to 5 s for it to go. */
static bool still_running_after_5s(pid_t pid)
{
	for (int i = 0; i < 500; i++) {
		if (kill(pid, 0) && errno == ESRCH)
			return false;
		usleep(10 * 1000);
	}
	return true;
}

/* A killed bpfgauge leaves no bpftrace behind: it dies with the process that started it. */
Test(peer_bpftrace, bpftrace_dies_with_a_killed_starter, .timeout = 120)
{
	int fds[2], st;
	pid_t starter, bt = 0;
	bool alive;

	if (!evidence_root())
		cr_skip_test("needs root");
	if (!evidence_bpftrace())
		cr_skip_test("bpftrace is not installed");
	cr_assert_eq(pipe(fds), 0);
	starter = fork();
	cr_assert_geq(starter, 0);
	if (starter == 0) {
		struct bpftrace b;
		char why[256];

		close(fds[0]);
		if (bpftrace_start(&b, "interval:s:1 { }", why, sizeof(why)))
			_exit(1);
		if (write(fds[1], &b.pid, sizeof(b.pid)) != sizeof(b.pid))
			_exit(1);
		pause();
		_exit(0);
	}
	close(fds[1]);
	cr_assert_eq(read(fds[0], &bt, sizeof(bt)), (ssize_t)sizeof(bt), "bpftrace did not start");
	close(fds[0]);
	cr_assert_gt(bt, 0);
	cr_assert_eq(kill(bt, 0), 0);
	kill(starter, SIGKILL);
	waitpid(starter, &st, 0);
	/* bpftrace is reparented, not our child: asked by pid. */
	alive = still_running_after_5s(bt);
	if (alive)
		kill(bt, SIGKILL);
	cr_assert_not(alive, "bpftrace %d outlived its starter", (int)bt);
}
