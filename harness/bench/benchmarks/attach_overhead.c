// SPDX-License-Identifier: GPL-2.0
/*
 * attach-overhead: what an (almost) empty BPF program costs per event on each attach type, as
 * wall time added per event to a workload each of whose operations fires the hook once
 * (the attach types of attach/attach.def; their programs in bpf/attach_overhead*.bpf.c,
 * loaded by attach_hooks.c):
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
 * Method (benchmark.h, runner.h): each type is a condition of the runner (unpaired): a warm-up
 * repetition, discarded, then reps repetitions, each measuring every type once, in an order
 * rotated by one per repetition. On a shared machine the speed of
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

#include "attach/attach.h"
#include "attach/attach_hooks.h"
#include "attach_timing.h"
#include "bench/benchmark.h"
#include "bench/runner.h"
#include "checks/check.h"
#include "lib/interrupt.h"
#include "lib/reaper.h"
#include "lib/stats.h"
#include "workloads/workload.h"

#define DEFAULT_REPS 7
#define DEFAULT_SECONDS 0.5
#define SLICES TIMED_SLICES
#define WHY_MAX 512

/* A repetition of a type, in its sample's extra[]: its two numbers and its untraced slices. */
enum { NS_PER_EVENT, SLOWDOWN_PCT, UNTRACED_NS };
_Static_assert(UNTRACED_NS + SLICES + 1 <= BENCH_EXTRA, "room for the untraced slices");

struct wl_state {
	struct timed_workload tw;
	bool set_up, ok;
	struct metric *ops_per_s;
};

struct type_state {
	struct timed_type tt;
	struct ao *a;
	struct wl_state *wl;
	struct metric *m, *pct;
	bool active;
	struct bench_cond *cond;	/* while it is measured */
};

struct ao {
	const struct bench_params *p;
	struct bench_ctx *c;
	int reps;
	double seconds;
	struct type_state types[NR_ATTACH_TYPES];
	size_t nr_types;
	struct wl_state wls[NR_ATTACH_TYPES];
	size_t nr_wls;
};

