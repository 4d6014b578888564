// SPDX-License-Identifier: GPL-2.0
/*
 * tool-overhead: what each measurement tool costs its natural workload here. Variants are
 * the tools of the registry, each on the natural workload its descriptor names (tool.h:
 * struct tool_workload, whose aim() points func-latency at the workload's function
 * bpfgauge_uprobe_target), and the CPU profile ('profile', at PROFILE_HZ) on 'stress-cpu'.
 *
 * Conditions (runner.h: warm-up discarded, order rotating per repetition): none; the
 * floor, empty programs on the same hooks as the tool's method here, attached the same way
 * (floor.h; the hooks come from the tool's own report, so the floor follows whichever
 * method the tool falls back to); the tool. Metrics, per repetition, paired with the same
 * repetition's untraced run:
 *   TOOL/pct_throughput       100 * (1 - tool ops/s / untraced ops/s)
 *   TOOL/ns_per_event         added ns per operation / events per operation, events being
 *                             what the tool recorded in that run (its histograms' count; the
 *                             profile's samples)
 *   TOOL/floor_ns_per_event   the floor's added ns per operation / the same events per op
 *   WORKLOAD/untraced_ops_per_s
 * Added time is wall time per operation: for a workload that waits (fio, a ping-pong) it
 * is what the tool adds to its latency, not CPU time.
 *
 * Filters: the workload's process (workload pid(); this process when 0). A workload whose
 * processes exist only during its run (pid() < 0) is traced by command name where the tool
 * names it (fio), else every process is traced; the profile then counts only the samples of
 * its command (stress-ng-cpu).
 *
 * Not measured here: a workload that is not built in or whose setup says -EOPNOTSUPP ->
 * the tool's metrics are 'skipped' with why; a tool whose start says -EOPNOTSUPP (no method
 * works here), EPERM or ENOSYS -> 'unsupported' with the tool's own one-line error.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>

#include "bench/benchmark.h"
#include "bench/conds.h"
#include "bench/runner.h"
#include "profile.h"
#include "profile.skel.h"
#include "profile/profile_session.h"
#include "tools/tool.h"
#include "workloads/workload.h"

#define BENCH "tool-overhead"
/* 20 times the profile's default of 49 Hz: a sample's cost stands out of run-to-run noise. */
#define PROFILE_HZ 997

struct variant {
	const char *tool;	/* a tool of the registry, or "profile" */
	const char *workload;
	/* The command of the workload's processes when they exist only during its run. */
	const char *comm;
};

/* The CPU profile, not a tool of the registry: the variant after the tools. */
static const struct variant profile_variant = { "profile", "stress-cpu", "stress-ng-cpu" };
#define NR_VARIANTS (tool_registry_len + 1)

/* Variant i: a tool of the registry on its natural workload, or the profile. */
static struct variant variant_at(size_t i)
{
	const struct tool *t;

	if (i == tool_registry_len)
		return profile_variant;
	t = tool_registry[i];
	return (struct variant){ t->name, t->workload.name, t->workload.comm };
}

/* Their names, NULL-ended, for suite validation: filled from the registry before main(). */
static const char *variant_names[BENCH_MAX_VARIANTS + 1];

__attribute__((constructor)) static void variant_names_fill(void)
{
	for (size_t i = 0; i < NR_VARIANTS && i < BENCH_MAX_VARIANTS; i++)
		variant_names[i] = variant_at(i).tool;
}

/* One variant's tool (or the CPU profile) and its floor, as the conditions use them. */
struct tracer {
	const struct variant *v;
	struct tool_cond tool;		/* tool.tool NULL: the CPU profile */
	char aim_buf[PATH_MAX + 64];	/* strings of the options the tool's workload.aim sets */
	struct profile_session prof;
	bool prof_started;
	pid_t pid;
	struct tool_report rep;		/* from a first start: method, hooks, target */
	struct floor_cond floor;
};

static int profile_start(void *ctx, char *why, size_t sz)
{
	struct tracer *t = ctx;
	struct profile_config cfg = { .hz = PROFILE_HZ, .pid = t->pid };

	memset(&t->prof, 0, sizeof(t->prof));
	t->prof_started = true;
	return profile_session_start(&t->prof, &cfg, why, sz);
}

static void profile_stop(void *ctx)
{
	struct tracer *t = ctx;

	if (t->prof_started)
		profile_session_free(&t->prof);
	t->prof_started = false;
}

