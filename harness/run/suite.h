/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Suite files (suites/NAME.suite): INI, the same shape as fio job files. UTF-8 text of at
 * most 1 MiB, each section once and each key once in its section (suite_text.h), that runs
 * at least one check, benchmark or cost section.
 *
 *   [suite]              description, reps (1 to SUITE_MAX_REPS), seconds (above 0, at most
 *                        3600), cpu (an online CPU, -1 for none, or auto: the last online
 *                        CPU when there are two or more; the default), threshold (default 5%)
 *   [checks]             run = all | none | a,b,c    require = a,b (must pass, else exit 1);
 *                        a long list goes on over indented lines (lines stop at 198 characters)
 *   [bench NAME]         one per benchmark, in the order they run: variants = a,b (default:
 *                        all the benchmark knows), reps, seconds, cpu (override [suite]);
 *                        inject_extra_pct = P (0-100): a known extra cost for testing
 *                        comparisons: P % of the 'syscall' workload's operations make a
 *                        second getppid, so its ops/s drop to 1 / (1 + P/100). Only for
 *                        benchmarks that pass it on (attach-overhead, workload-throughput)
 *                        with a variant that runs 'syscall'; other workloads ignore it.
 *                        A speed-up of known size: a baseline run with P, the new one without.
 *                        inject_error = ENAME (an errno name such as EIO; not EINTR): the
 *                        benchmark is not run and breaks at once with that errno, for testing
 *                        how a run and a comparison report a benchmark that broke
 *   [cost NAME]          one per tracer to measure as 'bpfgauge cost' does, after the
 *                        benchmarks, in the order they are given (NAME: letters, digits, '-',
 *                        '_'): command = TRACER ARGS... (required; split as a shell would,
 *                        no command substitution; one line: a ';' after a blank starts a
 *                        comment), workloads = a,b (default: cost's), budget = PCT (a
 *                        workload's median slowdown above it: exit 1), reps, seconds, cpu
 *                        (override [suite]; at most 64 reps), ready_after = S,
 *                        ready_timeout = S (default 30). Metrics cost/NAME/WORKLOAD/...
 *                        (suite_cost.h)
 *   [thresholds]         METRIC-GLOB = PERCENT, e.g. attach-overhead/ * /ns_per_event = 10%
 *
 *   suite_load(path, &s, err, sz)   0, or -EINVAL with "FILE:LINE: what is wrong" in err
 *                                   (what suite_text.h refuses: a NUL byte, text that is not
 *                                   UTF-8, a long line, a section or key given twice; unknown
 *                                   section, key, check, benchmark or variant; bad number; a
 *                                   cpu that is not online here; inject_extra_pct where no
 *                                   workload takes it; inject_error not an errno's name; a
 *                                   cost section's bad name, command or workload, or none of
 *                                   its command) or "'FILE': what is wrong" (a suite that
 *                                   runs nothing: no check, benchmark or cost section; a file
 *                                   name that is not UTF-8), -errno when unreadable (-EISDIR,
 *                                   -EFBIG above SUITE_TEXT_MAX)
 *   suite_load_guest(path, &s, cpus, err, sz)   the same for a guest of that many CPUs
 *                                   (vmtest): a cpu is checked against them
 *   suite_threshold(s, metric)      the threshold in percent for a metric name
 */
#ifndef BPFGAUGE_SUITE_H
#define BPFGAUGE_SUITE_H

#include <stdbool.h>
#include <stddef.h>

#include "bench/benchmark.h"
#include "suite_cost.h"

#define SUITE_MAX_BENCHES 16
#define SUITE_MAX_REPS 1000	/* reps, here and in 'bpfgauge run --reps' */
#define SUITE_MAX_THRESHOLDS 32

struct suite_bench {
	const struct benchmark *bench;
	struct bench_params params;
	int line;
	bool inject_set;	/* inject_extra_pct was given */
	int inject_error;	/* inject_error: break with this errno instead of running; 0 */
};

struct suite_threshold {
	char glob[128];
	double pct;
};

struct suite {
	char path[512];
	char name[64];
	char description[256];
	double threshold_pct;
	bool run_all_checks;
	bool *run_check;	/* per check_registry entry */
	bool *require_check;
	struct suite_bench benches[SUITE_MAX_BENCHES];
	size_t nr_benches;
	struct suite_cost costs[SUITE_MAX_COSTS];
	size_t nr_costs;
	struct suite_threshold thresholds[SUITE_MAX_THRESHOLDS];
	size_t nr_thresholds;
};

int suite_load(const char *path, struct suite *s, char *err, size_t errsz);
int suite_load_guest(const char *path, struct suite *s, int guest_cpus, char *err,
		     size_t errsz);
void suite_release(struct suite *s);
double suite_threshold(const struct suite *s, const char *metric);

#endif
