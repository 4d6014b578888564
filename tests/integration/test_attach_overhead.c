// SPDX-License-Identifier: GPL-2.0
/*
 * The attach-overhead benchmark and the workloads file-read and uprobe-target, run in this
 * process (as 'bpfgauge run' will): the shape of the metrics against the probe's own verdicts
 * (the real binary's 'probe --json'), the sysfs kprobe PMU and this process's open file
 * descriptors; the workloads' operation counts against BPF counters of the checks' programs
 * (the tracepoint check's syscall counter, the uprobe and usdt checks' counters) and the
 * kernel's rchar. Nothing about the size of a measured cost: only that an empty program cannot
 * make a workload faster.
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "bench/benchmark.h"
#include "integration.h"
#include "lib/elf_syms.h"
#include "lib/libbpf_log.h"
#include "lib/uprobe_target.h"
#include "syscall_count.skel.h"
#include "uprobe_count.skel.h"
#include "usdt_count.skel.h"
#include "workloads/workload.h"

#define KPROBE_PMU "/sys/bus/event_source/devices/kprobe"
#define UPROBE_PMU "/sys/bus/event_source/devices/uprobe"
#define NR_OPS 1000

/* Each attach type and the workload the benchmark promises to time it on. */
static const struct {
	const char *type, *workload;
} types[] = {
	{ "tracepoint", "syscall" }, { "raw_tracepoint", "syscall" }, { "tp_btf", "syscall" },
	{ "kprobe", "syscall" }, { "kretprobe", "syscall" }, { "kprobe_multi", "syscall" },
	{ "fentry", "syscall" }, { "fexit", "syscall" },
	{ "uprobe", "uprobe-target" }, { "uretprobe", "uprobe-target" },
	{ "usdt", "uprobe-target" },
};
#define NR_TYPES (sizeof(types) / sizeof(types[0]))

static const struct metric *find_metric(const struct metric_set *set, const char *fmt, ...)
{
	char name[128];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(name, sizeof(name), fmt, ap);
	va_end(ap);
	return metric_find(set, name);
}

static double median(const struct metric *m)
{
	double a = m->samples[0], b = m->samples[m->n > 1];

	cr_assert_leq(m->n, 2, "median() here is for two samples");
	return (a + b) / 2;
}

static const char *expected_status(const char *probe_status)
{
	if (!strcmp(probe_status, "unsupported") || !strcmp(probe_status, "skipped"))
		return probe_status;
	return "error";
}

/* This process's file descriptors that are BPF objects or perf events (uprobe, tracepoint). */
static int bpf_fds(void)
{
	char link[PATH_MAX], target[PATH_MAX];
	struct dirent *e;
	DIR *d = opendir("/proc/self/fd");
	int n = 0;

	cr_assert_not_null(d);
	while ((e = readdir(d))) {
		ssize_t len;

		snprintf(link, sizeof(link), "/proc/self/fd/%s", e->d_name);
		len = readlink(link, target, sizeof(target) - 1);
		if (len <= 0)
			continue;
		target[len] = '\0';
		n += !strncmp(target, "anon_inode:bpf", 14) ||
		     !strcmp(target, "anon_inode:[perf_event]");
	}
	closedir(d);
	return n;
}

/* This process's file descriptors open on a file in dir (named or deleted). */
static int fds_in(const char *dir)
{
	char link[PATH_MAX], target[PATH_MAX];
	size_t len = strlen(dir);
	struct dirent *e;
	DIR *d = opendir("/proc/self/fd");
	int n = 0;

	cr_assert_not_null(d);
	while ((e = readdir(d))) {
		ssize_t l;

		snprintf(link, sizeof(link), "/proc/self/fd/%s", e->d_name);
		l = readlink(link, target, sizeof(target) - 1);
		if (l <= 0)
			continue;
		target[l] = '\0';
		n += !strncmp(target, dir, len) && target[len] == '/';
	}
	closedir(d);
	return n;
}

static void no_progress(struct bench_ctx *c, const char *fmt, ...)
{
	(void)c;
	(void)fmt;
}

/*
 * One metric of an attach type against the probe's verdict on it; whether it was measured.
 * Where the probe passes, 2 samples and a positive median (nothing about its size).
 */
static bool check_type_metric(const struct metric_set *set, json_t *doc, const char *type,
			      const char *measure, const char *unit)
{
	const char *st = probe_status(doc, type);
	const struct metric *m = find_metric(set, "attach-overhead/%s/%s", type, measure);

	cr_assert_not_null(m, "no metric %s for '%s'", measure, type);
	cr_assert_str_eq(m->unit, unit);
	cr_assert_eq(m->better, BETTER_LOWER);
	/* kprobes pass through tracefs too, which the benchmark refuses (a killed run would
	 * leave the events behind). */
	if (!strcmp(st, "pass") && (!strcmp(type, "kprobe") || !strcmp(type, "kretprobe")) &&
	    !evidence_exists(KPROBE_PMU)) {
		cr_assert_str_eq(m->status, "skipped");
		cr_assert(strstr(m->reason, "no 'kprobe' PMU"), "%s", m->reason);
		return false;
	}
	if (!strcmp(st, "pass")) {
		cr_assert_str_eq(m->status, "ok", "%s: %s", m->name, m->reason);
		cr_assert_eq(m->n, 2, "%s: %zu samples", m->name, m->n);
		cr_assert_gt(median(m), 0, "%s: an empty program made it faster: %g %s", m->name,
			     median(m), unit);
		return true;
	}
	cr_assert_str_eq(m->status, expected_status(st), "%s: probe says %s", m->name, st);
	cr_assert_eq(m->n, 0);
	cr_assert_str_eq(m->reason, probe_reason(doc, type));
	return false;
}

