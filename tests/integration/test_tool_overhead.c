// SPDX-License-Identifier: GPL-2.0
/*
 * tool-overhead through its descriptor: the shape of its metrics (names, units, samples,
 * statuses and reasons; never their size against wall-clock expectations), and its floor:
 * empty programs on exactly the hooks each tool attaches to, as the kernel reports them to
 * 'bpftool perf show' (hook names, uprobe file and offset) and 'bpftool prog show' (program
 * types), not as bpfgauge says.
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <criterion/logging.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "attach/floor.h"
#include "bench/benchmark.h"
#include "integration.h"
#include "lib/libbpf_log.h"
#include "lib/uprobe_target.h"
#include "result/metric.h"
#include "support.h"
#include "tools/tool.h"
#include "workloads/workload.h"

#define BENCH "tool-overhead"

/* The task's table: each tool and its natural workload. */
static const struct {
	const char *tool, *workload;
} variants[] = {
	{ "syscall-latency", "syscall" },   { "fs-latency", "file-read" },
	{ "block-latency", "fio-randread" }, { "runq-latency", "pipe-pingpong" },
	{ "func-latency", "uprobe-target" }, { "profile", "stress-cpu" },
};
#define NR_VARIANTS (sizeof(variants) / sizeof(variants[0]))

static struct metric *expect(struct metric_set *set, const char *tool_or_workload,
			     const char *measure, const char *unit, enum metric_better better)
{
	char name[128];
	struct metric *m;

	snprintf(name, sizeof(name), BENCH "/%s/%s", tool_or_workload, measure);
	m = metric_find(set, name);
	cr_assert_not_null(m, "no metric '%s'", name);
	cr_assert_str_eq(m->unit, unit, "%s", name);
	cr_assert_eq(m->better, better, "%s", name);
	return m;
}

/* bpftool's feature probe: whether raw_tracepoint programs load (syscall-latency's floor). */
static bool evidence_raw_tracepoint(void)
{
	char *out = sh("bpftool feature probe kernel 2>/dev/null | "
		       "grep -c 'program_type raw_tracepoint is available'", NULL);
	bool yes = atoi(out) > 0;

	free(out);
	return yes;
}

/* BPF programs and links this process holds (its fdinfo), one per line; "" when none. */
static char *bpf_fds_held(void)
{
	char cmd[256];

	snprintf(cmd, sizeof(cmd), "grep -hE '^(prog_id|link_id):' /proc/%d/fdinfo/* 2>/dev/null",
		 (int)getpid());
	return sh(cmd, NULL);
}

/*
 * The hooks this process has programs on, as the kernel tells bpftool: one line per
 * attachment, "PROG_TYPE FD_TYPE HOOK" ("tracing raw_tracepoint sys_enter", "kprobe uprobe
 * filename /path offset 1234"), sorted.
 */
static char *hooks_of_this_process(void)
{
	char cmd[512];

	snprintf(cmd, sizeof(cmd),
		 "bpftool perf show 2>/dev/null | awk -v pid=%d '"
		 "$1 == \"pid\" && $2 == pid { s = \"\"; for (i = 7; i <= NF; i++) s = s \" \" $i;"
		 " print $6 s }' | while read -r prog hook; do"
		 "  echo \"$(bpftool prog show id $prog | awk 'NR == 1 { print $2 }') $hook\";"
		 "done | sort",
		 (int)getpid());
	return sh(cmd, NULL);
}

/* The lines of hooks_of_this_process() for process-tree following. */
#define FORK_HOOK "raw_tracepoint raw_tracepoint sched_process_fork\n"
#define EXIT_HOOK "raw_tracepoint raw_tracepoint sched_process_exit\n"

/* Removes the first occurrence of line (with its newline) from text. */
static void drop_line(char *text, const char *line)
{
	char *at = strstr(text, line);

	if (at)
		memmove(at, at + strlen(line), strlen(at + strlen(line)) + 1);
}

