/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The measurement of 'bpfgauge cost': the chosen workloads run in three conditions, in the
 * benchmark runner's loop (warm-up discarded, order rotating per repetition): untraced;
 * traced, the tracer running (what it costs); and attributed, the tracer running with the
 * kernel's run-time stats on (which add two clock reads to every program run, so they are
 * kept out of the traced condition), where its programs' stats and its cgroup's CPU time are
 * read before and after each workload run. Interleaved (the default): the tracer is started
 * and made ready before each traced or attributed run and stopped after it. Bracketed (c.bracket,
 * or a tracer that took COST_BRACKET_READY_S to be ready at its first start): untraced
 * repetitions, then the tracer started once for the traced and attributed ones (stats switched
 * around each attributed run), then untraced repetitions again; the untraced value of a
 * repetition is the geometric mean of its two, and their drift is kept per workload.
 *
 *   cost_run(&c, argv, err, sz)   the tracer argv (c.object instead when set): 0; -EINTR
 *                                 interrupted; else -errno with one line in err (the tracer
 *                                 could not be started, exited, attached nothing, or a
 *                                 workload broke)
 *   cost_release(&c)
 */
#ifndef BPFGAUGE_COST_RUN_H
#define BPFGAUGE_COST_RUN_H

#include <stdbool.h>
#include <stddef.h>

#include "bench/runner.h"
#include "prog_stats.h"
#include "tracer.h"
#include "workloads/workload.h"

#define COST_MAX_WORKLOADS BENCH_EXTRA
#define COST_MAX_PROGS 32
#define COST_MAX_REPS 64
#define COST_DEFAULT_WORKLOADS "syscall,file-read,pipe-pingpong,fork-exec,udp-pingpong,fio-randread"
/* A tracer this slow to be ready is bracketed: started once, not once per traced run. */
#define COST_BRACKET_READY_S 5.0

enum { COST_UNTRACED, COST_TRACED, COST_ATTRIBUTED, COST_NR_CONDS };

/* One of the tracer's programs, summed over the traced runs of one workload. */
struct cost_prog {
	char name[16], type[32], hook[160]; /* told apart by these: ids change per start */
	unsigned char tag[8];
	unsigned long long runs, run_ns;
};

struct cost_workload {
	const struct workload *w;
	void *state;
	char skipped[256]; /* why it does not run here; "" when it does */
	/* Sums over the traced runs. */
	double traced_ops, traced_s, tracer_cpu_us;
	bool cpu_known; /* its cgroup's cpu.stat was read */
	struct cost_prog progs[COST_MAX_PROGS];
	int nr_progs;
	bool progs_lost; /* more programs than COST_MAX_PROGS */
	double drift_pct; /* bracketed: untraced after vs before, in %; NAN otherwise */
};

struct cost {
	/* Input. */
	const char *const *names; /* workload names */
	int nr;
	int reps;
	struct workload_opts o;
	double ready_after, ready_timeout;
	const char *object; /* a BPF object file to hold instead of the command */
	bool bracket;	    /* bracketed even when the tracer is quick to start */
	/* Where progress goes (bench_ctx.progress, priv); NULL: a live line on a terminal. */
	void (*progress)(struct bench_ctx *c, const char *fmt, ...);
	void *progress_priv;
	/* State and results. */
	struct cost_workload ws[COST_MAX_WORKLOADS];
	struct tracer t;
	struct tracer_cmd cmd;
	int stats_fd; /* run-time stats on while >= 0 */
	/* COST_UNTRACED, COST_TRACED, COST_ATTRIBUTED: extra[i] = workload i's ops/s */
	struct bench_cond conds[COST_NR_CONDS];
	int reps_done;
	int attributed_runs; /* in the current loop: the first is its warm-up */
	double ready_s; /* how long its first start took to be ready */
	bool bracketed; /* the method: bracketed, else interleaved */
	bool stats_seen; /* some program reported run-time stats */
};

int cost_run(struct cost *c, char **argv, char *err, size_t sz);

/* How much longer an operation takes traced, in %: 3x as long is 200. */
static inline double cost_slowdown_pct(double untraced_ops_per_s, double traced_ops_per_s)
{
	return 100 * (untraced_ops_per_s / traced_ops_per_s - 1);
}
void cost_release(struct cost *c);

#endif
