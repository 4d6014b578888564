// SPDX-License-Identifier: GPL-2.0
/*
 * peer-bpftrace: the same job done by bpftrace one-liners and by our programs, on the
 * 'syscall' workload, so that reports show ours, bpftrace's and the floor side by side.
 * Variants:
 *   count  bpftrace's 'tracepoint:raw_syscalls:sys_enter { @[args->id] = count(); }' vs
 *          ours, a per-CPU array of counts per syscall number (bpf/count_syscalls.bpf.c)
 *   hist   bpftrace's syscall latency hist() one-liner (bpftrace.h, as 'bench tools' runs
 *          it) vs ours, syscall-latency
 * Conditions (runner.h: warm-up discarded, order rotating per repetition): none, and
 * for each variant the floor (empty programs on our programs' hooks, attached the same way:
 * floor.h), ours and bpftrace. Metrics, per repetition, paired with its untraced run:
 *   VARIANT/ours_ns_per_event, VARIANT/bpftrace_ns_per_event, VARIANT/floor_ns_per_event
 *       added ns per operation / events per operation, the events being what ours recorded
 *       in its run of the same repetition (the same hook fires as often for all three)
 *   syscall/untraced_ops_per_s
 * Ours are filtered by this process, as every program of bpfgauge is; the one-liners, as
 * people run them, are not (their maps then hold other processes' syscalls too).
 * Ours' kernel memory: count, a per-CPU array of 512 x 8 bytes; hist, syscall-latency's
 * (see 'bpfgauge trace syscall-latency --help'). The floor has no maps.
 *
 * bpftrace not in PATH: every metric 'skipped', "bpftrace is not installed".
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "attach/method_why.h"
#include "bench/benchmark.h"
#include "bench/bpftrace.h"
#include "bench/conds.h"
#include "bench/runner.h"
#include "count_syscalls.skel.h"
#include "tools/tool.h"
#include "tools/tool_common.h"
#include "tools/tool_session.h"
#include "workloads/workload.h"

#define BENCH "peer-bpftrace"
#define MAX_SYSCALLS 512	/* as in count_syscalls.bpf.c */
#define MAX_CONDS (1 + 3 * 2)

static const struct attach_method counter_methods[] = {
	{ "tp_btf", { "count_btf" } },
	{ "raw_tp", { "count_raw" } },
	{ "tracepoint", { "count_tp" } },
};

static void *counter_open(const struct trace_opts *o, struct bpf_object **obj)
{
	struct count_syscalls_bpf *skel = count_syscalls_bpf__open();

	if (!skel)
		return NULL;
	TOOL_FILTER_SET(skel, o);
	*obj = skel->obj;
	return skel;
}

static void counter_destroy(void *skel)
{
	count_syscalls_bpf__destroy(skel);
}

static const struct tool_bpf counter_bpf = {
	.name = "count_syscalls",
	.methods = counter_methods,
	.nr_methods = sizeof(counter_methods) / sizeof(counter_methods[0]),
	.open = counter_open,
	.destroy = counter_destroy,
	.explain = method_why_explain,
};

/* Ours for 'count': the counter, started and stopped like a tool, counting every syscall. */
struct counter {
	struct trace_opts opts;
	void *state;
};

static int counter_attach(void *ctx, char *why, size_t sz)
{
	struct counter *c = ctx;

	return tool_session_new(&counter_bpf, &c->opts, &c->state, why, sz);
}

/* Every syscall counted, summed over numbers and CPUs. */
static int counter_count(void *ctx, double *events, char *why, size_t sz)
{
	struct counter *c = ctx;
	struct tool_session *s = c->state;
	struct count_syscalls_bpf *skel = s->skel;
	int ncpu = libbpf_num_possible_cpus(), fd = bpf_map__fd(skel->maps.counts), err = 0;
	__u64 *v;

	if (ncpu < 0)
		return ncpu;
	v = calloc(ncpu, sizeof(*v));
	if (!v)
		return -ENOMEM;
	*events = 0;
	for (__u32 key = 0; key < MAX_SYSCALLS && !err; key++) {
		if (bpf_map_lookup_elem(fd, &key, v)) {
			err = -errno;
			snprintf(why, sz, "read the counts of count_syscalls: %s", strerror(-err));
			break;
		}
		for (int cpu = 0; cpu < ncpu; cpu++)
			*events += v[cpu];
	}
	free(v);
	return err;
}

