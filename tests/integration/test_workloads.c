// SPDX-License-Identifier: GPL-2.0
/*
 * Built-in workloads, run in this process as a benchmark runs them (setup, several runs,
 * teardown), checked against evidence gathered by other means: tgid-filtered BPF counters of
 * the helpers' syscalls and of this process's forks and its children's execs, context switch
 * counts in /proc, the file system type as stat(1) reports it, this process's children and
 * open fds, and the workdir's contents. Never the machine's speed.
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "child_count.skel.h"
#include "integration.h"
#include "lib/autoload.h"
#include "support.h"
#include "syscall_count.skel.h"
#include "workloads/workload.h"

#define WORKDIR "build/tests"

/* ------------------------------------------------------------------ evidence */

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

/* This process's children, from every /proc/PID/stat. */
static int children_of(pid_t parent)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	int n = 0;

	cr_assert_not_null(d);
	while ((e = readdir(d))) {
		char path[300], buf[512], *p;
		FILE *f;
		int ppid;

		if (e->d_name[0] < '0' || e->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/stat", e->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		p = fgets(buf, sizeof(buf), f) ? strrchr(buf, ')') : NULL;
		if (p && sscanf(p, ") %*c %d", &ppid) == 1 && ppid == parent)
			n++;
		fclose(f);
	}
	closedir(d);
	return n;
}

static int entries_in(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	cr_assert_not_null(d, "%s", dir);
	while ((e = readdir(d)))
		n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
	closedir(d);
	return n;
}