Test(attach_overhead, every_type_measured_where_its_probe_passes_else_the_probe_reason)
{
	char only[512] = "--only ";
	struct metric_set set = {};
	struct bench_params p = { .reps = 2, .seconds = 0.2, .cpu = 0, .workdir = "/tmp" };
	struct bench_ctx c = { .metrics = &set, .progress = no_progress };
	const struct benchmark *b = benchmark_find("attach-overhead");
	bool used[NR_TYPES] = {};
	int fds_before;
	json_t *doc;

	if (!evidence_root())
		cr_skip_test("needs root to load BPF");
	cr_assert_not_null(b);
	for (size_t i = 0; i < NR_TYPES; i++)
		snprintf(only + strlen(only), sizeof(only) - strlen(only), "%s%s", i ? "," : "",
			 types[i].type);
	doc = probe_json(only, NULL);
	cr_assert_not_null(doc, "probe %s: no JSON", only);

	libbpf_log_setup(false);
	fds_before = bpf_fds();
	cr_assert_eq(b->run(&p, &c), 0);
	cr_assert_eq(bpf_fds(), fds_before, "BPF objects or perf events left open");

	for (size_t i = 0; i < NR_TYPES; i++) {
		for (int k = 0; k < 2; k++) {
			const char *measure = k ? "slowdown_pct" : "ns_per_event";

			used[i] = check_type_metric(&set, doc, types[i].type, measure,
						    k ? "%" : "ns");
		}
	}
	/* Each workload a measured type used has its untraced throughput; no other does. */
	for (size_t i = 0; i < NR_TYPES; i++) {
		const struct metric *m = find_metric(&set, "attach-overhead/%s/untraced_ops_per_s",
						     types[i].workload);
		bool any = false;

		for (size_t j = 0; j < NR_TYPES; j++)
			any |= used[j] && !strcmp(types[j].workload, types[i].workload);
		if (!any) {
			cr_assert(!m || strcmp(m->status, "ok") || !m->n, "%s measured for nothing",
				  types[i].workload);
			continue;
		}
		cr_assert_not_null(m, "no untraced metric for '%s'", types[i].workload);
		cr_assert_str_eq(m->unit, "ops/s");
		cr_assert_eq(m->better, BETTER_HIGHER);
		cr_assert_str_eq(m->status, "ok", "%s: %s", m->name, m->reason);
		cr_assert_eq(m->n, 2);
		cr_assert_gt(m->samples[0], 0);
		cr_assert_gt(m->samples[1], 0);
	}
	metric_set_release(&set);
	json_decref(doc);
}

Test(attach_overhead, only_the_variants_asked_for)
{
	struct metric_set set = {};
	struct bench_params p = { .reps = 1, .seconds = 0.01, .cpu = -1,
				  .variants = { "kprobe_multi" }, .nr_variants = 1 };

	if (!evidence_root())
		cr_skip_test("needs root to load BPF");
	libbpf_log_setup(false);
	bench_run_ok("attach-overhead", &p, &set);
	cr_assert_not_null(find_metric(&set, "attach-overhead/kprobe_multi/ns_per_event"));
	for (size_t i = 0; i < set.n; i++)
		cr_assert(!strncmp(set.m[i]->name, "attach-overhead/kprobe_multi/", 29) ||
			  !strcmp(set.m[i]->name, "attach-overhead/syscall/untraced_ops_per_s"),
			  "metric '%s' not asked for", set.m[i]->name);
	for (const char *const *v = benchmark_find("attach-overhead")->variants; *v; v++) {
		bool known = false;

		for (size_t i = 0; i < NR_TYPES; i++)
			known |= !strcmp(*v, types[i].type);
		cr_assert(known, "variant '%s' is no attach type", *v);
	}
	metric_set_release(&set);
}

/* bytes read so far by this process (rchar in /proc/self/io), and the bytes that read took */
static long long rchar(long long *took)
{
	char buf[1024];
	int fd = open("/proc/self/io", O_RDONLY);
	ssize_t n;
	char *p;

	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	*took = n;
	p = strstr(buf, "rchar:");
	return p ? atoll(p + 6) : -1;
}

