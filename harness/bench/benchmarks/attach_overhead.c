// SPDX-License-Identifier: GPL-2.0
/*
 * attach-overhead: what an (almost) empty BPF program costs per event on each attach type, as
 * wall time added per event to a workload each of whose operations fires the hook once
 * (attach_hooks.c):
 *   tracepoint (syscalls:sys_enter_getppid), raw_tracepoint, tp_btf (sys_enter),
 *   kprobe, kretprobe, kprobe_multi, fentry, fexit (the getppid syscall's kernel
 *   function: __do_sys_getppid, which is __x64_sys_getppid on x86-64)              'syscall'
 *   uprobe, uretprobe (bpfgauge_uprobe_target), usdt (bpfgauge:target_call)    'uprobe-target'
 * The kernel function is getppid's rather than vfs_read (once per pread of 'file-read'): a
 * getppid costs a third of a cached 4 KiB pread here (280 vs 600-930 ns; under QEMU's TCG
 * 1.3 vs 26 us), so the few ns of a trampoline stand out of the noise three to twenty times
 * better (under TCG, fentry's two samples were -179 and 1429 ns on vfs_read, 393 and 410 on
 * getppid). The progress line of each type's calibration names its target.
 *
 * Per type, its probe check runs first; unless it passes, the metric carries the check's
 * status and reason and nothing is attached. Events per operation are counted in untimed runs
 * of N and 2N operations (calibrate()) by the program filtered to the workload's tgid; the timed
 * program counts every hit without a filter (the cheapest body), and a timed run in which it
 * saw fewer than half the events expected is an error (the hook did not fire for the workload).
 *
 * Method (benchmark.h): a warm-up repetition, discarded, then reps repetitions, each measuring
 * every type once, in an order rotated by one per repetition. On a shared machine the speed of
 * a workload shifts by a third within a second, so a type's measurement in a repetition pairs
 * it with its own untraced runs: 'seconds' are split into SLICES attached slices between
 * SLICES + 1 untraced ones (U A U A ... U), each timed in chunks (chunks.h); slice s gives
 *   (attached ns/op of s - mean of the untraced ns/op before and after s) / events per op
 * and the repetition's sample is the median over the slices. The workload's untraced ops/s in
 * a repetition is the median of its untraced slices.
 *
 * Besides ns_per_event, each type records slowdown_pct: the time added per operation in % of
 * the untraced operation, slice by slice likewise. This machine runs at two speeds for a
 * minute or more each (an untraced getppid takes 192-198 or 258-263 ns); ns_per_event moves
 * with them (raw_tracepoint 108-110 or 146 ns) while the slowdown stays (56 %), so that runs
 * at different speeds still compare.
 *
 * A suite's inject_extra_pct = P reaches the 'syscall' workload in every run, calibration
 * included: P % of its operations make a second getppid, each firing the hook too, so that
 * untraced_ops_per_s drops to 1 / (1 + P/100) while ns_per_event and slowdown_pct stay.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "attach/attach_hooks.h"
#include "bench/benchmark.h"
#include "bench/chunks.h"
#include "checks/check.h"
#include "lib/interrupt.h"
#include "lib/reaper.h"
#include "lib/stats.h"
#include "workloads/workload.h"

#define DEFAULT_REPS 7
#define DEFAULT_SECONDS 0.5
#define CALIBRATION_OPS 4096
#define SLICES 4
#define WHY_MAX 512

struct wl_state {
	const struct workload *w;
	void *state;
	pid_t tgid;
	bool set_up, ok;
	size_t ops_per_s;	/* the untraced metric's index in the set */
	struct chunks untraced;
	/* This repetition's untraced slices, in ns per operation. */
	double slices[NR_ATTACH_HOOKS * (SLICES + 1)];
	size_t nr_slices;
};

struct type_state {
	const struct attach_hook *h;
	struct wl_state *wl;
	size_t m, pct;		/* ns_per_event's and slowdown_pct's indexes in the set */
	bool active;
	struct hook_prog *timed;
	struct chunks attached;
	double events_per_op;
	double added;		/* this repetition's added ns per operation */
	double slowdown;	/* the same in % of an untraced operation */
};

