/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Conditions that benchmarks share (runner.h), each a struct with its own state; the
 * functions give the struct bench_cond that runs it:
 *
 *   floor_cond(name, &fc)      empty programs on the hooks of fc.rep (attach/floor.h), with
 *                              the clock when fc.opts.clock; fc.rep must outlive the runs
 *   tool_cond(name, &tc)       a measurement tool (tools/tool.h) with tc.opts; what it
 *                              recorded in a run is the count of its histograms
 *   tool_cond_report(&tc, &rep, why, sz)   starts the tool once for its report (the method
 *                              and hooks it takes here, for its floor); 0 or its -errno
 *   bpftrace_cond(name, &bc)   a bpftrace program (bench/bpftrace.h), bc.prog
 */
#ifndef BPFGAUGE_CONDS_H
#define BPFGAUGE_CONDS_H

#include <stddef.h>

#include "attach/floor.h"
#include "bpftrace.h"
#include "runner.h"
#include "tools/tool.h"

struct floor_cond {
	const struct tool_report *rep;
	struct floor_opts opts;
	struct floor f;
};

struct tool_cond {
	const struct tool *tool;
	struct trace_opts opts;
	void *state;
};

struct bpftrace_cond {
	const char *prog;
	struct bpftrace bt;
};

struct bench_cond floor_cond(const char *name, struct floor_cond *fc);
struct bench_cond tool_cond(const char *name, struct tool_cond *tc);
int tool_cond_report(struct tool_cond *tc, struct tool_report *rep, char *why, size_t sz);
struct bench_cond bpftrace_cond(const char *name, struct bpftrace_cond *bc);

#endif
