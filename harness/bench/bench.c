// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <string.h>
#include <jansson.h>

#include "bench.h"
#include "lib/stats.h"

static const char bench_usage[] =
	"usage: bpfgauge bench NAME [options]\n"
	"\n"
	"benchmarks:\n"
	"  tools   what syscall-latency costs per event, vs the floor (empty programs on the\n"
	"          same hooks) and bpftrace's hist() one-liner\n"
	"\n"
	"'bpfgauge bench NAME --help' explains one. 'make bench' runs them all.\n";

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

/* added / base for conditions from 'from' on, null before and when the base is not positive. */
static json_t *ratio_json(int k, int from, double added, double base)
{
	return k >= from && base > 0 ? json_real(added / base) : json_null();
}

static void fmt_ratio(char *buf, size_t sz, int k, int from, double added, double base)
{
	if (k >= from && base > 0)
		snprintf(buf, sz, "%.2f", added / base);
	else
		snprintf(buf, sz, "-");
}

void bench_print_tools(const char *const *names, int nconds, double **per_call, double **added,
		       long reps, long calls, const char *method, const char *note, bool json)
{
	struct stats_summary pc, ad, floor_ad, clock_ad;

	/* Conditions 1 and 2 are the floor and the floor with clock reads. */
	stats_summarize(added[1], reps, &floor_ad);
	stats_summarize(added[2], reps, &clock_ad);
	if (json) {
		json_t *conds = json_array(), *doc;

		for (int k = 0; k < nconds; k++) {
			json_t *samples = json_array();

			stats_summarize(per_call[k], reps, &pc);
			stats_summarize(added[k], reps, &ad);
			for (long r = 0; r < reps; r++)
				json_array_append_new(samples, json_real(per_call[k][r]));
			json_array_append_new(conds, json_pack(
				"{s:s s:f s:f s:f s:f s:f s:f s:o s:o s:o}", "name", names[k],
				"ns_per_call_median", pc.median, "ns_per_call_p25", pc.p25,
				"ns_per_call_p75", pc.p75, "added_ns_median", ad.median,
				"added_ns_p25", ad.p25, "added_ns_p75", ad.p75,
				"x_floor", ratio_json(k, 1, ad.median, floor_ad.median),
				"x_floor_clock", ratio_json(k, 2, ad.median, clock_ad.median),
				"samples_ns_per_call", samples));
		}
		doc = json_pack("{s:s s:s s:s s:I s:I s:s s:o}", "benchmark", "tools",
				"workload", "getppid loop", "method", method, "reps", (json_int_t)reps,
				"calls", (json_int_t)calls, "note", note, "conditions", conds);
		json_dumpf(doc, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		fputc('\n', stdout);
		json_decref(doc);
		return;
	}
	printf("syscall tracing cost: getppid loop, %ld calls x %ld reps (+1 warm-up, discarded), "
	       "hooks: %s\n\n", calls, reps, method);
	printf("%-16s %26s %26s %8s %14s\n", "condition", "ns/call median [p25, p75]",
	       "added ns/event [p25, p75]", "x floor", "x floor+clock");
	for (int k = 0; k < nconds; k++) {
		char a[64] = "-", x[16], xc[16];

		stats_summarize(per_call[k], reps, &pc);
		stats_summarize(added[k], reps, &ad);
		if (k > 0)
			snprintf(a, sizeof(a), "%.0f [%.0f, %.0f]", ad.median, ad.p25, ad.p75);
		fmt_ratio(x, sizeof(x), k, 1, ad.median, floor_ad.median);
		fmt_ratio(xc, sizeof(xc), k, 2, ad.median, clock_ad.median);
		printf("%-16s %8.0f [%6.0f, %6.0f]    %26s %8s %14s\n", names[k], pc.median, pc.p25,
		       pc.p75, a, x, xc);
	}
	printf("\nfloor: empty programs on the tool's hooks; floor+clock: the same reading "
	       "bpf_ktime_get_ns()\nat entry and exit, the least a latency tool must do.\n");
	if (note[0])
		printf("\nnot compared: %s\n", note);
}