static const char *const variant_names[] = {
#define ATTACH(id, ...) #id,
#include "attach/attach.def"
#undef ATTACH
	NULL,
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

static void unavailable(struct metric *m, const char *status, const char *why)
{
	metric_unavailable(m, status, why);
	m->n = 0;
}

static void type_fail(struct type_state *t, const char *status, const char *why)
{
	unavailable(t->m, status, why);
	unavailable(t->pct, status, why);
	t->active = false;
}

/* The workload broke: its metric and those of every type timed on it say why. */
static void workload_fail(struct ao *a, struct wl_state *wl, const char *reason)
{
	char why[WHY_MAX];

	snprintf(why, sizeof(why), "%s", reason);	/* reason may be a condition's own why */
	wl->ok = false;
	unavailable(wl->ops_per_s, "error", why);
	for (size_t i = 0; i < a->nr_types; i++) {
		struct type_state *t = &a->types[i];

		if (t->wl != wl || !t->active)
			continue;
		if (t->cond && !t->cond->broken)
			bench_cond_break(t->cond, -EIO, "%s", why);
		type_fail(t, "error", why);
	}
}

/* A metric per wanted type; the types whose probe check passes stay active. */
static int plan_types(struct ao *a)
{
	char name[128], why[WHY_MAX];

	for (size_t i = 0; i < NR_ATTACH_TYPES; i++) {
		const struct attach_type *at = &attach_types[i];
		struct type_state *t;
		const struct check *chk;
		struct check_result res;

		if (!bench_wants(a->p, at->name))
			continue;
		t = &a->types[a->nr_types++];
		t->tt.t = at;
		t->a = a;
		snprintf(name, sizeof(name), "attach-overhead/%s/ns_per_event", at->name);
		t->m = metric_get(a->c->metrics, name, "ns", BETTER_LOWER);
		snprintf(name, sizeof(name), "attach-overhead/%s/slowdown_pct", at->name);
		t->pct = metric_get(a->c->metrics, name, "%", BETTER_LOWER);
		if (!t->m || !t->pct)
			return -ENOMEM;
		chk = check_find(at->name);
		if (!chk) {
			snprintf(why, sizeof(why), "no probe check '%s'", at->name);
			type_fail(t, "error", why);
			continue;
		}
		progress(a, "probe %s", at->name);
		check_result_init(&res);
		check_run(chk, &res);
		if (res.status != CHECK_PASS)
			type_fail(t, check_metric_status(res.status), res.reason);
		else if (hook_refuses(at, why, sizeof(why)))
			type_fail(t, "skipped", why);
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
	struct workload_opts o = bench_workload_opts(a->p);

	o.seconds = a->seconds;
	return o;
}

static struct wl_state *add_workload(struct ao *a, const char *name)
{
	struct workload_opts o = opts_of(a);
	char metric[128], why[WHY_MAX] = "";
	struct wl_state *wl;
	int err;

	for (size_t i = 0; i < a->nr_wls; i++)
		if (!strcmp(a->wls[i].tw.w->name, name))
			return &a->wls[i];
	wl = &a->wls[a->nr_wls];
	wl->tw.w = workload_find(name);
	wl->tw.o = opts_of(a);
	if (!wl->tw.w)
		return NULL;
	snprintf(metric, sizeof(metric), "attach-overhead/%s/untraced_ops_per_s", name);
	wl->ops_per_s = metric_get(a->c->metrics, metric, "ops/s", BETTER_HIGHER);
	if (!wl->ops_per_s)
		return NULL;
	a->nr_wls++;
	progress(a, "set up workload '%s'", name);
	err = wl->tw.w->setup(&o, &wl->tw.state, why, sizeof(why));
	if (err) {
		if (!why[0])
			snprintf(why, sizeof(why), "set up workload '%s': %s", name,
				 strerror(-err));
		unavailable(wl->ops_per_s, err == -EOPNOTSUPP ? "skipped" : "error", why);
		return wl;
	}
	wl->set_up = wl->ok = true;
	wl->tw.tgid = wl->tw.w->pid(wl->tw.state);
	if (!wl->tw.tgid)
		wl->tw.tgid = getpid();
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
		t->wl = add_workload(a, t->tt.t->timed.workload);
		t->tt.wl = t->wl ? &t->wl->tw : NULL;
		if (!t->wl && !workload_find(t->tt.t->timed.workload)) {
			snprintf(why, sizeof(why), "no workload '%s'", t->tt.t->timed.workload);
			type_fail(t, "error", why);
		} else if (!t->wl) {
			return -ENOMEM;
		} else if (!t->wl->ok) {
			type_fail(t, t->wl->ops_per_s->status, t->wl->ops_per_s->reason);
		}
	}
	return 0;
}

/* Calibrates each active type and loads its timed program; a failure is the type's. */
static void prepare_types(struct ao *a)
{
	char why[WHY_MAX], said[WHY_MAX];

	for (size_t i = 0; i < a->nr_types; i++) {
		struct type_state *t = &a->types[i];

		if (!t->active)
			continue;
		why[0] = '\0';
		if (timed_type_prepare(&t->tt, said, sizeof(said), why, sizeof(why)))
			type_fail(t, "error", why);
		else
			progress(a, "%s", said);
	}
}

/* The runner's measure of a type: one repetition (attach_timing.h). */
static int run_type(void *ctx, struct bench_sample *s, char *why, size_t sz)
{
	struct type_state *t = ctx;
	int err = timed_type_run(&t->tt, t->a->seconds, &s->extra[NS_PER_EVENT],
				 &s->extra[SLOWDOWN_PCT], &s->extra[UNTRACED_NS], why, sz);

	if (err && t->tt.workload_broke && !(err == -EINTR && interrupted()))
		workload_fail(t->a, t->wl, why);
	return err;
}

/*
 * Per repetition: each type's numbers, and each workload's untraced ops/s, the median of the
 * untraced slices of every type timed on it in that repetition.
 */
static int record(struct ao *a, const struct bench_loop *l)
{
	double slices[NR_ATTACH_TYPES * (SLICES + 1)];
	int err = 0;

	for (int r = 0; r < l->reps_done && !err; r++) {
		for (size_t w = 0; w < a->nr_wls && !err; w++) {
			size_t n = 0;

			for (int i = 0; i < l->n; i++) {
				const struct type_state *t = l->conds[i].ctx;
				const struct bench_sample *s = &l->conds[i].samples[r];

				for (int k = 0; k <= SLICES && s->ok && t->wl == &a->wls[w]; k++)
					slices[n++] = s->extra[UNTRACED_NS + k];
			}
			if (a->wls[w].ok && n)
				err = metric_add(a->wls[w].ops_per_s,
						 1e9 / stats_quantile(slices, n, 0.5));
		}
		for (int i = 0; i < l->n && !err; i++) {
			const struct type_state *t = l->conds[i].ctx;
			const struct bench_sample *s = &l->conds[i].samples[r];

			if (t->active && (err = metric_add(t->m, s->extra[NS_PER_EVENT])) == 0)
				err = metric_add(t->pct, s->extra[SLOWDOWN_PCT]);
		}
	}
	return err;
}

static int measure(struct ao *a)
{
	struct bench_cond conds[NR_ATTACH_TYPES] = {};
	struct bench_loop l = { .conds = conds, .reps = a->reps, .label = "attach-overhead" };
	int err;

	for (size_t i = 0; i < a->nr_types; i++) {
		struct type_state *t = &a->types[i];

		if (!t->active)
			continue;
		t->cond = &conds[l.n];
		conds[l.n++] = (struct bench_cond){ .name = t->tt.t->name, .measure = run_type,
						    .ctx = t };
	}
	err = bench_loop_run(&l, a->c);
	for (int i = 0; i < l.n; i++) {
		struct type_state *t = conds[i].ctx;

		if (conds[i].broken && t->active)
			type_fail(t, "error", conds[i].why);
		t->cond = NULL;
	}
	if (err != -ENOMEM) {
		int rec = record(a, &l);

		err = rec ? rec : err;
	}
	bench_loop_release(&l);
	return err;
}

static void release(struct ao *a)
{
	for (size_t i = 0; i < a->nr_types; i++)
		timed_type_release(&a->types[i].tt);
	for (size_t w = 0; w < a->nr_wls; w++) {
		if (a->wls[w].set_up)
			a->wls[w].tw.w->teardown(a->wls[w].tw.state);
		chunks_release(&a->wls[w].tw.untraced);
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
	const struct attach_type *t = attach_type_find(variant);

	return t ? t->timed.workload : NULL;
}

DEFINE_BENCHMARK_WL(attach_overhead, "attach-overhead",
		 "wall time an (almost) empty program adds per event, per attach type: "
		 "tracepoints, kprobes and trampolines on the getppid syscall (its entry "
		 "tracepoints; its kernel function, __do_sys_getppid on x86-64) in workload "
		 "'syscall', uprobes and USDT in this binary in workload 'uprobe-target'",
		 variant_names, attach_overhead_run, workload_of);
