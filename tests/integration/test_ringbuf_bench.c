// SPDX-License-Identifier: GPL-2.0
/*
 * ringbuf-vs-perfbuf through its descriptor: the shape of its metrics (names, units,
 * samples, statuses and reasons, never their size), and exact accounting of every sample
 * for a fixed number of trigger calls. Whether this kernel has each buffer is asked of
 * bpftool's own feature probe, not of bpfgauge.
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/bpf.h>
#include <linux/perf_event.h>

#include "bench/benchmark.h"
#include "bench/benchmarks/ringbuf_session.h"
#include "integration.h"
#include "result/metric.h"
#include "support.h"

#define BENCH "ringbuf-vs-perfbuf"

static const char *const variants[] = {
	"ringbuf-reserve-1p", "ringbuf-reserve-2p", "ringbuf-output-1p",
	"ringbuf-output-2p",  "perfbuf-1p",	    "perfbuf-2p",
};
#define NR_VARIANTS (sizeof(variants) / sizeof(variants[0]))

static bool is_perfbuf(const char *variant)
{
	return !strncmp(variant, "perfbuf", 7);
}

static int producers_of(const char *variant)
{
	return variant[strlen(variant) - 2] - '0';
}

/*
 * bpftool's feature probe: whether the map type exists and raw_tracepoint programs may call
 * the helper. Probed once per buffer kind.
 */
static bool evidence_buffer(bool perfbuf)
{
	static int known[2] = { -1, -1 };
	char cmd[512], *out;
	int st;

	if (known[perfbuf] >= 0)
		return known[perfbuf];
	snprintf(cmd, sizeof(cmd),
		 "bpftool feature probe kernel 2>/dev/null | awk '"
		 "/map_type %s is available/ { map = 1 } "
		 "/helpers supported for program type / { raw = /type raw_tracepoint:/ } "
		 "raw && $2 == \"%s\" { helper = 1 } "
		 "END { print (map && helper) ? \"yes\" : \"no\" }'",
		 perfbuf ? "perf_event_array" : "ringbuf",
		 perfbuf ? "bpf_perf_event_output" : "bpf_ringbuf_reserve");
	out = sh(cmd, &st);
	cr_assert_eq(st, 0, "bpftool feature probe: %s", out);
	known[perfbuf] = !strcmp(out, "yes\n");
	free(out);
	return known[perfbuf];
}

static struct metric *expect(struct metric_set *set, const char *name, const char *unit,
			     enum metric_better better)
{
	struct metric *m = metric_find(set, name);

	cr_assert_not_null(m, "no metric '%s'", name);
	cr_assert_str_eq(m->unit, unit, "%s", name);
	cr_assert_eq(m->better, better, "%s", name);
	return m;
}

Test(ringbuf_bench, every_variant_has_its_metrics_with_one_sample_per_rep)
{
	struct bench_params p = { .reps = 2, .seconds = 0.2, .cpu = -1 };
	struct metric_set set = {};
	struct metric *m;
	char name[128];

	if (!evidence_root())
		cr_skip_test("needs root");
	bench_run_ok(BENCH, &p, &set);

	m = expect(&set, BENCH "/syscall/untraced_ops_per_s", "ops/s", BETTER_HIGHER);
	cr_assert_str_eq(m->status, "ok", "%s", m->reason);
	cr_assert_eq(m->n, 2);
	for (size_t i = 0; i < m->n; i++)
		cr_assert_gt(m->samples[i], 0);

	for (size_t v = 0; v < NR_VARIANTS; v++) {
		struct metric *ev, *dp;

		snprintf(name, sizeof(name), BENCH "/%s/events_per_s", variants[v]);
		ev = expect(&set, name, "events/s", BETTER_HIGHER);
		snprintf(name, sizeof(name), BENCH "/%s/drop_pct", variants[v]);
		dp = expect(&set, name, "%", BETTER_LOWER);
		if (!evidence_buffer(is_perfbuf(variants[v]))) {
			/* Not measurable here: the probe check's verdict, and no samples. */
			cr_assert_str_neq(ev->status, "ok", "%s", variants[v]);
			cr_assert_str_eq(ev->status, dp->status);
			cr_assert_eq(ev->n + dp->n, 0);
			cr_assert(strstr(ev->reason, is_perfbuf(variants[v]) ?
					 "probe check 'perfbuf'" : "probe check 'ringbuf'"),
				  "%s: %s", variants[v], ev->reason);
			continue;
		}
		cr_assert_str_eq(ev->status, "ok", "%s: %s", variants[v], ev->reason);
		cr_assert_str_eq(dp->status, "ok", "%s: %s", variants[v], dp->reason);
		cr_assert_eq(ev->n, 2, "%s", variants[v]);
		cr_assert_eq(dp->n, 2, "%s", variants[v]);
		for (size_t i = 0; i < 2; i++) {
			cr_assert_gt(ev->samples[i], 0, "%s", variants[v]);
			cr_assert(dp->samples[i] >= 0 && dp->samples[i] <= 100, "%s: %f",
				  variants[v], dp->samples[i]);
		}
	}
	/* Nothing else: 6 variants x 2 measures and the untraced rate. */
	cr_assert_eq(set.n, 2 * NR_VARIANTS + 1);
	metric_set_release(&set);
}