struct ao {
	const struct bench_params *p;
	struct bench_ctx *c;
	int reps;
	double seconds;
	struct type_state types[NR_ATTACH_HOOKS];
	size_t nr_types;
	struct wl_state wls[NR_ATTACH_HOOKS];
	size_t nr_wls;
};

static const char *const variant_names[] = {
	"tracepoint", "raw_tracepoint", "tp_btf", "kprobe", "kretprobe", "kprobe_multi",
	"fentry", "fexit", "uprobe", "uretprobe", "usdt", NULL,
};

__attribute__((format(printf, 2, 3)))
static void progress(struct ao *a, const char *fmt, ...)
{
	char line[256];
	va_list ap;

	if (!a->c->progress)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	a->c->progress(a->c, "attach-overhead: %s", line);
}

static const char *metric_status(enum check_status st)
{
	return st == CHECK_UNSUPPORTED ? "unsupported" : st == CHECK_SKIPPED ? "skipped" : "error";
}

/* Metrics are referred to by their index in the set. */
static struct metric *metric_at(const struct ao *a, size_t i)
{
	return a->c->metrics->m[i];
}

static int new_metric(struct ao *a, const char *name, const char *unit, enum metric_better b,
		      size_t *i)
{
	struct metric *m = metric_get(a->c->metrics, name, unit, b);

	if (!m)
		return -ENOMEM;
	for (*i = 0; a->c->metrics->m[*i] != m; (*i)++)
		;
	return 0;
}

static void unavailable(struct ao *a, size_t i, const char *status, const char *why)
{
	metric_unavailable(metric_at(a, i), status, why);
	metric_at(a, i)->n = 0;
}

static void type_fail(struct ao *a, struct type_state *t, const char *status, const char *why)
{
	unavailable(a, t->m, status, why);
	unavailable(a, t->pct, status, why);
	t->active = false;
}

/* The workload broke: its metric and those of every type timed on it say why. */
static void workload_fail(struct ao *a, struct wl_state *wl, const char *why)
{
	wl->ok = false;
	unavailable(a, wl->ops_per_s, "error", why);
	for (size_t i = 0; i < a->nr_types; i++)
		if (a->types[i].wl == wl && a->types[i].active)
			type_fail(a, &a->types[i], "error", why);
}

/* A metric per wanted type; the types whose probe check passes stay active. */
static int plan_types(struct ao *a)
{
	char name[128], why[WHY_MAX];

	for (size_t i = 0; i < NR_ATTACH_HOOKS; i++) {
		const struct attach_hook *h = &attach_hooks[i];
		struct type_state *t;
		const struct check *chk;
		struct check_result res;

		if (!bench_wants(a->p, h->type))
			continue;
		t = &a->types[a->nr_types++];
		t->h = h;
		snprintf(name, sizeof(name), "attach-overhead/%s/ns_per_event", h->type);
		if (new_metric(a, name, "ns", BETTER_LOWER, &t->m))
			return -ENOMEM;
		snprintf(name, sizeof(name), "attach-overhead/%s/slowdown_pct", h->type);
		if (new_metric(a, name, "%", BETTER_LOWER, &t->pct))
			return -ENOMEM;
		chk = check_find(h->type);
		if (!chk) {
			snprintf(why, sizeof(why), "no probe check '%s'", h->type);
			type_fail(a, t, "error", why);
			continue;
		}
		progress(a, "probe %s", h->type);
		check_result_init(&res);
		check_run(chk, &res);
		if (res.status != CHECK_PASS)
			type_fail(a, t, metric_status(res.status), res.reason);
		else if (hook_refuses(h, why, sizeof(why)))
			type_fail(a, t, "skipped", why);
		else
			t->active = true;
		check_result_release(&res);
	}
	/* The checks hand their links to the reaper: none may still be attached when timing. */
	reaper_drain();
	return 0;
}

static struct workload_opts opts_of(const struct ao *a)
{
	return (struct workload_opts){ .seconds = a->seconds, .cpu = a->p->cpu,
				       .workdir = a->p->workdir,
				       .extra_pct = a->p->inject_extra_pct };
}

