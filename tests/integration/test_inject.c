// SPDX-License-Identifier: GPL-2.0
/*
 * A known, injectable cost: the 'syscall' workload's extra_pct counted in the kernel (a BPF
 * counter of this process's getppid calls) against N + floor(N * P / 100) computed here; the
 * workload-throughput benchmark's metrics and its rotation; and inject_extra_pct through
 * 'bpfgauge run': recorded in the result, refused with FILE:LINE where it cannot apply.
 * Never the machine's speed.
 */
#include <criterion/criterion.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "bench/benchmark.h"
#include "integration.h"
#include "lib/autoload.h"
#include "support.h"
#include "syscall_count.skel.h"
#include "workloads/workload.h"

/* ------------------------------------------------------------------ the workload */

static struct syscall_count_bpf *getppid_counter(void)
{
	struct syscall_count_bpf *skel = syscall_count_bpf__open();

	cr_assert_not_null(skel);
	autoload_only(skel->obj, skel->progs.on_raw_tracepoint);
	skel->rodata->target_tgid = getpid();
	skel->rodata->target_nr = SYS_getppid;
	cr_assert_eq(syscall_count_bpf__load(skel), 0);
	cr_assert_eq(syscall_count_bpf__attach(skel), 0);
	return skel;
}

/* getppid calls the kernel saw for runs of ops operations each, from one setup. */
static unsigned long long calls_for(int pct, const long *ops, int runs)
{
	const struct workload *w = workload_find("syscall");
	struct workload_opts o = { .cpu = -1, .extra_pct = pct };
	struct syscall_count_bpf *skel;
	unsigned long long hits;
	char why[128] = "";
	void *state;

	cr_assert_not_null(w);
	cr_assert(w->takes_extra_pct);
	cr_assert_eq(w->setup(&o, &state, why, sizeof(why)), 0, "%s", why);
	skel = getppid_counter();
	for (int i = 0; i < runs; i++) {
		struct workload_result r = {};

		o.ops = ops[i];
		skel->bss->armed = 1;
		cr_assert_eq(w->run(state, &o, &r), 0);
		skel->bss->armed = 0;
		cr_assert_eq(r.ops, ops[i], "operations are counted without the extra calls");
		workload_result_release(&r);
	}
	hits = skel->bss->hits;
	syscall_count_bpf__destroy(skel);
	w->teardown(state);
	return hits;
}

Test(inject, syscall_extra_pct_makes_exactly_that_many_more_calls)
{
	const int pcts[] = { 0, 10, 33, 100 };
	const long ops = 1000;

	if (!evidence_root())
		cr_skip_test("counting syscalls needs BPF (root)");
	for (size_t i = 0; i < sizeof(pcts) / sizeof(pcts[0]); i++) {
		unsigned long long want = ops + ops * pcts[i] / 100;
		unsigned long long got = calls_for(pcts[i], &ops, 1);

		cr_assert_eq(got, want, "extra_pct %d: %llu calls counted for %ld operations, "
			     "want %llu", pcts[i], got, ops, want);
	}
}

/* 7 + 7 + 7 operations at 10 %: one extra call at the 10th and one at the 20th. */
Test(inject, the_share_carries_from_run_to_run)
{
	const long ops[] = { 7, 7, 7 }, one[] = { 7 };

	if (!evidence_root())
		cr_skip_test("counting syscalls needs BPF (root)");
	cr_assert_eq(calls_for(10, one, 1), 7, "floor(7 * 10 / 100) = 0 extra calls");
	cr_assert_eq(calls_for(10, ops, 3), 21 + 21 * 10 / 100);
}

/* ------------------------------------------------------------------ workload-throughput */

struct order {
	char log[1024];
};

