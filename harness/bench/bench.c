// SPDX-License-Identifier: GPL-2.0
/*
 * 'bpfgauge bench tools': the syscall-tools benchmark (benchmarks/syscall_tools.c) run on its
 * own, with its numbers side by side: ns per call, ns added per event, and ratios to the
 * floor and to the floor with the clock. 'make bench' runs the same benchmark through a
 * suite (suites/bench.suite) into a result.
 */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <jansson.h>

#include "bench.h"
#include "benchmark.h"
#include "benchmarks/syscall_tools.h"
#include "lib/caps.h"
#include "lib/interrupt.h"
#include "lib/libbpf_log.h"
#include "lib/numbers.h"
#include "lib/stats.h"


/* getppid calls per measurement: at 100 ns or more each, a billion is minutes per condition. */
#define MAX_CALLS 1000000000L

static const char bench_usage[] =
	"usage: bpfgauge bench NAME [options]\n"
	"\n"
	"benchmarks:\n"
	"  tools   what syscall-latency costs per event, vs the floor (empty programs on the\n"
	"          same hooks) and bpftrace's hist() one-liner\n"
	"\n"
	"'bpfgauge bench NAME --help' explains one. 'make bench' runs them all.\n";

static const char tools_usage[] =
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
	"  --calls N      getppid calls per measurement (default 200000; 1000 to 10^9)\n"
	"  --no-bpftrace  leave bpftrace out even when installed\n"
	"  --json         machine-readable output\n";

/* added / base for conditions from 'from' on; the base's own ratio is 1 by definition. */
static bool ratio(int k, int from, double added, double base, double *out)
{
	if (k < from || (k > from && !(base > 0)))
		return false;
	*out = k == from ? 1.0 : added / base;
	return true;
}

