/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Benchmarks: workload x (nothing | empty program on hook H | tool T), repeated and
 * interleaved, giving metrics. A benchmark is a const descriptor in
 * benchmarks/benchmarks.def; 'bpfgauge run SUITE' runs those a suite names, with the
 * parameters of its [bench NAME] section.
 *
 * Method every benchmark follows, owned by the one runner (runner.h): one warm-up
 * repetition discarded; then params->reps repetitions, each running every condition once in
 * rotating order (none / floor / tool, floor / tool / none, ...) so that drift cancels; added
 * costs paired with the same repetition's untraced run. A benchmark supplies its conditions
 * (ready-made ones in conds.h) and turns their samples into metrics. Every benchmark also
 * records its workload's untraced throughput as a metric of its own
 * (BENCH/WORKLOAD/untraced_ops_per_s).
 */
#ifndef BPFGAUGE_BENCHMARK_H
#define BPFGAUGE_BENCHMARK_H

#include <stdbool.h>
#include <stddef.h>

#include "result/metric.h"
#include "workloads/workload.h"

#define BENCH_MAX_VARIANTS 32

struct bench_params {
	int reps;			/* measured repetitions (default 7) */
	double seconds;			/* per condition and repetition */
	long ops;			/* or this many operations (0: seconds) */
	int cpu;			/* pin workloads to this CPU; -1: no pinning */
	const char *workdir;		/* for file workloads */
	/* Which variants to run (attach types, tools, workloads ...); none given: all. */
	const char *variants[BENCH_MAX_VARIANTS];
	size_t nr_variants;
	/* A known extra cost for testing comparisons, passed to the workloads as
	 * workload_opts.extra_pct (0-100; 0: none). A suite sets it only for benchmarks with
	 * workload_of (suite.c refuses it elsewhere); bench_workload_opts() passes it on. */
	int inject_extra_pct;
};

struct bench_ctx {
	struct metric_set *metrics;
	/* One line of progress ("attach-overhead: rep 3/7 uprobe"); stderr, live on a tty. */
	void (*progress)(struct bench_ctx *c, const char *fmt, ...)
		__attribute__((format(printf, 2, 3)));
	/* Called by the runner after each measured repetition, or NULL: 'bpfgauge run' times
	 * the reference workload there (each_rep_arg its own), so that each repetition says
	 * which speed state the machine was in. */
	void (*each_rep)(struct bench_ctx *c);
	void *each_rep_arg;
	/* What the benchmark says about how it ran, in a word or a line (the method it took). */
	char note[128];
	void *priv;
	/* When run() returns -errno: what broke, in one line ("set up workload 'syscall'"),
	 * or empty; the runner adds the errno's name and text. */
	char why[256];
};

struct benchmark {
	const char *name;
	const char *summary;
	/* The variant names it knows, for suite validation; NULL-terminated. */
	const char *const *variants;
	/* 0, or -errno when the benchmark itself broke, with what broke in c->why when it
	 * can say (a metric's own failure is recorded in the metric, not returned). Stops
	 * early, returning -EINTR, when interrupted(). */
	int (*run)(const struct bench_params *p, struct bench_ctx *c);
	/* The workload a variant runs, for benchmarks that pass inject_extra_pct to their
	 * workloads; NULL in those that do not. */
	const char *(*workload_of)(const char *variant);
};

extern const struct benchmark *const benchmark_registry[];
extern const size_t benchmark_registry_len;
const struct benchmark *benchmark_find(const char *name);
/* Whether a variant was asked for (no variants given means all). */
bool bench_wants(const struct bench_params *p, const char *variant);
/* The options of the workload runs the parameters ask for. */
struct workload_opts bench_workload_opts(const struct bench_params *p);

#define DEFINE_BENCHMARK(id, name_, summary_, variants_, run_)                               \
	const struct benchmark benchmark_##id = {                                            \
		.name = name_, .summary = summary_, .variants = variants_, .run = run_,      \
	}

/* The same for a benchmark that passes inject_extra_pct to the workloads of its variants. */
#define DEFINE_BENCHMARK_WL(id, name_, summary_, variants_, run_, workload_of_)            \
	const struct benchmark benchmark_##id = {                                            \
		.name = name_, .summary = summary_, .variants = variants_, .run = run_,      \
		.workload_of = workload_of_,                                                  \
	}

#endif