__attribute__((format(printf, 2, 3)))
static void record_progress(struct bench_ctx *c, const char *fmt, ...)
{
	struct order *o = c->priv;
	char line[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (!strstr(line, " rep ") && !strstr(line, " warm-up "))
		return;
	/* "workload-throughput: rep 1/2 syscall": keep the workload's name. */
	strncat(o->log, strrchr(line, ' ') + 1, sizeof(o->log) - strlen(o->log) - 2);
	strcat(o->log, " ");
}

/* Warm-up a b, then b a, a b: rotated per repetition; one ok sample per repetition each. */
Test(inject, workload_throughput_rotates_and_gives_one_sample_per_rep)
{
	const char *names[] = { "syscall", "pipe-pingpong" };
	struct bench_params p = { .reps = 2, .seconds = 0.05, .cpu = -1,
				  .variants = { "syscall", "pipe-pingpong" }, .nr_variants = 2 };
	struct metric_set set = {};
	struct order order = {};
	struct bench_ctx c = { .metrics = &set, .progress = record_progress, .priv = &order };
	const struct benchmark *b = benchmark_find("workload-throughput");

	cr_assert_not_null(b);
	cr_assert_eq(b->run(&p, &c), 0);
	cr_assert_str_eq(order.log, "syscall pipe-pingpong pipe-pingpong syscall "
			 "syscall pipe-pingpong ");
	cr_assert_eq(set.n, 2, "only the variants asked for");
	for (size_t i = 0; i < 2; i++) {
		char name[128];
		struct metric *m;

		snprintf(name, sizeof(name), "workload-throughput/%s/ops_per_s", names[i]);
		m = metric_find(&set, name);
		cr_assert_not_null(m, "no %s", name);
		cr_assert_str_eq(m->status, "ok", "%s: %s", name, m->reason);
		cr_assert_str_eq(m->unit, "ops/s");
		cr_assert_eq(m->better, BETTER_HIGHER);
		cr_assert_eq(m->n, 2);
		for (size_t k = 0; k < m->n; k++)
			cr_assert_gt(m->samples[k], 0);
	}
	metric_set_release(&set);
}

Test(inject, benchmarks_that_pass_it_on_name_their_workloads)
{
	const struct benchmark *ao = benchmark_find("attach-overhead");
	const struct benchmark *wt = benchmark_find("workload-throughput");

	cr_assert_str_eq(ao->workload_of("raw_tracepoint"), "syscall");
	cr_assert_str_eq(ao->workload_of("uprobe"), "uprobe-target");
	for (const char *const *v = wt->variants; *v; v++)
		cr_assert_not_null(workload_find(wt->workload_of(*v)), "%s", *v);
	cr_assert_null(benchmark_find("tool-overhead")->workload_of);
	cr_assert_null(benchmark_find("ringbuf-vs-perfbuf")->workload_of);
}

/* ------------------------------------------------------------------ bpfgauge run */

static char dir[] = "/tmp/bpfgauge-inject-XXXXXX";

static void make_dir(void)
{
	test_dir_make(dir);
}

static void remove_dir(void)
{
	test_dir_remove(dir);
}

static int run_suite(const char *name, const char *text, char **out)
{
	char path[256], cmd[1024];
	FILE *f;
	int st;

	snprintf(path, sizeof(path), "%s/%s.suite", dir, name);
	f = fopen(path, "w");
	cr_assert_not_null(f);
	fputs(text, f);
	fclose(f);
	snprintf(cmd, sizeof(cmd), "cd %s && %s/%s run %s.suite -o %s.json 2>&1", dir,
		 getcwd((char[512]){}, 512), bpfgauge_bin(), name, name);
	*out = sh(cmd, &st);
	return st;
}

Test(inject, run_records_the_injection_with_its_metric, .init = make_dir, .fini = remove_dir)
{
	const char *base = "[suite]\nreps = 3\nseconds = 0.05\n[checks]\nrun = none\n"
			   "[bench workload-throughput]\nvariants = syscall\n";
	const int pcts[] = { 0, 10 };

	for (int i = 0; i < 2; i++) {
		char text[512], name[16], path[300], *out;
		json_t *doc, *bench, *m;
		json_error_t e;

		snprintf(text, sizeof(text), "%sinject_extra_pct = %d\n", base, pcts[i]);
		snprintf(name, sizeof(name), "p%d", pcts[i]);
		cr_assert_eq(run_suite(name, text, &out), 0, "%s", out);
		free(out);
		snprintf(path, sizeof(path), "%s/%s.json", dir, name);
		doc = json_load_file(path, 0, &e);
		cr_assert_not_null(doc, "%s", e.text);
		bench = json_array_get(json_object_get(doc, "benchmarks"), 0);
		cr_assert_str_eq(json_string_value(json_object_get(bench, "name")),
				 "workload-throughput");
		if (pcts[i])
			cr_assert_eq(json_integer_value(json_object_get(bench, "inject_extra_pct")),
				     pcts[i]);
		else
			cr_assert_null(json_object_get(bench, "inject_extra_pct"),
				       "no injection, no field");
		m = json_array_get(json_object_get(doc, "metrics"), 0);
		cr_assert_str_eq(json_string_value(json_object_get(m, "name")),
				 "workload-throughput/syscall/ops_per_s");
		cr_assert_str_eq(json_string_value(json_object_get(m, "status")), "ok");
		cr_assert_eq(json_array_size(json_object_get(m, "samples")), 3);
		json_decref(doc);
	}
}

/* Bad values and benchmarks whose workloads would ignore it: exit 2, FILE:LINE: the problem. */
Test(inject, run_refuses_bad_injections_with_file_and_line, .init = make_dir,
     .fini = remove_dir)
{
	const struct { const char *text, *what; int line; } bad[] = {
		{ "[bench workload-throughput]\nvariants = syscall\ninject_extra_pct = -1\n",
		  "inject_extra_pct must be a whole number from 0 to 100, not '-1'", 3 },
		{ "[bench workload-throughput]\ninject_extra_pct = 101\n", "not '101'", 2 },
		{ "[bench workload-throughput]\ninject_extra_pct = x\n", "not 'x'", 2 },
		{ "[bench tool-overhead]\ninject_extra_pct = 10\n",
		  "'tool-overhead' does not pass inject_extra_pct to its workloads", 2 },
		{ "[bench workload-throughput]\nvariants = file-read, fork-exec\n"
		  "inject_extra_pct = 10\n", "no workload of [bench workload-throughput] takes "
		  "it (its variants run 'file-read', 'fork-exec'); only 'syscall' does", 3 },
		/* Checked again when the variants come after it. */
		{ "[bench attach-overhead]\ninject_extra_pct = 10\nvariants = uprobe, usdt\n",
		  "its variants run 'uprobe-target'", 3 },
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char name[16], want[128], *out;

		snprintf(name, sizeof(name), "bad%zu", i);
		cr_assert_eq(run_suite(name, bad[i].text, &out), 2, "accepted:\n%s\n%s",
			     bad[i].text, out);
		snprintf(want, sizeof(want), "bpfgauge run: %s.suite:%d: ", name, bad[i].line);
		cr_assert(strstr(out, want), "'%s' does not say '%s'", out, want);
		cr_assert(strstr(out, bad[i].what), "'%s' does not say '%s'", out, bad[i].what);
		cr_assert_eq(strchr(out, '\n') - out + 1, (long)strlen(out), "one line: %s", out);
		free(out);
	}
}
