// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <string.h>
#include <jansson.h>

#include "bench.h"
#include "stats.h"

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

void bench_print_tools(const char *const *names, int nconds, double **per_call, double **added,
		       long reps, long calls, const char *method, const char *note, bool json)
{
	struct stats_summary pc, ad, floor_ad;

	stats_summarize(added[1], reps, &floor_ad);
	if (json) {
		json_t *conds = json_array(), *doc;

		for (int k = 0; k < nconds; k++) {
			json_t *samples = json_array();

			stats_summarize(per_call[k], reps, &pc);
			stats_summarize(added[k], reps, &ad);
			for (long r = 0; r < reps; r++)
				json_array_append_new(samples, json_real(per_call[k][r]));
			json_array_append_new(conds, json_pack(
				"{s:s s:f s:f s:f s:f s:f s:f s:f s:o}", "name", names[k],
				"ns_per_call_median", pc.median, "ns_per_call_p25", pc.p25,
				"ns_per_call_p75", pc.p75, "added_ns_median", ad.median,
				"added_ns_p25", ad.p25, "added_ns_p75", ad.p75,
				"x_floor", k > 1 && floor_ad.median > 0 ? ad.median / floor_ad.median :
				k == 1 ? 1.0 : 0.0, "samples_ns_per_call", samples));
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
	printf("%-18s %26s %28s %8s\n", "condition", "ns/call median [p25, p75]",
	       "added ns/event [p25, p75]", "x floor");
	for (int k = 0; k < nconds; k++) {
		char a[64] = "-", x[16] = "-";

		stats_summarize(per_call[k], reps, &pc);
		stats_summarize(added[k], reps, &ad);
		if (k > 0)
			snprintf(a, sizeof(a), "%.0f [%.0f, %.0f]", ad.median, ad.p25, ad.p75);
		if (k > 0 && floor_ad.median > 0)
			snprintf(x, sizeof(x), "%.2f", ad.median / floor_ad.median);
		printf("%-18s %8.0f [%6.0f, %6.0f]      %28s %8s\n", names[k], pc.median, pc.p25,
		       pc.p75, a, x);
	}
	if (note[0])
		printf("\nnot compared: %s\n", note);
}