Test(ringbuf_bench, runs_only_the_variants_asked_for)
{
	struct bench_params p = { .reps = 2, .seconds = 0.05, .cpu = -1,
				  .variants = { "perfbuf-1p" }, .nr_variants = 1 };
	struct metric_set set = {};

	if (!evidence_root())
		cr_skip_test("needs root");
	bench_run_ok(BENCH, &p, &set);
	cr_assert_eq(set.n, 3);
	cr_assert_not_null(metric_find(&set, BENCH "/syscall/untraced_ops_per_s"));
	cr_assert_not_null(metric_find(&set, BENCH "/perfbuf-1p/events_per_s"));
	cr_assert_not_null(metric_find(&set, BENCH "/perfbuf-1p/drop_pct"));
	metric_set_release(&set);
}

/* With the consumer draining while producers run: every counted call is received or dropped. */
Test(ringbuf_bench, received_plus_dropped_is_what_the_program_counted)
{
	const long calls = 30000;

	if (!evidence_root())
		cr_skip_test("needs root");
	for (size_t v = 0; v < NR_VARIANTS; v++) {
		struct ringbuf_bench_counts c;
		char why[256];
		int err;

		if (!evidence_buffer(is_perfbuf(variants[v])))
			continue;
		err = ringbuf_bench_count(variants[v], calls, false, &c, why, sizeof(why));
		cr_assert_eq(err, 0, "%s: %s", variants[v], why);
		cr_assert_eq(c.calls, (unsigned long long)calls * producers_of(variants[v]),
			     "%s", variants[v]);
		/* One producer cannot be preempted by itself inside the program: it sees all. */
		if (producers_of(variants[v]) == 1)
			cr_assert_eq(c.seen, c.calls, "%s: %llu of %llu", variants[v], c.seen,
				     c.calls);
		cr_assert(c.seen > 0 && c.seen <= c.calls, "%s: %llu of %llu", variants[v],
			  c.seen, c.calls);
		cr_assert_eq(c.delivered + c.dropped, c.seen,
			     "%s: %llu received + %llu dropped, %llu counted", variants[v],
			     c.delivered, c.dropped, c.seen);
		cr_assert_leq(c.in_window, c.delivered, "%s", variants[v]);
	}
}

static unsigned long round8(unsigned long n)
{
	return (n + 7) / 8 * 8;
}

/*
 * With nobody reading, a buffer keeps exactly as many samples as fit and the kernel counts
 * every other call as dropped. Record sizes from the UAPI: a ring buffer record is an
 * 8-byte header and the sample, 8-aligned; a perf raw sample is a perf_event_header, a u32
 * size and the data, 8-aligned, in each CPU's buffer. This thread is pinned to one CPU so
 * that the producer (which inherits it) fills exactly one perf buffer.
 */
Test(ringbuf_bench, a_full_buffer_keeps_what_fits_and_counts_the_rest_dropped)
{
	static const char *const held[] = { "ringbuf-reserve-1p", "ringbuf-output-1p",
					     "perfbuf-1p" };
	unsigned long ring_fits = RB_BENCH_RINGBUF_BYTES /
				  round8(BPF_RINGBUF_HDR_SZ + RB_BENCH_SAMPLE_BYTES);
	unsigned long perf_fits = RB_BENCH_PERFBUF_PAGES * sysconf(_SC_PAGESIZE) /
				  round8(sizeof(struct perf_event_header) + sizeof(__u32) +
					 RB_BENCH_SAMPLE_BYTES);
	const long calls = 20000;
	cpu_set_t saved, one;

	if (!evidence_root())
		cr_skip_test("needs root");
	cr_assert_lt(ring_fits, calls);
	cr_assert_lt(perf_fits, calls);
	cr_assert_eq(sched_getaffinity(0, sizeof(saved), &saved), 0);
	CPU_ZERO(&one);
	for (int cpu = 0; cpu < CPU_SETSIZE; cpu++)
		if (CPU_ISSET(cpu, &saved)) {
			CPU_SET(cpu, &one);
			break;
		}
	cr_assert_eq(sched_setaffinity(0, sizeof(one), &one), 0);
	for (size_t v = 0; v < sizeof(held) / sizeof(held[0]); v++) {
		unsigned long fits = is_perfbuf(held[v]) ? perf_fits : ring_fits;
		struct ringbuf_bench_counts c;
		char why[256];
		int err;

		if (!evidence_buffer(is_perfbuf(held[v])))
			continue;
		err = ringbuf_bench_count(held[v], calls, true, &c, why, sizeof(why));
		cr_assert_eq(err, 0, "%s: %s", held[v], why);
		cr_assert_eq(c.seen, (unsigned long long)calls, "%s", held[v]);
		cr_assert_eq(c.in_window, 0, "%s", held[v]);
		cr_assert_eq(c.delivered, fits, "%s: %llu received, %lu fit", held[v],
			     c.delivered, fits);
		cr_assert_eq(c.dropped, calls - fits, "%s: %llu dropped", held[v], c.dropped);
	}
	sched_setaffinity(0, sizeof(saved), &saved);
}

Test(ringbuf_bench, unknown_variant_is_einval)
{
	struct ringbuf_bench_counts c;
	char why[256];

	cr_assert_eq(ringbuf_bench_count("ringbuf-reserve-3p", 10, false, &c, why, sizeof(why)),
		     -EINVAL);
	cr_assert_str_eq(why, "no such variant");
}