Test(tool_overhead, the_floor_sits_on_the_hooks_of_each_tool, .timeout = 120)
{
	char exe[PATH_MAX], func[PATH_MAX + 64];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	int compared = 0;

	if (!evidence_root())
		cr_skip_test("needs root");
	cr_assert_gt(n, 0);
	exe[n] = '\0';
	snprintf(func, sizeof(func), "%s:%s", exe, UPROBE_TARGET_SYMBOL);
	libbpf_log_setup(false);
	for (size_t i = 0; i < tool_registry_len; i++) {
		const struct tool *t = tool_registry[i];
		struct trace_opts o = { .pid = getpid(), .func = func };
		struct floor_opts fo = { .pid = getpid() };
		struct tool_report rep = {};
		struct floor f = {};
		char why[512], *tool_hooks, *floor_hooks, *left;
		void *state;
		int err = t->start(&o, &state, why, sizeof(why));

		if (err) {
			cr_log_info("%s does not start here: %s", t->name, why);
			continue;
		}
		tool_hooks = hooks_of_this_process();
		/*
		 * With a pid the tool follows its descendants through fork and exit hooks, which
		 * are not on the measured path and have no floor: seen, then set aside.
		 */
		cr_assert(strstr(tool_hooks, FORK_HOOK) && strstr(tool_hooks, EXIT_HOOK),
			  "%s: no fork/exit hooks:\n%s", t->name, tool_hooks);
		drop_line(tool_hooks, FORK_HOOK);
		drop_line(tool_hooks, EXIT_HOOK);
		cr_assert_eq(t->read(state, &rep), 0, "%s", t->name);
		t->stop(state);
		cr_assert_gt(rep.nr_hooks, 0, "%s", t->name);
		cr_assert_neq(tool_hooks[0], '\0', "%s: bpftool sees none of its hooks", t->name);

		err = floor_attach(&f, &rep, &fo, why, sizeof(why));
		cr_assert_eq(err, 0, "%s: floor: %s", t->name, why);
		floor_hooks = hooks_of_this_process();
		floor_detach(&f);
		/* Same hooks, same program types (tracing for tp_btf, raw_tracepoint for raw_tp). */
		cr_assert_str_eq(floor_hooks, tool_hooks, "%s (method %s): floor\n%s\ntool\n%s",
				 t->name, rep.method, floor_hooks, tool_hooks);
		cr_log_info("%s: tool and floor on\n%s", t->name, tool_hooks);
		left = bpf_fds_held();
		cr_assert_str_empty(left, "%s: held after floor_detach:\n%s", t->name, left);
		free(left);
		free(tool_hooks);
		free(floor_hooks);
		tool_report_release(&rep);
		compared++;
	}
	if (evidence_raw_tracepoint())
		cr_assert_gt(compared, 0, "not even syscall-latency started");
}

Test(tool_overhead, empty_report_or_unknown_hook_is_refused)
{
	struct tool_report rep = {};
	struct floor_opts fo = {};
	struct floor f = {};
	char why[256];

	if (!evidence_root())
		cr_skip_test("needs root");
	cr_assert_eq(floor_attach(&f, &rep, &fo, why, sizeof(why)), -EINVAL);
	rep.nr_hooks = 1;
	snprintf(rep.hooks[0], sizeof(rep.hooks[0]), "lsm/file_open");
	cr_assert_eq(floor_attach(&f, &rep, &fo, why, sizeof(why)), -EOPNOTSUPP);
	cr_assert_str_eq(why, "no empty program for hook 'lsm/file_open'");
	floor_detach(&f);
}

static char workdir[] = "/tmp/bpfgauge-tool-overhead-XXXXXX";

static void workdir_make(void)
{
	test_dir_make(workdir);
}

/* Also when an assertion ended the test. */
static void workdir_remove(void)
{
	test_dir_remove(workdir);
}