static struct wl_state *add_workload(struct ao *a, const char *name)
{
	struct workload_opts o = opts_of(a);
	char metric[128], why[WHY_MAX] = "";
	struct wl_state *wl;
	int err;

	for (size_t i = 0; i < a->nr_wls; i++)
		if (!strcmp(a->wls[i].w->name, name))
			return &a->wls[i];
	wl = &a->wls[a->nr_wls];
	wl->w = workload_find(name);
	if (!wl->w)
		return NULL;
	snprintf(metric, sizeof(metric), "attach-overhead/%s/untraced_ops_per_s", name);
	if (new_metric(a, metric, "ops/s", BETTER_HIGHER, &wl->ops_per_s))
		return NULL;
	a->nr_wls++;
	progress(a, "set up workload '%s'", name);
	err = wl->w->setup(&o, &wl->state, why, sizeof(why));
	if (err) {
		if (!why[0])
			snprintf(why, sizeof(why), "set up workload '%s': %s", name,
				 strerror(-err));
		unavailable(a, wl->ops_per_s, err == -EOPNOTSUPP ? "skipped" : "error", why);
		return wl;
	}
	wl->set_up = wl->ok = true;
	wl->tgid = wl->w->pid(wl->state);
	if (!wl->tgid)
		wl->tgid = getpid();
	return wl;
}

/* Sets up each workload an active type needs, with its untraced metric. */
static int setup_workloads(struct ao *a)
{
	char why[WHY_MAX];

	for (size_t i = 0; i < a->nr_types; i++) {
		struct type_state *t = &a->types[i];

		if (!t->active)
			continue;
		t->wl = add_workload(a, t->h->workload);
		if (!t->wl && !workload_find(t->h->workload)) {
			snprintf(why, sizeof(why), "no workload '%s'", t->h->workload);
			type_fail(a, t, "error", why);
		} else if (!t->wl) {
			return -ENOMEM;
		} else if (!t->wl->ok) {
			type_fail(a, t, metric_at(a, t->wl->ops_per_s)->status,
				  metric_at(a, t->wl->ops_per_s)->reason);
		}
	}
	return 0;
}

static const char *workload_error(const struct wl_state *wl, int err, char *why, size_t sz)
{
	snprintf(why, sz, "workload '%s' failed: %s", wl->w->name, strerror(-err));
	return why;
}

/* The hits of cal in one run of ops operations, the counter's reads included. */
static int count_run(struct ao *a, struct type_state *t, struct hook_prog *cal, long ops,
		     __u64 *hits, char *why, size_t sz)
{
	struct workload_opts o = { .ops = ops, .cpu = -1, .workdir = a->p->workdir,
				   .extra_pct = a->p->inject_extra_pct };
	struct workload_result r = {};
	__u64 before, after;
	int err;

	err = hook_prog_hits(cal, &before);
	if (!err && (err = t->wl->w->run(t->wl->state, &o, &r))) {
		workload_error(t->wl, err, why, sz);
		goto out;
	}
	if (!err)
		err = hook_prog_hits(cal, &after);
	if (err) {
		snprintf(why, sz, "read the hit counter: %s", strerror(-err));
		goto out;
	}
	if (r.ops != ops) {
		snprintf(why, sz, "workload '%s' ran %.0f operations, asked for %ld",
			 t->wl->w->name, r.ops, ops);
		err = -EIO;
		goto out;
	}
	*hits = after - before;
out:
	workload_result_release(&r);
	return err;
}

/*
 * Events per operation, counted by the program filtered to the workload's tgid in runs of
 * N and 2N operations: the difference cancels what each run costs besides its operations
 * (the counter's own bpf() read, clock reads that are syscalls on some clocksources).
 */
