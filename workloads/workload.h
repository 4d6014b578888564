/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Workloads: something that does a fixed kind of work and reports its own throughput.
 * A workload is a const descriptor registered in workloads/workloads.def.
 *
 *   setup(opts, &state, why)   prepare once (files, namespaces, tools). -EOPNOTSUPP means it
 *                              does not apply here (fio not installed, no O_DIRECT ...) and
 *                              'why' says so: benchmarks then record it as skipped
 *   run(state, opts, &result)  one measured repetition: for opts->seconds (or opts->ops
 *                              operations), filling ops, seconds and ops_per_s
 *   teardown(state)            remove everything setup made; accepts NULL
 *   pid(state)                 the process whose events the workload fires (its tgid), for
 *                              BPF filters and hit counts; 0 when it is this process; -1
 *                              when no one process is known before run() (fio, stress-ng:
 *                              their processes live only during run())
 *
 * Built-in workloads run in this process or in children they own; children never outlive
 * teardown() (and die with a killed parent: PR_SET_PDEATHSIG).
 */
#ifndef BPFGAUGE_WORKLOAD_H
#define BPFGAUGE_WORKLOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <jansson.h>

struct workload_opts {
	double seconds;		/* run for this long (used when ops is 0) */
	long ops;		/* or exactly this many operations */
	int cpu;		/* pin to this CPU; -1: no pinning */
	const char *workdir;	/* where file workloads put their files (exists, writable) */
	/* A known extra cost, for testing comparisons: this percentage (0-100) of operations
	 * does its work twice. Only workloads with takes_extra_pct honour it; others ignore it. */
	int extra_pct;
};

struct workload_result {
	double ops;		/* operations done */
	double seconds;		/* wall time of the measured part */
	double ops_per_s;
	json_t *extra;		/* workload-specific numbers (fio: iops, bw, clat), owned; or NULL */
};

struct workload {
	const char *name;
	const char *summary;
	const char *fires;	/* what each operation fires, e.g. "sys_enter getppid" */
	int (*setup)(const struct workload_opts *o, void **state, char *why, size_t sz);
	int (*run)(void *state, const struct workload_opts *o, struct workload_result *r);
	void (*teardown)(void *state);
	pid_t (*pid)(void *state);
	bool takes_extra_pct;	/* honours workload_opts.extra_pct */
};

extern const struct workload *const workload_registry[];
extern const size_t workload_registry_len;
const struct workload *workload_find(const char *name);
void workload_result_release(struct workload_result *r);

#define DEFINE_WORKLOAD(id, name_, summary_, fires_, setup_, run_, teardown_, pid_)          \
	const struct workload workload_##id = {                                              \
		.name = name_, .summary = summary_, .fires = fires_, .setup = setup_,        \
		.run = run_, .teardown = teardown_, .pid = pid_,                             \
	}

#endif