static int open_fds(void)
{
	return entries_in("/proc/self/fd") - 1;	/* less the directory stream's own */
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

static bool installed(const char *prog)
{
	char cmd[128], *out;
	int st;

	snprintf(cmd, sizeof(cmd), "command -v %s", prog);
	out = sh(cmd, &st);
	free(out);
	return st == 0;
}

static int first_cpu(void)
{
	cpu_set_t set;

	cr_assert_eq(sched_getaffinity(0, sizeof(set), &set), 0);
	for (int cpu = 0; cpu < CPU_SETSIZE; cpu++)
		if (CPU_ISSET(cpu, &set))
			return cpu;
	return -1;
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

/* ------------------------------------------------------------------ running */

struct wl {
	const struct workload *w;
	void *state;
	int fds_before;
};

static struct wl wl_setup(const char *name, const struct workload_opts *o)
{
	struct wl x = { .w = workload_find(name), .fds_before = open_fds() };
	char why[256] = "";
	int err;

	cr_assert_not_null(x.w, "no workload '%s'", name);
	err = x.w->setup(o, &x.state, why, sizeof(why));
	cr_assert_eq(err, 0, "%s: setup: %d %s", name, err, why);
	return x;
}

static struct workload_result wl_run(struct wl *x, const struct workload_opts *o)
{
	struct workload_result r = { 0 };
	int err = x->w->run(x->state, o, &r);
	char *extra = r.extra ? json_dumps(r.extra, JSON_COMPACT) : NULL;

	cr_assert_eq(err, 0, "%s: run: %d, extra %s", x->w->name, err, extra ? extra : "-");
	free(extra);
	/* Every workload: some work done, and its rate is its count over its time. */
	cr_assert_gt(r.ops, 0, "%s", x->w->name);
	cr_assert_gt(r.seconds, 0);
	cr_assert_gt(r.ops_per_s, 0);
	cr_assert_float_eq(r.ops_per_s * r.seconds, r.ops, r.ops * 0.01, "%s: %.0f ops in %.4f s "
			   "at %.1f/s", x->w->name, r.ops, r.seconds, r.ops_per_s);
	return r;
}

/* Teardown leaves no child and no open fd behind. */
static void wl_teardown(struct wl *x)
{
	x->w->teardown(x->state);
	cr_assert_eq(children_of(getpid()), 0, "%s left a child", x->w->name);
	cr_assert_eq(open_fds(), x->fds_before, "%s left an fd open", x->w->name);
}

static void expect_unsupported(const char *name, const struct workload_opts *o, const char *why)
{
	const struct workload *w = workload_find(name);
	char got[256] = "";
	void *state = (void *)1;

	cr_assert_not_null(w);
	cr_assert_eq(w->setup(o, &state, got, sizeof(got)), -EOPNOTSUPP, "%s", name);
	cr_assert_str_eq(got, why, "%s", name);
	cr_assert_null(state);
}

/* ------------------------------------------------------------------ tests */

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

/* ------------------------------------------------------------------ fio */

static bool fs_reaches_a_device(const char *dir)
{
	char cmd[256], *fs;
	bool yes;

	snprintf(cmd, sizeof(cmd), "stat -f -c %%T %s", dir);
	fs = sh(cmd, NULL);
	yes = !strstr(fs, "tmpfs") && !strstr(fs, "overlay") && !strstr(fs, "ramfs");
	free(fs);
	return yes;
}

/* The test's own O_DIRECT open of a file in dir. */
static bool o_direct_works(const char *dir)
{
	char path[256];
	int fd;

	snprintf(path, sizeof(path), "%s/o_direct.%d", dir, getpid());
	fd = open(path, O_CREAT | O_RDWR | O_DIRECT, 0600);
	unlink(path);
	if (fd < 0)
		return false;
	close(fd);
	return true;
}

static void fio_check(const char *name, const char *dir, double kib_per_io)
{
	struct workload_opts o = { .seconds = 0.3, .cpu = -1, .workdir = dir };
	struct workload_result r;
	json_t *e;
	struct wl x;
	bool direct = fs_reaches_a_device(dir) && o_direct_works(dir);

	x = wl_setup(name, &o);
	/* The data file is unlinked from the start: nothing to leave behind. */
	cr_assert_eq(entries_in(dir), 0, "%s: %s is not empty", name, dir);
	r = wl_run(&x, &o);
	e = r.extra;
	cr_assert_float_eq(json_number_value(json_object_get(e, "iops")), r.ops_per_s, 1e-6);
	/* Bandwidth is the job's block size per I/O: fio read the right direction. */
	cr_assert_float_eq(json_number_value(json_object_get(e, "bw_kib_s")),
			   r.ops_per_s * kib_per_io, r.ops_per_s * kib_per_io * 0.01);
	cr_assert_leq(json_number_value(json_object_get(e, "clat_p50_ns")),
		      json_number_value(json_object_get(e, "clat_p99_ns")));
	cr_assert_gt(json_number_value(json_object_get(e, "clat_p50_ns")), 0);
	cr_assert_eq(json_is_true(json_object_get(e, "direct")), direct, "%s: direct %d in %s",
		     name, direct, dir);
	if (!direct)
		cr_assert_not_null(json_object_get(e, "note"));
	workload_result_release(&r);
	wl_teardown(&x);
	cr_assert_eq(entries_in(dir), 0);
}

static char *temp_dir(const char *under)
{
	char *dir;

	cr_assert_geq(asprintf(&dir, "%s/workloads.XXXXXX", under), 0);
	cr_assert_not_null(mkdtemp(dir));
	return dir;
}

Test(workloads, fio_reads_and_writes_with_consistent_numbers)
{
	char *dir;

	if (!installed("fio"))
		cr_skip_test("fio is not installed");
	dir = temp_dir(WORKDIR);
	fio_check("fio-randread", dir, 4);
	fio_check("fio-seqwrite", dir, 128);
	rmdir(dir);
	free(dir);
}

/* On tmpfs, O_DIRECT may open (Linux >= 6.6) but reaches no device: buffered, and said so. */
Test(workloads, fio_on_tmpfs_is_buffered_and_says_so)
{
	struct workload_opts o = { .seconds = 0.1, .cpu = -1 };
	struct workload_result r;
	char *fs, *dir;
	struct wl x;

	if (!installed("fio"))
		cr_skip_test("fio is not installed");
	fs = sh("stat -f -c %T /dev/shm", NULL);
	if (strncmp(fs, "tmpfs", 5))
		cr_skip_test("/dev/shm is on %s, not tmpfs", fs);
	free(fs);
	dir = temp_dir("/dev/shm");
	o.workdir = dir;
	x = wl_setup("fio-randread", &o);
	r = wl_run(&x, &o);
	cr_assert(json_is_false(json_object_get(r.extra, "direct")));
	cr_assert_str_eq(json_string_value(json_object_get(r.extra, "fs")), "tmpfs");
	cr_assert_not_null(strstr(json_string_value(json_object_get(r.extra, "note")), "tmpfs"));
	workload_result_release(&r);
	wl_teardown(&x);
	cr_assert_eq(rmdir(dir), 0, "%s not empty", dir);
	free(dir);
}

/* ------------------------------------------------------------------ stress-ng */

Test(workloads, stress_ng_stops_at_the_op_count)
{
	const struct {
		const char *name;
		long ops;
		const char *field;	/* a number of that stressor's own */
	} cases[] = {
		{ "stress-cpu", 300, "user-time" },
		{ "stress-switch", 20000, "nanosecs-per-context-switch-pipe-method" },
	};
	char *dir;

	if (!installed("stress-ng"))
		cr_skip_test("stress-ng is not installed");
	dir = temp_dir(WORKDIR);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct workload_opts o = {
			.ops = cases[i].ops, .cpu = first_cpu(), .workdir = dir,
		};
		struct workload_result r;
		struct wl x = wl_setup(cases[i].name, &o);

		cr_assert_eq(x.w->pid(x.state), -1);
		r = wl_run(&x, &o);
		cr_assert_eq(r.ops, cases[i].ops, "%s: %.0f ops", cases[i].name, r.ops);
		cr_assert(json_is_number(json_object_get(r.extra, cases[i].field)), "%s: no %s",
			  cases[i].name, cases[i].field);
		workload_result_release(&r);
		wl_teardown(&x);
		cr_assert_eq(entries_in(dir), 0, "%s left files in %s", cases[i].name, dir);
	}
	rmdir(dir);
	free(dir);
}

/* A duration is stress-ng's timeout, in whole seconds: 0.2 s asks for 1 s. */
Test(workloads, stress_ng_runs_for_a_duration)
{
	struct workload_opts o = { .seconds = 0.2, .cpu = -1 };
	struct workload_result r;
	char *dir;
	struct wl x;

	if (!installed("stress-ng"))
		cr_skip_test("stress-ng is not installed");
	dir = temp_dir(WORKDIR);
	o.workdir = dir;
	x = wl_setup("stress-syscall", &o);
	r = wl_run(&x, &o);
	cr_assert_eq(json_integer_value(json_object_get(r.extra, "timeout_s")), 1);
	cr_assert_gt(json_number_value(json_object_get(r.extra, "system-time")), 0);
	workload_result_release(&r);
	wl_teardown(&x);
	cr_assert_eq(rmdir(dir), 0, "%s not empty", dir);
	free(dir);
}