/* The profile's samples, of the variant's command only when it has one. */
static int profile_samples(void *ctx, double *events, char *why, size_t sz)
{
	struct tracer *t = ctx;
	int fd = bpf_map__fd(t->prof.skel->maps.counts);
	struct profile_key key, next, *prev = NULL;
	__u64 n;

	*events = 0;
	while (!bpf_map_get_next_key(fd, prev, &next)) {
		key = next;
		prev = &key;
		if (bpf_map_lookup_elem(fd, &key, &n)) {
			int err = -errno;

			if (err == -ENOENT)
				continue;
			snprintf(why, sz, "read map 'counts': %s", strerror(-err));
			return err;
		}
		if (!t->v->comm || !strncmp(key.comm, t->v->comm, sizeof(key.comm)))
			*events += n;
	}
	return 0;
}

/*
 * Starts the tool once to learn where it attaches here (its report's method, hooks and
 * target), for the floor. 0, or -errno with the tool's one-line error.
 */
static int tracer_probe(struct tracer *t, char *why, size_t sz)
{
	int err;

	if (t->tool.tool)
		return tool_cond_report(&t->tool, &t->rep, why, sz);
	err = profile_start(t, why, sz);
	if (!err) {
		snprintf(t->rep.method, sizeof(t->rep.method), "%s", t->prof.method);
		snprintf(t->rep.hooks[0], sizeof(t->rep.hooks[0]), "perf_event");
		t->rep.nr_hooks = 1;
	}
	profile_stop(t);
	return err;
}

/* The options that point the tool at the workload's process (see the top of the file). */
static int tracer_init(struct tracer *t, const struct variant *v, pid_t wpid, char *why,
		       size_t sz)
{
	struct trace_opts *o = &t->tool.opts;
	int err;

	memset(t, 0, sizeof(*t));
	t->v = v;
	if (strcmp(v->tool, "profile")) {
		t->tool.tool = tool_find(v->tool);
		if (!t->tool.tool) {
			snprintf(why, sz, "no tool '%s' is built in", v->tool);
			return -ENOENT;
		}
	}
	t->pid = o->pid = wpid > 0 ? wpid : wpid == 0 ? getpid() : 0;
	if (wpid < 0 && v->comm && t->tool.tool)
		o->comm = v->comm;
	if (t->tool.tool && t->tool.tool->workload.aim) {
		err = t->tool.tool->workload.aim(o, t->aim_buf, sizeof(t->aim_buf), why, sz);
		if (err)
			return err;
	}
	t->floor = (struct floor_cond){ .rep = &t->rep,
					.opts = { .pid = o->pid, .hz = PROFILE_HZ } };
	return 0;
}

struct variant_metrics {
	struct metric *pct, *ns, *floor_ns, *untraced;
};

static void all_unavailable(struct variant_metrics *m, const char *status, const char *why)
{
	metric_unavailable(m->pct, status, why);
	metric_unavailable(m->ns, status, why);
	metric_unavailable(m->floor_ns, status, why);
}

static void broken(struct metric *m, const char *who, const char *why)
{
	char text[sizeof(m->reason)];

	snprintf(text, sizeof(text), "%.40s: %.200s", who, why);
	metric_unavailable(m, "error", text);
}

/* The metrics of a measured variant from its conditions: none, floor, tool. */
static int variant_metrics(struct variant_metrics *m, const struct bench_cond *k, int reps,
			   const struct variant *v, bool untraced_wanted)
{
	const struct bench_cond *none = &k[0], *floor = &k[1], *tool = &k[2];
	char why[sizeof(m->ns->reason)];
	int err = 0;

	if (none->broken) {
		if (untraced_wanted)
			broken(m->untraced, "untraced run", none->why);
		broken(m->pct, "untraced run", none->why);
		broken(m->ns, "untraced run", none->why);
		broken(m->floor_ns, "untraced run", none->why);
		return 0;
	}
	for (int r = 0; r < reps && untraced_wanted && !err; r++)
		err = metric_add(m->untraced, none->samples[r].ops_per_s);
	if (tool->broken) {
		broken(m->pct, v->tool, tool->why);
		broken(m->ns, v->tool, tool->why);
		broken(m->floor_ns, v->tool, tool->why);
		return err;
	}
	if (floor->broken)
		broken(m->floor_ns, "floor", floor->why);
	/*
	 * A repetition in which the tool saw nothing measured something else (a workload doing
	 * no block I/O on tmpfs, a uprobe on a binary replaced meanwhile): none of its numbers
	 * stand, not even the throughput.
	 */
	for (int r = 0; r < reps; r++) {
		if (tool->samples[r].events > 0)
			continue;
		snprintf(why, sizeof(why), "%s recorded no events on '%s' here (repetition %d)",
			 v->tool, v->workload, r + 1);
		metric_unavailable(m->pct, "skipped", why);
		metric_unavailable(m->ns, "skipped", why);
		metric_unavailable(m->floor_ns, "skipped", why);
		return err;
	}
	for (int r = 0; r < reps && !err; r++)
		err = metric_add(m->pct, 100.0 * (1 - tool->samples[r].ops_per_s /
						  none->samples[r].ops_per_s));
	for (int r = 0; r < reps && !err; r++) {
		const struct bench_sample *ts = &tool->samples[r];
		double per_op = ts->events / ts->ops;

		err = metric_add(m->ns, bench_paired_added_ns(k, 2, r) / per_op);
		if (!err && !floor->broken)
			err = metric_add(m->floor_ns, bench_paired_added_ns(k, 1, r) / per_op);
	}
	return err;
}

