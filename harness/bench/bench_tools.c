// SPDX-License-Identifier: GPL-2.0
#define _GNU_SOURCE
/*
 * 'bpfgauge bench tools': what syscall-latency costs per event on this machine, next to
 * nothing attached, empty programs on the same hooks (the floor) and bpftrace's hist()
 * one-liner doing the same job. Conditions are interleaved within each repetition and the
 * added cost is taken against the same repetition's untraced run, so drift cancels.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "attach/methods.h"
#include "bench.h"
#include "bpftrace.h"
#include "empty.skel.h"
#include "lib/caps.h"
#include "lib/interrupt.h"
#include "lib/libbpf_log.h"
#include "lib/stats.h"
#include "tools/tool.h"

enum cond { C_NONE, C_FLOOR, C_CLOCK, C_TOOL, C_BPFTRACE, NR_COND };

struct bench_ctx {
	const struct tool *tool;
	const char *method;			/* the tool's method; the floor uses the same */
	struct empty_bpf *floor;
	struct bpf_link *links[METHOD_MAX_PROGS];
	void *tool_state;
	struct bpftrace bpftrace;
};

/* Per hook kind: empty programs, and programs that only read the clock. */
static const struct attach_method floor_methods[][2] = {
	{ { "tp_btf", { "enter_btf", "exit_btf" } },
	  { "tp_btf", { "enter_clock_btf", "exit_clock_btf" } } },
	{ { "raw_tp", { "enter_raw", "exit_raw" } },
	  { "raw_tp", { "enter_clock_raw", "exit_clock_raw" } } },
	{ { "tracepoint", { "enter_tp", "exit_tp" } },
	  { "tracepoint", { "enter_clock_tp", "exit_clock_tp" } } },
};

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static double getppid_loop(long calls)
{
	double start = now_ns();

	for (long i = 0; i < calls; i++)
		syscall(SYS_getppid);
	return (now_ns() - start) / calls;
}

/* The floor on the tool's hooks: empty programs, or with 'clock' programs reading the clock. */
static int floor_attach(struct bench_ctx *c, bool clock, char *err, size_t sz)
{
	for (size_t i = 0; i < sizeof(floor_methods) / sizeof(floor_methods[0]); i++) {
		const struct attach_method *m = &floor_methods[i][clock];
		int ret;

		if (strcmp(m->name, c->method))
			continue;
		c->floor = empty_bpf__open();
		if (!c->floor) {
			snprintf(err, sz, "open 'empty' BPF object: %s", strerror(errno));
			return -errno;
		}
		ret = method_load_attach(c->floor->obj, m, c->links, err, sz);
		if (ret) {
			empty_bpf__destroy(c->floor);
			c->floor = NULL;
		}
		return ret;
	}
	snprintf(err, sz, "no empty programs for method '%s'", c->method);
	return -ENOENT;
}

static void floor_detach(struct bench_ctx *c)
{
	method_links_destroy(c->links);
	empty_bpf__destroy(c->floor);
	c->floor = NULL;
}

static int cond_attach(struct bench_ctx *c, enum cond k, char *err, size_t sz)
{
	struct trace_opts o = {};

	switch (k) {
	case C_NONE: return 0;
	case C_FLOOR: return floor_attach(c, false, err, sz);
	case C_CLOCK: return floor_attach(c, true, err, sz);
	case C_TOOL: return c->tool->start(&o, &c->tool_state, err, sz);
	case C_BPFTRACE: return bpftrace_start(&c->bpftrace, BPFTRACE_SYSCALL_HIST, err, sz);
	default: return -EINVAL;
	}
}

static void cond_detach(struct bench_ctx *c, enum cond k)
{
	switch (k) {
	case C_FLOOR:
	case C_CLOCK: floor_detach(c); break;
	case C_TOOL: c->tool->stop(c->tool_state); c->tool_state = NULL; break;
	case C_BPFTRACE: bpftrace_stop(&c->bpftrace); break;
	default: break;
	}
}

static const char bench_usage[] =
	"usage: bpfgauge bench tools [--reps N] [--calls N] [--no-bpftrace] [--json]\n"
	"\n"
	"What syscall-latency costs per syscall here, next to nothing attached, empty programs\n"
	"on the same hooks (the floor), the same with two clock reads (floor+clock: the least\n"
	"any latency tool must do) and bpftrace's hist() one-liner (when installed).\n"
	"Each repetition runs every condition once, in rotating order; the first repetition\n"
	"is a warm-up and is discarded. Added cost is paired with the same repetition's\n"
	"untraced run; medians with p25..p75 are reported.\n"
	"\n"
	"  --reps N       measured repetitions (default 7)\n"
	"  --calls N      getppid calls per measurement (default 200000)\n"
	"  --no-bpftrace  leave bpftrace out even when installed\n"
	"  --json         machine-readable output\n";