Test(attach_overhead, file_read_does_n_preads_of_4k_and_leaves_no_file)
{
	char dir[] = "/tmp/bpfgauge-test-file-read-XXXXXX", why[256] = "";
	const struct workload *w = workload_find("file-read");
	struct workload_opts o = { .ops = NR_OPS, .cpu = -1, .workdir = dir };
	struct workload_result r = {};
	struct syscall_count_bpf *skel;
	long long before, after, took1, took2;
	void *state = NULL;
	int err;

	if (!evidence_root())
		cr_skip_test("needs root to load BPF");
	cr_assert_not_null(w);
	cr_assert_not_null(mkdtemp(dir));
	skel = syscall_count_bpf__open();
	cr_assert_not_null(skel);
	bpf_program__set_autoload(skel->progs.on_tracepoint, false);
	bpf_program__set_autoload(skel->progs.on_tp_btf, false);
	skel->rodata->target_tgid = getpid();
	skel->rodata->target_nr = SYS_pread64;
	cr_assert_eq(syscall_count_bpf__load(skel), 0);
	cr_assert_eq(syscall_count_bpf__attach(skel), 0);

	err = w->setup(&o, &state, why, sizeof(why));
	cr_assert_eq(err, 0, "setup: %s", why);
	cr_assert_eq(fds_in(dir), 1, "the workload's file is not open in '%s'", dir);
	skel->bss->armed = 1;
	before = rchar(&took1);
	err = w->run(state, &o, &r);
	after = rchar(&took2);
	skel->bss->armed = 0;
	cr_assert_eq(err, 0);
	cr_assert_eq(r.ops, NR_OPS);
	cr_assert_eq(skel->bss->hits, NR_OPS, "counted %llu pread64 calls for %d operations",
		     (unsigned long long)skel->bss->hits, NR_OPS);
	/* rchar counts the bytes each read returned; the first /proc read is in the delta. */
	if (before >= 0 && after >= 0)
		cr_assert_eq(after - before - took1, (long long)NR_OPS * 4096);
	w->teardown(state);
	syscall_count_bpf__destroy(skel);
	cr_assert_eq(fds_in(dir), 0, "the workload's file is still open");
	cr_assert_eq(rmdir(dir), 0, "'%s' is not empty after teardown", dir);
}

Test(attach_overhead, uprobe_target_makes_n_calls_each_firing_the_usdt_probe)
{
	LIBBPF_OPTS(bpf_uprobe_opts, uopts);
	const struct workload *w = workload_find("uprobe-target");
	struct workload_opts o = { .ops = NR_OPS, .cpu = -1 };
	struct workload_result r = {};
	struct uprobe_count_bpf *up;
	struct usdt_count_bpf *usdt;
	struct bpf_link *l1, *l2;
	struct elf_syms *syms;
	char exe[PATH_MAX] = "", why[256] = "";
	long off;
	void *state = NULL;

	if (!evidence_root())
		cr_skip_test("needs root to load BPF");
	if (!evidence_exists(UPROBE_PMU))
		cr_skip_test("no uprobe PMU: the uprobe check says why");
	cr_assert_not_null(w);
	cr_assert_gt(readlink("/proc/self/exe", exe, sizeof(exe) - 1), 0);
	syms = elf_syms_open(exe);
	cr_assert_not_null(syms);
	off = elf_syms_offset(syms, UPROBE_TARGET_SYMBOL, NULL);
	elf_syms_free(syms);
	cr_assert_geq(off, 0);

	up = uprobe_count_bpf__open();
	cr_assert_not_null(up);
	bpf_program__set_autoload(up->progs.uretprobe_exit, false);
	up->rodata->target_tgid = getpid();
	cr_assert_eq(uprobe_count_bpf__load(up), 0);
	l1 = bpf_program__attach_uprobe_opts(up->progs.uprobe_entry, getpid(), exe, off, &uopts);
	cr_assert_not_null(l1);
	usdt = usdt_count_bpf__open();
	cr_assert_not_null(usdt);
	usdt->rodata->target_tgid = getpid();
	cr_assert_eq(usdt_count_bpf__load(usdt), 0);
	l2 = bpf_program__attach_usdt(usdt->progs.usdt_target_call, getpid(), exe,
				      UPROBE_TARGET_USDT_PROVIDER, UPROBE_TARGET_USDT_NAME, NULL);
	cr_assert_not_null(l2);

	cr_assert_eq(w->setup(&o, &state, why, sizeof(why)), 0, "setup: %s", why);
	up->bss->armed = 1;
	usdt->bss->armed = 1;
	cr_assert_eq(w->run(state, &o, &r), 0);
	up->bss->armed = 0;
	usdt->bss->armed = 0;
	w->teardown(state);
	cr_assert_eq(r.ops, NR_OPS);
	cr_assert_eq(up->bss->entries, NR_OPS, "uprobe saw %llu calls for %d operations",
		     (unsigned long long)up->bss->entries, NR_OPS);
	/* One call per operation, with the operation's index as argument. */
	cr_assert_eq(up->bss->arg_sum, (long long)NR_OPS * (NR_OPS - 1) / 2);
	cr_assert_eq(usdt->bss->hits, NR_OPS, "USDT fired %llu times for %d operations",
		     (unsigned long long)usdt->bss->hits, NR_OPS);
	bpf_link__destroy(l1);
	bpf_link__destroy(l2);
	uprobe_count_bpf__destroy(up);
	usdt_count_bpf__destroy(usdt);
}