Test(tool_overhead, every_variant_has_its_metrics, .timeout = 300, .init = workdir_make,
     .fini = workdir_remove)
{
	char cmd[128], *left;
	struct bench_params p = { .reps = 2, .seconds = 0.2, .cpu = -1 };
	struct metric_set set = {};

	if (!evidence_root())
		cr_skip_test("needs root");
	p.workdir = workdir;
	libbpf_log_setup(false);
	bench_run_ok(BENCH, &p, &set);

	for (size_t v = 0; v < NR_VARIANTS; v++) {
		const char *tool = variants[v].tool, *wl = variants[v].workload;
		struct metric *m[4] = {
			expect(&set, tool, "pct_throughput", "%", BETTER_LOWER),
			expect(&set, tool, "ns_per_event", "ns", BETTER_LOWER),
			expect(&set, tool, "floor_ns_per_event", "ns", BETTER_LOWER),
			expect(&set, wl, "untraced_ops_per_s", "ops/s", BETTER_HIGHER),
		};
		char missing[128];

		if (!workload_find(wl)) {
			snprintf(missing, sizeof(missing), "workload '%s' is not built in", wl);
			for (int i = 0; i < 4; i++) {
				cr_assert_str_eq(m[i]->status, "skipped", "%s", m[i]->name);
				cr_assert_str_eq(m[i]->reason, missing, "%s", m[i]->name);
				cr_assert_eq(m[i]->n, 0, "%s", m[i]->name);
			}
			continue;
		}
		for (int i = 0; i < 4; i++) {
			/* Measured: one sample a repetition; else why, and none. */
			if (!strcmp(m[i]->status, "ok")) {
				cr_assert_eq(m[i]->n, 2, "%s", m[i]->name);
				cr_assert_str_empty(m[i]->reason, "%s", m[i]->name);
			} else {
				cr_assert_eq(m[i]->n, 0, "%s", m[i]->name);
				cr_assert_neq(m[i]->reason[0], '\0', "%s", m[i]->name);
			}
		}
		if (strcmp(tool, "syscall-latency"))
			continue;
		if (!evidence_raw_tracepoint()) {
			cr_assert_str_eq(m[0]->status, "unsupported", "%s", m[0]->reason);
			continue;
		}
		/* Here it must work: getppid costs more with programs on sys_enter/sys_exit. */
		for (int i = 0; i < 4; i++)
			cr_assert_str_eq(m[i]->status, "ok", "%s: %s", m[i]->name, m[i]->reason);
		for (size_t r = 0; r < 2; r++) {
			cr_assert_gt(m[1]->samples[r], 0, "tool ns_per_event %f", m[1]->samples[r]);
			cr_assert_gt(m[2]->samples[r], 0, "floor ns_per_event %f", m[2]->samples[r]);
			cr_assert(m[0]->samples[r] > 0 && m[0]->samples[r] < 100, "pct %f",
				  m[0]->samples[r]);
			cr_assert_gt(m[3]->samples[r], 0);
		}
	}
	/* 3 metrics a tool, one a workload, nothing else. */
	cr_assert_eq(set.n, 4 * NR_VARIANTS);
	metric_set_release(&set);

	/* Nothing left: no BPF program or link held, no file in the workdir. */
	left = bpf_fds_held();
	cr_assert_str_empty(left, "held after the run:\n%s", left);
	free(left);
	snprintf(cmd, sizeof(cmd), "ls -A '%s'", workdir);
	left = sh(cmd, NULL);
	cr_assert_str_empty(left, "left in the workdir: %s", left);
	free(left);
}

Test(tool_overhead, runs_only_the_variants_asked_for)
{
	struct bench_params p = { .reps = 1, .seconds = 0.05, .cpu = -1,
				  .variants = { "fs-latency" }, .nr_variants = 1 };
	struct metric_set set = {};

	if (!evidence_root())
		cr_skip_test("needs root");
	libbpf_log_setup(false);
	bench_run_ok(BENCH, &p, &set);
	cr_assert_eq(set.n, 4);
	cr_assert_not_null(metric_find(&set, BENCH "/fs-latency/pct_throughput"));
	cr_assert_not_null(metric_find(&set, BENCH "/fs-latency/ns_per_event"));
	cr_assert_not_null(metric_find(&set, BENCH "/fs-latency/floor_ns_per_event"));
	cr_assert_not_null(metric_find(&set, BENCH "/file-read/untraced_ops_per_s"));
	metric_set_release(&set);
}

Test(tool_overhead, bad_params_are_einval)
{
	struct bench_params p = { .reps = 0, .seconds = 1, .cpu = -1 };
	struct metric_set set = {};
	struct bench_ctx c = { .metrics = &set };

	cr_assert_eq(benchmark_find(BENCH)->run(&p, &c), -EINVAL);
	p.reps = 1;
	p.seconds = 0;
	cr_assert_eq(benchmark_find(BENCH)->run(&p, &c), -EINVAL);
	cr_assert_eq(set.n, 0);
}