int bench_tools(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "reps", required_argument, NULL, 'r' },
		{ "calls", required_argument, NULL, 'n' },
		{ "no-bpftrace", no_argument, NULL, 'B' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{},
	};
	static const char *const names[NR_COND] = { "none", "floor", "floor+clock",
						    "syscall-latency", "bpftrace" };
	struct bench_ctx c = { .tool = tool_find("syscall-latency") };
	long reps = 7, calls = 200000;
	bool json = false, use_bpftrace, progress = isatty(STDERR_FILENO);
	double *per_call[NR_COND] = {}, *added[NR_COND] = {};
	struct tool_report rep = {};
	char err[256], *end, note[256] = "";
	int opt, ret = 0, nconds;
	void *probe_state = NULL;
	const char *missing;

	use_bpftrace = true;
	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (opt) {
		case 'r':
		case 'n': {
			long v = strtol(optarg, &end, 10);

			if (*end || v < (opt == 'r' ? 1 : 1000)) {
				fprintf(stderr, "bpfgauge bench tools: --%s takes a whole number >= %d, "
					"not '%s'\n", opt == 'r' ? "reps" : "calls",
					opt == 'r' ? 1 : 1000, optarg);
				return 2;
			}
			*(opt == 'r' ? &reps : &calls) = v;
			break;
		}
		case 'B': use_bpftrace = false; break;
		case 'j': json = true; break;
		case 'h': fputs(bench_usage, stdout); return 0;
		default:
			fprintf(stderr, "bpfgauge bench tools: unknown option '%s'\n",
				argv[optind - 1]);
			return 2;
		}
	}
	if ((missing = caps_missing_for_bpf())) {
		fprintf(stderr, "bpfgauge bench tools: needs %s; run it as root\n", missing);
		return 2;
	}
	if (use_bpftrace && !bpftrace_installed()) {
		use_bpftrace = false;
		snprintf(note, sizeof(note), "bpftrace is not installed");
	}
	nconds = use_bpftrace ? NR_COND : C_BPFTRACE;
	libbpf_log_setup(false);
	interrupt_setup();

	/* Which method the tool takes here decides the floor's hooks. */
	if (c.tool->start(&(struct trace_opts){}, &probe_state, err, sizeof(err))) {
		fprintf(stderr, "bpfgauge bench tools: syscall-latency: %s\n", err);
		return 2;
	}
	c.tool->read(probe_state, &rep);
	c.method = strdup(rep.method);
	tool_report_release(&rep);
	c.tool->stop(probe_state);

	for (int k = 0; k < nconds; k++) {
		per_call[k] = calloc(reps, sizeof(double));
		added[k] = calloc(reps, sizeof(double));
	}
	for (long r = -1; r < reps && !interrupted(); r++) {
		double sample[NR_COND];

		for (int i = 0; i < nconds && !interrupted(); i++) {
			enum cond k = (enum cond)((i + r + 1) % nconds);

			if (progress)
				fprintf(stderr, "\r\033[K%s %ld/%ld: %s", r < 0 ? "warm-up" : "rep",
					r < 0 ? 0 : r + 1, reps, names[k]);
			ret = cond_attach(&c, k, err, sizeof(err));
			if (ret) {
				fprintf(stderr, "%sbpfgauge bench tools: %s: %s\n", progress ? "\n" : "",
					names[k], err);
				cond_detach(&c, k);
				ret = 2;
				goto cleanup;
			}
			sample[k] = getppid_loop(calls);
			cond_detach(&c, k);
		}
		if (r < 0 || interrupted())
			continue;
		if (!progress)
			fprintf(stderr, "rep %ld/%ld done\n", r + 1, reps);
		for (int k = 0; k < nconds; k++) {
			per_call[k][r] = sample[k];
			added[k][r] = sample[k] - sample[C_NONE];
		}
	}
	if (progress)
		fprintf(stderr, "\r\033[K");
	if (interrupted()) {
		fprintf(stderr, "bpfgauge bench tools: interrupted\n");
		ret = 130;
		goto cleanup;
	}
	bench_print_tools(names, nconds, per_call, added, reps, calls, c.method, note, json);
cleanup:
	bpftrace_stop(&c.bpftrace);
	floor_detach(&c);
	free((void *)c.method);
	for (int k = 0; k < NR_COND; k++) {
		free(per_call[k]);
		free(added[k]);
	}
	return ret;
}