static void counter_detach(void *ctx)
{
	struct counter *c = ctx;

	tool_session_free(c->state);
	c->state = NULL;
}

static const struct variant {
	const char *name;
	const char *bpftrace_prog;
	const char *ours;	/* a tool of the registry, or the counter */
} variants[] = {
	{ "count", BPFTRACE_SYSCALL_COUNT, "count_syscalls" },
	{ "hist", BPFTRACE_SYSCALL_HIST, "syscall-latency" },
};
#define NR_VARIANTS (sizeof(variants) / sizeof(variants[0]))

static const char *const variant_names[NR_VARIANTS + 1] = { "count", "hist", NULL };

/* A variant's three traced conditions. */
struct peer {
	const struct variant *v;
	struct tool_cond tool;		/* ours when it is a tool */
	struct counter counter;		/* ours otherwise */
	struct tool_report rep;		/* ours, from a first start: its hooks */
	struct floor_cond floor;
	struct bpftrace_cond bt;
};

/* Ours as a condition of the runner. */
static struct bench_cond ours_cond(struct peer *p)
{
	if (p->tool.tool)
		return tool_cond(p->v->ours, &p->tool);
	return (struct bench_cond){ .name = p->v->ours, .attach = counter_attach,
				    .count = counter_count, .detach = counter_detach,
				    .ctx = &p->counter };
}

/* Starts ours once for its report (the hooks of the method it takes here). */
static int peer_init(struct peer *p, const struct variant *v, char *why, size_t sz)
{
	int err;

	memset(p, 0, sizeof(*p));
	p->v = v;
	p->tool = (struct tool_cond){ .tool = tool_find(v->ours), .opts = { .pid = getpid() } };
	p->counter.opts.pid = getpid();
	p->floor = (struct floor_cond){ .rep = &p->rep, .opts = { .pid = getpid() } };
	p->bt.prog = v->bpftrace_prog;
	if (p->tool.tool)
		return tool_cond_report(&p->tool, &p->rep, why, sz);
	err = counter_attach(&p->counter, why, sz);
	if (!err)
		tool_session_report(p->counter.state, &p->rep);
	counter_detach(&p->counter);
	return err;
}

struct variant_metrics {
	struct metric *ours, *bpftrace, *floor;
};

static void unavailable(struct metric *m, const char *status, const char *who, const char *why)
{
	char text[sizeof(m->reason)];

	snprintf(text, sizeof(text), "%.40s%s%.200s", who ? who : "", who ? ": " : "", why);
	metric_unavailable(m, status, text);
}

static void variant_unavailable(struct variant_metrics *m, const char *status, const char *who,
				const char *why)
{
	unavailable(m->ours, status, who, why);
	unavailable(m->bpftrace, status, who, why);
	unavailable(m->floor, status, who, why);
}

/* A variant's metrics from the untraced run and its floor, ours and bpftrace runs. */
static int fill(struct variant_metrics *m, const struct bench_cond *none,
		const struct bench_cond *k, int reps, const struct variant *v)
{
	/* k: the variant's floor, ours and bpftrace, in that order. */
	const struct bench_cond *ours = &k[1];
	struct metric *out[3] = { m->floor, m->ours, m->bpftrace };
	int err = 0;

	if (none->broken || ours->broken) {
		variant_unavailable(m, "error", none->broken ? "untraced run" : v->ours,
				    none->broken ? none->why : ours->why);
		return 0;
	}
	for (int r = 0; r < reps; r++) {
		if (ours->samples[r].events > 0)
			continue;
		variant_unavailable(m, "error", v->ours, "recorded none of this process's "
				    "syscalls");
		return 0;
	}
	for (int i = 0; i < 3; i++)
		if (k[i].broken)
			unavailable(out[i], "error", NULL, k[i].why);
	for (int r = 0; r < reps && !err; r++) {
		double per_op = ours->samples[r].events / ours->samples[r].ops;

		for (int i = 0; i < 3 && !err; i++)
			if (!k[i].broken)
				err = metric_add(out[i], bench_added_ns(none->samples[r].ops_per_s,
									k[i].samples[r].ops_per_s) / per_op);
	}
	return err;
}