static int calibrate(struct ao *a, struct type_state *t, char *why, size_t sz)
{
	struct hook_prog *cal = NULL;
	__u64 once = 0, twice = 0;
	int err;

	err = hook_prog_open(t->h, t->wl->tgid, true, &cal, why, sz);
	if (!err)
		err = hook_prog_attach(cal, why, sz);
	if (!err)
		err = count_run(a, t, cal, CALIBRATION_OPS, &once, why, sz);
	if (!err)
		err = count_run(a, t, cal, 2 * CALIBRATION_OPS, &twice, why, sz);
	if (err)
		goto cleanup;
	if (twice <= once) {
		snprintf(why, sz, "attached to '%s', but counted %llu events of pid %d in %d '%s' "
			 "operations and %llu in %d", hook_target(t->h), (unsigned long long)once,
			 t->wl->tgid, CALIBRATION_OPS, t->wl->w->name, (unsigned long long)twice,
			 2 * CALIBRATION_OPS);
		err = -ENODATA;
		goto cleanup;
	}
	t->events_per_op = (double)(twice - once) / CALIBRATION_OPS;
	progress(a, "%s on '%s': %g event(s) per '%s' operation (%llu of pid %d in %d "
		 "operations, %llu in %d)", t->h->type, hook_target(t->h), t->events_per_op,
		 t->wl->w->name, (unsigned long long)once, t->wl->tgid, CALIBRATION_OPS,
		 (unsigned long long)twice, 2 * CALIBRATION_OPS);
cleanup:
	hook_prog_close(cal);
	return err;
}

/* Calibrates each active type and loads its timed program; a failure is the type's. */
static void prepare_types(struct ao *a)
{
	char why[WHY_MAX];

	for (size_t i = 0; i < a->nr_types; i++) {
		struct type_state *t = &a->types[i];

		if (!t->active)
			continue;
		why[0] = '\0';
		if (calibrate(a, t, why, sizeof(why)) ||
		    hook_prog_open(t->h, t->wl->tgid, false, &t->timed, why, sizeof(why)))
			type_fail(a, t, "error", why);
	}
}

/* One untraced slice of t's workload: its median ns per operation. */
static int untraced_slice(struct ao *a, struct type_state *t, double seconds, double *ns)
{
	struct workload_opts o = opts_of(a);
	struct wl_state *wl = t->wl;
	int err;

	chunks_clear(&wl->untraced);
	err = chunks_run(&wl->untraced, wl->w, wl->state, &o, seconds);
	if (err)
		return err;
	*ns = chunks_median(&wl->untraced);
	if (wl->nr_slices < sizeof(wl->slices) / sizeof(wl->slices[0]))
		wl->slices[wl->nr_slices++] = *ns;
	return 0;
}

/* One attached slice of t: its median ns per operation, and whether the program fired. */
static int attached_slice(struct ao *a, struct type_state *t, double seconds, double *ns,
			  char *why, size_t sz)
{
	struct workload_opts o = opts_of(a);
	__u64 before = 0, after = 0;
	double expected;
	int err;

	err = hook_prog_attach(t->timed, why, sz);
	if (err)
		return err;
	chunks_clear(&t->attached);
	err = hook_prog_hits(t->timed, &before);
	if (!err && (err = chunks_run(&t->attached, t->wl->w, t->wl->state, &o, seconds)))
		workload_error(t->wl, err, why, sz);
	else if (!err && (err = hook_prog_hits(t->timed, &after)))
		snprintf(why, sz, "read the hit counter: %s", strerror(-err));
	hook_prog_detach(t->timed);
	if (err)
		return err;
	expected = t->attached.total_ops * t->events_per_op;
	if ((double)(after - before) < expected / 2) {
		snprintf(why, sz, "'%s' counted %llu hits in %.0f '%s' operations, expected at "
			 "least %.0f", hook_target(t->h), (unsigned long long)(after - before),
			 t->attached.total_ops, t->wl->w->name, expected);
		return -ENODATA;
	}
	*ns = chunks_median(&t->attached);
	return 0;
}