/* One variant: its workload set up, the tool probed, the conditions run, metrics filled. */
static int run_variant(const struct variant *v, const struct bench_params *p,
		       struct bench_ctx *c, struct variant_metrics *m)
{
	struct workload_opts o = bench_workload_opts(p);
	const struct workload *w = workload_find(v->workload);
	bool untraced_wanted = m->untraced->n == 0 && !strcmp(m->untraced->status, "ok");
	struct bench_cond conds[3];
	struct tracer *t = NULL;
	int reps = 0;
	char why[256], label[96];
	void *state = NULL;
	int err;

	if (!w) {
		snprintf(why, sizeof(why), "workload '%s' is not built in", v->workload);
		all_unavailable(m, "skipped", why);
		metric_unavailable(m->untraced, "skipped", why);
		return 0;
	}
	err = w->setup(&o, &state, why, sizeof(why));
	if (err) {
		const char *st = err == -EOPNOTSUPP ? "skipped" : "error";
		char text[sizeof(why) + 64];

		snprintf(text, sizeof(text), "workload '%s': %s", v->workload, why);
		all_unavailable(m, st, text);
		if (untraced_wanted)
			metric_unavailable(m->untraced, st, text);
		return 0;
	}
	t = calloc(1, sizeof(*t));
	if (!t) {
		err = -ENOMEM;
		goto cleanup;
	}
	err = tracer_init(t, v, w->pid(state), why, sizeof(why));
	if (!err)
		err = tracer_probe(t, why, sizeof(why));
	if (err) {
		all_unavailable(m, tool_start_status(err), why);
		err = 0;
		goto cleanup;
	}
	memset(conds, 0, sizeof(conds));
	conds[0].name = "untraced";
	conds[1] = floor_cond("floor", &t->floor);
	if (t->tool.tool)
		conds[2] = tool_cond(v->tool, &t->tool);
	else
		conds[2] = (struct bench_cond){ .name = v->tool, .attach = profile_start,
						.count = profile_samples, .detach = profile_stop,
						.ctx = t };
	snprintf(label, sizeof(label), BENCH " %s on %s", v->tool, v->workload);
	err = bench_conds_run(conds, 3, w, state, &o, p->reps, c, label, &reps);
	if (!err)
		err = variant_metrics(m, conds, reps, v, untraced_wanted);
	bench_conds_release(conds, 3);
cleanup:
	if (t)
		tool_report_release(&t->rep);
	free(t);
	w->teardown(state);
	return err;
}

static int to_run(const struct bench_params *p, struct bench_ctx *c)
{
	char name[128];
	int err = 0;

	if (p->reps < 1 || p->seconds <= 0)
		return -EINVAL;
	for (size_t i = 0; i < NR_VARIANTS && !err; i++) {
		struct variant var = variant_at(i);
		const struct variant *v = &var;
		struct variant_metrics m;

		if (!bench_wants(p, v->tool))
			continue;
		snprintf(name, sizeof(name), BENCH "/%s/pct_throughput", v->tool);
		m.pct = metric_get(c->metrics, name, "%", BETTER_LOWER);
		snprintf(name, sizeof(name), BENCH "/%s/ns_per_event", v->tool);
		m.ns = metric_get(c->metrics, name, "ns", BETTER_LOWER);
		snprintf(name, sizeof(name), BENCH "/%s/floor_ns_per_event", v->tool);
		m.floor_ns = metric_get(c->metrics, name, "ns", BETTER_LOWER);
		snprintf(name, sizeof(name), BENCH "/%s/untraced_ops_per_s", v->workload);
		m.untraced = metric_get(c->metrics, name, "ops/s", BETTER_HIGHER);
		if (!m.pct || !m.ns || !m.floor_ns || !m.untraced)
			return -ENOMEM;
		err = run_variant(v, p, c, &m);
	}
	return err;
}

DEFINE_BENCHMARK(tool_overhead, BENCH,
		 "what each measurement tool costs its natural workload: throughput lost and ns "
		 "per recorded event, next to empty programs on the same hooks (the floor)",
		 variant_names, to_run);