static int pb_run(const struct bench_params *p, struct bench_ctx *c)
{
	const struct workload *w = workload_find("syscall");
	struct workload_opts o = bench_workload_opts(p);
	struct variant_metrics m[NR_VARIANTS] = {};
	struct peer *peers[NR_VARIANTS] = {};
	struct bench_cond conds[MAX_CONDS];
	struct metric *untraced;
	int ncond = 1, reps = 0, err = 0;
	void *state = NULL;
	bool set_up = false;
	char name[128], why[256];

	if (!w || p->reps < 1 || p->seconds <= 0)
		return -EINVAL;
	untraced = metric_get(c->metrics, BENCH "/syscall/untraced_ops_per_s", "ops/s",
			      BETTER_HIGHER);
	if (!untraced)
		return -ENOMEM;
	for (size_t i = 0; i < NR_VARIANTS; i++) {
		if (!bench_wants(p, variants[i].name))
			continue;
		snprintf(name, sizeof(name), BENCH "/%s/bpftrace_ns_per_event", variants[i].name);
		m[i].bpftrace = metric_get(c->metrics, name, "ns", BETTER_LOWER);
		snprintf(name, sizeof(name), BENCH "/%s/ours_ns_per_event", variants[i].name);
		m[i].ours = metric_get(c->metrics, name, "ns", BETTER_LOWER);
		snprintf(name, sizeof(name), BENCH "/%s/floor_ns_per_event", variants[i].name);
		m[i].floor = metric_get(c->metrics, name, "ns", BETTER_LOWER);
		if (!m[i].bpftrace || !m[i].ours || !m[i].floor)
			return -ENOMEM;
	}
	if (!bpftrace_installed()) {
		metric_unavailable(untraced, "skipped", "bpftrace is not installed");
		for (size_t i = 0; i < NR_VARIANTS; i++)
			if (m[i].ours)
				variant_unavailable(&m[i], "skipped", NULL,
						    "bpftrace is not installed");
		return 0;
	}
	memset(conds, 0, sizeof(conds));
	conds[0].name = "untraced";
	for (size_t i = 0; i < NR_VARIANTS; i++) {
		struct peer *pe;

		if (!m[i].ours)
			continue;
		pe = peers[i] = calloc(1, sizeof(*pe));
		if (!pe) {
			err = -ENOMEM;
			goto cleanup;
		}
		err = peer_init(pe, &variants[i], why, sizeof(why));
		if (err) {
			/* Ours does not work here: nothing to put side by side. */
			variant_unavailable(&m[i], tool_start_status(err), variants[i].ours, why);
			tool_report_release(&pe->rep);
			free(pe);
			peers[i] = NULL;
			err = 0;
			continue;
		}
		conds[ncond++] = floor_cond("floor", &pe->floor);
		conds[ncond++] = ours_cond(pe);
		conds[ncond++] = bpftrace_cond("bpftrace", &pe->bt);
	}
	err = w->setup(&o, &state, why, sizeof(why));
	if (err) {
		const char *st = err == -EOPNOTSUPP ? "skipped" : "error";

		unavailable(untraced, st, "workload 'syscall'", why);
		for (size_t i = 0; i < NR_VARIANTS; i++)
			if (peers[i])
				variant_unavailable(&m[i], st, "workload 'syscall'", why);
		err = 0;
		goto cleanup;
	}
	set_up = true;
	err = bench_conds_run(conds, ncond, w, state, &o, p->reps, c, BENCH, &reps);
	if (err)
		goto cleanup;
	if (conds[0].broken)
		metric_unavailable(untraced, "error", conds[0].why);
	for (int r = 0; r < reps && !conds[0].broken && !err; r++)
		err = metric_add(untraced, conds[0].samples[r].ops_per_s);
	for (size_t i = 0, k = 1; i < NR_VARIANTS && !err; i++) {
		if (!peers[i])
			continue;
		err = fill(&m[i], &conds[0], &conds[k], reps, &variants[i]);
		k += 3;
	}
cleanup:
	bench_conds_release(conds, ncond);
	for (size_t i = 0; i < NR_VARIANTS; i++) {
		if (!peers[i])
			continue;
		bpftrace_stop(&peers[i]->bt.bt);
		tool_report_release(&peers[i]->rep);
		free(peers[i]);
	}
	if (set_up)
		w->teardown(state);
	return err;
}

DEFINE_BENCHMARK(peer_bpftrace, BENCH,
		 "ns per syscall event: bpftrace one-liners (a count per syscall, a latency "
		 "hist()) next to ours doing the same and empty programs on our hooks (the floor)",
		 variant_names, pb_run);