/* One repetition of t: U A U A ... U; t->added is the median of the slices' added costs. */
static int run_type(struct ao *a, struct type_state *t, char *why, size_t sz)
{
	double slice = a->seconds / (2 * SLICES + 1), u[SLICES + 1], at[SLICES], added[SLICES];
	double pct[SLICES];
	int err;

	for (int s = 0; s <= SLICES; s++) {
		err = untraced_slice(a, t, slice, &u[s]);
		if (err) {
			workload_fail(a, t->wl, workload_error(t->wl, err, why, sz));
			return err;
		}
		if (s == SLICES)
			break;
		err = attached_slice(a, t, slice, &at[s], why, sz);
		if (err)
			return err;
	}
	for (int s = 0; s < SLICES; s++) {
		added[s] = at[s] - (u[s] + u[s + 1]) / 2;
		pct[s] = 100 * added[s] / ((u[s] + u[s + 1]) / 2);
	}
	t->added = stats_quantile(added, SLICES, 0.5);
	t->slowdown = stats_quantile(pct, SLICES, 0.5);
	return 0;
}

static int record(struct ao *a)
{
	for (size_t w = 0; w < a->nr_wls; w++) {
		struct wl_state *wl = &a->wls[w];

		if (wl->ok && wl->nr_slices &&
		    metric_add(metric_at(a, wl->ops_per_s),
			       1e9 / stats_quantile(wl->slices, wl->nr_slices, 0.5)))
			return -ENOMEM;
		wl->nr_slices = 0;
	}
	for (size_t i = 0; i < a->nr_types; i++) {
		struct type_state *t = &a->types[i];

		if (t->active && (metric_add(metric_at(a, t->m), t->added / t->events_per_op) ||
				  metric_add(metric_at(a, t->pct), t->slowdown)))
			return -ENOMEM;
	}
	return 0;
}

static int measure(struct ao *a)
{
	struct type_state *order[NR_ATTACH_HOOKS];
	char why[WHY_MAX];
	size_t n = 0;
	int err;

	for (size_t i = 0; i < a->nr_types; i++)
		if (a->types[i].active)
			order[n++] = &a->types[i];
	for (int r = -1; r < a->reps; r++) {
		for (size_t i = 0; i < n; i++) {
			struct type_state *t = order[(i + r + 1) % n];

			if (interrupted())
				return -EINTR;
			if (!t->active)
				continue;
			if (r < 0)
				progress(a, "warm-up %s", t->h->type);
			else
				progress(a, "rep %d/%d %s", r + 1, a->reps, t->h->type);
			why[0] = '\0';
			if (run_type(a, t, why, sizeof(why)))
				type_fail(a, t, "error", why);
		}
		if (r < 0) {
			for (size_t w = 0; w < a->nr_wls; w++)
				a->wls[w].nr_slices = 0;
			continue;
		}
		err = record(a);
		if (err)
			return err;
	}
	return 0;
}

static void release(struct ao *a)
{
	for (size_t i = 0; i < a->nr_types; i++) {
		hook_prog_close(a->types[i].timed);
		chunks_release(&a->types[i].attached);
	}
	for (size_t w = 0; w < a->nr_wls; w++) {
		if (a->wls[w].set_up)
			a->wls[w].w->teardown(a->wls[w].state);
		chunks_release(&a->wls[w].untraced);
	}
}

static int attach_overhead_run(const struct bench_params *p, struct bench_ctx *c)
{
	struct ao a = { .p = p, .c = c };
	int err;

	a.reps = p->reps > 0 ? p->reps : DEFAULT_REPS;
	a.seconds = p->seconds > 0 ? p->seconds : DEFAULT_SECONDS;
	err = plan_types(&a);
	if (!err)
		err = setup_workloads(&a);
	if (!err) {
		prepare_types(&a);
		err = measure(&a);
	}
	release(&a);
	return err;
}

static const char *workload_of(const char *variant)
{
	for (size_t i = 0; i < NR_ATTACH_HOOKS; i++)
		if (!strcmp(attach_hooks[i].type, variant))
			return attach_hooks[i].workload;
	return NULL;
}

DEFINE_BENCHMARK_WL(attach_overhead, "attach-overhead",
		 "wall time an (almost) empty program adds per event, per attach type: "
		 "tracepoints, kprobes and trampolines on the getppid syscall (its entry "
		 "tracepoints; its kernel function, __do_sys_getppid on x86-64) in workload "
		 "'syscall', uprobes and USDT in this binary in workload 'uprobe-target'",
		 variant_names, attach_overhead_run, workload_of);