/* The conditions that ran, by enum syscall_tools_cond (NULL: left out). */
static void print_tools(struct metric **per_call, struct metric **added,
			const struct bench_params *p, const char *method, const char *note,
			bool json)
{
	struct stats_summary pc, ad, base[ST_TOOL] = {};
	json_t *conds = json_array(), *doc;
	double x;

	for (int k = ST_FLOOR; k < ST_TOOL; k++)
		stats_summarize(added[k]->samples, added[k]->n, &base[k]);
	if (!json) {
		printf("syscall tracing cost: getppid loop, %ld calls x %d reps (+1 warm-up, "
		       "discarded), hooks: %s\n\n", p->ops, p->reps, method);
		printf("%-16s %26s %26s %8s %14s\n", "condition", "ns/call median [p25, p75]",
		       "added ns/event [p25, p75]", "x floor", "x floor+clock");
	}
	for (int k = 0; k < ST_NR_CONDS; k++) {
		json_t *samples, *c;
		char a[64] = "-", xf[16] = "-", xc[16] = "-";

		if (!per_call[k])
			continue;
		samples = json_array();
		stats_summarize(per_call[k]->samples, per_call[k]->n, &pc);
		memset(&ad, 0, sizeof(ad));
		if (k > ST_NONE)
			stats_summarize(added[k]->samples, added[k]->n, &ad);
		for (size_t r = 0; r < per_call[k]->n; r++)
			json_array_append_new(samples, json_real(per_call[k]->samples[r]));
		c = json_pack("{s:s s:f s:f s:f s:f s:f s:f}", "name", syscall_tools_conds[k],
			      "ns_per_call_median", pc.median, "ns_per_call_p25", pc.p25,
			      "ns_per_call_p75", pc.p75, "added_ns_median", ad.median,
			      "added_ns_p25", ad.p25, "added_ns_p75", ad.p75);
		json_object_set_new(c, "x_floor", ratio(k, ST_FLOOR, ad.median, base[ST_FLOOR].median, &x) ?
				    json_real(x) : json_null());
		if (ratio(k, ST_FLOOR, ad.median, base[ST_FLOOR].median, &x))
			snprintf(xf, sizeof(xf), "%.2f", x);
		json_object_set_new(c, "x_floor_clock",
				    ratio(k, ST_CLOCK, ad.median, base[ST_CLOCK].median, &x) ?
				    json_real(x) : json_null());
		if (ratio(k, ST_CLOCK, ad.median, base[ST_CLOCK].median, &x))
			snprintf(xc, sizeof(xc), "%.2f", x);
		json_object_set_new(c, "samples_ns_per_call", samples);
		json_array_append_new(conds, c);
		if (json)
			continue;
		if (k > ST_NONE)
			snprintf(a, sizeof(a), "%.0f [%.0f, %.0f]", ad.median, ad.p25, ad.p75);
		printf("%-16s %8.0f [%6.0f, %6.0f]    %26s %8s %14s\n", syscall_tools_conds[k], pc.median, pc.p25,
		       pc.p75, a, xf, xc);
	}
	if (json) {
		doc = json_pack("{s:s s:s s:s s:I s:I s:s s:O}", "benchmark", "tools", "workload",
				"getppid loop", "method", method, "reps", (json_int_t)p->reps,
				"calls", (json_int_t)p->ops, "note", note, "conditions", conds);
		json_dumpf(doc, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		fputc('\n', stdout);
		json_decref(doc);
	} else {
		printf("\nfloor: empty programs on the tool's hooks; floor+clock: the same reading "
		       "bpf_ktime_get_ns()\nat entry and exit, the least a latency tool must do.\n");
		if (note[0])
			printf("\nnot compared: %s\n", note);
	}
	json_decref(conds);
}

__attribute__((format(printf, 2, 3)))
static void progress(struct bench_ctx *c, const char *fmt, ...)
{
	char line[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (isatty(STDERR_FILENO))
		fprintf(stderr, "\r\033[K%s", line);
	else if (strstr(line, " rep ") && !strcmp(strrchr(line, ' ') + 1, syscall_tools_conds[ST_NONE]))
		fprintf(stderr, "%s\n", line);
	(void)c;
}

static int parse(int argc, char **argv, struct bench_params *p, bool *bpftrace, bool *json)
{
	static const struct option opts[] = {
		{ "reps", required_argument, NULL, 'r' },
		{ "calls", required_argument, NULL, 'n' },
		{ "no-bpftrace", no_argument, NULL, 'B' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{},
	};
	int opt;

	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (opt) {
		case 'r':
			if (parse_int(optarg, 1, 1000, &p->reps)) {
				fprintf(stderr, "bpfgauge bench tools: --reps takes a whole "
					"number from 1 to 1000, not '%s'\n", optarg);
				return 2;
			}
			break;
		case 'n':
			if (parse_long(optarg, 1000, MAX_CALLS, &p->ops)) {
				fprintf(stderr, "bpfgauge bench tools: --calls takes a whole "
					"number from 1000 to %ld, not '%s'\n", MAX_CALLS, optarg);
				return 2;
			}
			break;
		case 'B': *bpftrace = false; break;
		case 'j': *json = true; break;
		case 'h': fputs(tools_usage, stdout); return 0;
		default:
			fprintf(stderr, "bpfgauge bench tools: unknown option '%s'\n",
				argv[optind - 1]);
			return 2;
		}
	}
	return -1;
}

static int bench_tools(int argc, char **argv)
{
	struct bench_params p = { .reps = 7, .ops = 200000, .cpu = -1,
				  .variants = { "floor", "floor+clock", "syscall-latency" },
				  .nr_variants = 3 };
	struct metric_set set = {};
	struct bench_ctx c = { .metrics = &set, .progress = progress };
	struct metric *per_call[ST_NR_CONDS] = {}, *added[ST_NR_CONDS] = {};
	bool bpftrace = true, json = false;
	const char *missing, *note = "";
	char name[128];
	int ret;

	ret = parse(argc, argv, &p, &bpftrace, &json);
	if (ret >= 0)
		return ret;
	if ((missing = caps_missing_for_bpf())) {
		fprintf(stderr, "bpfgauge bench tools: needs %s; run it as root\n", missing);
		return 2;
	}
	if (bpftrace)
		p.variants[p.nr_variants++] = "bpftrace";
	libbpf_log_setup(false);
	interrupt_setup();
	ret = benchmark_find("syscall-tools")->run(&p, &c);
	if (isatty(STDERR_FILENO))
		fprintf(stderr, "\r\033[K");
	if (ret || interrupted()) {
		fprintf(stderr, "bpfgauge bench tools: %s\n", interrupted() ? "interrupted" :
			strerror(-ret));
		ret = interrupted() ? 130 : 2;
		goto cleanup;
	}
	for (int k = 0; k < ST_NR_CONDS; k++) {
		struct metric *m;

		snprintf(name, sizeof(name), "syscall-tools/%s/ns_per_call", syscall_tools_conds[k]);
		m = metric_find(&set, name);
		if (!m)
			continue;
		if (!strcmp(m->status, "skipped")) {
			note = m->reason;
			continue;
		}
		if (strcmp(m->status, "ok")) {
			/* The untraced run's reason is everyone's (it breaks them all): it says who. */
			fprintf(stderr, "bpfgauge bench tools: %s%s%s\n",
				k == ST_NONE ? "" : syscall_tools_conds[k], k == ST_NONE ? "" : ": ",
				m->reason);
			ret = 2;
			goto cleanup;
		}
		per_call[k] = m;
		snprintf(name, sizeof(name), "syscall-tools/%s/added_ns", syscall_tools_conds[k]);
		added[k] = metric_find(&set, name);
	}
	print_tools(per_call, added, &p, c.note, note, json);
cleanup:
	metric_set_release(&set);
	return ret;
}

int cmd_bench(int argc, char **argv)
{
	if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		fputs(bench_usage, argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	if (!strcmp(argv[1], "tools"))
		return bench_tools(argc - 1, argv + 1);
	fprintf(stderr, "bpfgauge bench: unknown benchmark '%s'; see 'bpfgauge bench --help'\n",
		argv[1]);
	return 2;
}
