// SPDX-License-Identifier: GPL-2.0
/*
 * ringbuf-vs-perfbuf: how many events per second reach user space, and how many the kernel
 * drops, through a BPF ring buffer (bpf_ringbuf_reserve/submit or bpf_ringbuf_output) and a
 * perf event array buffer (bpf_perf_event_output), with 1 and 2 producer threads.
 *
 * As in the kernel selftests' ring buffer benchmarks, producers trigger a BPF program in a
 * tight loop: they run the 'syscall' workload (getppid calls), a program on the raw
 * sys_enter tracepoint filtered by this tgid and the syscall number sends one 64-byte sample
 * per call, and one consumer thread drains the buffer through libbpf (ring_buffer__poll or
 * perf_buffer__poll, a callback per sample).
 *
 * Buffers: the same kernel memory for both, 256 KiB: one ring buffer of 256 KiB shared by
 * every CPU, or a perf buffer of 32 data pages per CPU (128 KiB each, 256 KiB on 2 CPUs).
 * Small enough that a consumer which falls behind for a few milliseconds makes the kernel
 * drop. Notification: each one's default. The ring buffer wakes the consumer when a sample
 * lands while the consumer has caught up (flags 0: no BPF_RB_NO_WAKEUP batching); libbpf's
 * perf buffer asks for a wakeup after every sample (wakeup_events = 1).
 *
 * 2 producers and the consumer are 3 busy threads: on fewer than 3 CPUs they oversubscribe
 * the machine and the consumer competes with the producers for CPU time; the 2p variants
 * measure that contention too. 1-producer runs and the untraced run are pinned to
 * params->cpu when set; 2 producers and the consumer are never pinned.
 *
 * Method (benchmark.h, runner.h): a warm-up repetition, discarded; then params->reps
 * repetitions, each running every condition for params->seconds, in an order that rotates
 * per repetition: the untraced trigger rate (1 producer, nothing attached) and each variant,
 * whose program is loaded and attached before its run and destroyed after it
 * (ringbuf_session.c). Every repetition accounts for every sample: received (after a final
 * drain) + dropped must equal the calls the program counted, else the variant's metrics
 * turn to 'error'.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "bench/benchmark.h"
#include "bench/producers.h"
#include "bench/runner.h"
#include "checks/check.h"
#include "ringbuf_session.h"
#include "workloads/workload.h"

#define BENCH "ringbuf-vs-perfbuf"

enum { EVENTS_PER_S, DROP_PCT };	/* a variant's numbers in its samples' extra[] */

static const char *const variant_names[RB_NR_VARIANTS + 1] = {
	"ringbuf-reserve-1p", "ringbuf-reserve-2p", "ringbuf-output-1p",
	"ringbuf-output-2p",  "perfbuf-1p",	    "perfbuf-2p",
	NULL,
};

/* Probe checks run for this benchmark, each once: the verdict on each kind's buffer. */
struct verdict {
	const char *check;
	struct check_result res;
};

/*
 * Whether the probe check behind a kind's buffer passes here; when it does not, both of the
 * variant's metrics carry its status and reason.
 */
static bool buffer_works(enum rb_kind k, struct verdict *verdicts, struct metric *ev,
			 struct metric *dp)
{
	const char *name = k == RB_PERF ? "perfbuf" : "ringbuf";
	const struct check *chk;
	struct verdict *v = NULL;
	char why[sizeof(ev->reason)];

	for (int i = 0; i < RB_NR_KINDS && !v; i++)
		if (!verdicts[i].check || !strcmp(verdicts[i].check, name))
			v = &verdicts[i];
	if (!v->check) {
		v->check = name;
		check_result_init(&v->res);
		chk = check_find(name);
		if (chk)
			check_run(chk, &v->res);
		else
			check_set(&v->res, CHECK_ERROR, "no such check");
	}
	if (v->res.status == CHECK_PASS)
		return true;
	snprintf(why, sizeof(why), "probe check '%s' %s: %.200s", name,
		 check_status_name(v->res.status), v->res.reason);
	metric_unavailable(ev, check_metric_status(v->res.status), why);
	metric_unavailable(dp, check_metric_status(v->res.status), why);
	return false;
}

static void variant_broke(struct metric *ev, struct metric *dp, const char *why)
{
	metric_unavailable(ev, "error", why);
	metric_unavailable(dp, "error", why);
	ev->n = dp->n = 0;
}

/* The untraced condition: the trigger rate with nothing attached, one producer. */
struct untraced {
	const struct workload *w;
	void *state;
	struct workload_opts o;
};

static int untraced_measure(void *ctx, struct bench_sample *s, char *why, size_t sz)
{
	struct untraced *u = ctx;
	double seconds = 0;
	int err = producers_run(u->w, u->state, 1, &u->o, &s->ops, &seconds, why, sz);

	s->ops_per_s = s->ops / seconds;
	return err;
}

/* A variant's condition: events per second received in the window, % dropped. */
struct traced {
	const struct rb_variant *v;
	struct untraced *u;
};

static int traced_measure(void *ctx, struct bench_sample *s, char *why, size_t sz)
{
	struct traced *t = ctx;
	struct ringbuf_bench_counts n;
	int err = rb_measure(t->v, t->u->w, t->u->state, &t->u->o, false, &n, why, sz);

	if (!err && !rb_accounted(&n, why, sz))
		err = -EPROTO;
	s->extra[EVENTS_PER_S] = n.in_window / n.seconds;
	s->extra[DROP_PCT] = 100.0 * n.dropped / n.seen;
	return err;
}

static int record(const struct bench_loop *l, const struct traced *t, struct metric *untraced,
		  struct metric **ev, struct metric **dp)
{
	int err = 0;

	for (int i = 0; i < l->n; i++) {
		const struct bench_cond *k = &l->conds[i];
		size_t v = i ? (size_t)(t[i].v - rb_variants) : 0;

		if (!i && k->broken && !strcmp(untraced->status, "ok"))
			metric_unavailable(untraced, "error", k->why);
		else if (i && k->broken && !strcmp(ev[v]->status, "ok"))
			variant_broke(ev[v], dp[v], k->why);
		for (int r = 0; r < l->reps_done && !k->broken && !err; r++) {
			const struct bench_sample *s = &k->samples[r];

			if (!i)
				err = metric_add(untraced, s->ops_per_s);
			else if (!(err = metric_add(ev[v], s->extra[EVENTS_PER_S])))
				err = metric_add(dp[v], s->extra[DROP_PCT]);
		}
	}
	return err;
}

static int rvp_run(const struct bench_params *p, struct bench_ctx *c)
{
	struct untraced u = { .w = workload_find("syscall"), .o = bench_workload_opts(p) };
	struct metric *ev[RB_NR_VARIANTS] = {}, *dp[RB_NR_VARIANTS] = {}, *untraced;
	struct verdict verdicts[RB_NR_KINDS] = {};
	struct traced t[RB_NR_VARIANTS + 1] = {};
	struct bench_cond conds[RB_NR_VARIANTS + 1] = {};
	struct bench_loop l = { .conds = conds, .n = 1, .reps = p->reps, .label = BENCH };
	bool set_up = false;
	char why[256], name[128];
	int err = 0;

	if (!u.w || p->reps < 1 || p->seconds <= 0)
		return -EINVAL;
	untraced = metric_get(c->metrics, BENCH "/syscall/untraced_ops_per_s", "ops/s",
			      BETTER_HIGHER);
	if (!untraced)
		return -ENOMEM;
	conds[0] = (struct bench_cond){ .name = "untraced", .measure = untraced_measure, .ctx = &u };
	for (size_t i = 0; i < RB_NR_VARIANTS; i++) {
		const struct rb_variant *v = &rb_variants[i];

		if (!bench_wants(p, v->name))
			continue;
		snprintf(name, sizeof(name), BENCH "/%s/events_per_s", v->name);
		ev[i] = metric_get(c->metrics, name, "events/s", BETTER_HIGHER);
		snprintf(name, sizeof(name), BENCH "/%s/drop_pct", v->name);
		dp[i] = metric_get(c->metrics, name, "%", BETTER_LOWER);
		if (!ev[i] || !dp[i]) {
			err = -ENOMEM;
			goto cleanup;
		}
		if (!buffer_works(v->kind, verdicts, ev[i], dp[i]))
			continue;
		t[l.n] = (struct traced){ .v = v, .u = &u };
		conds[l.n] = (struct bench_cond){ .name = v->name, .measure = traced_measure,
						  .ctx = &t[l.n] };
		l.n++;
	}
	err = u.w->setup(&u.o, &u.state, why, sizeof(why));
	if (err) {
		const char *st = err == -EOPNOTSUPP ? "skipped" : "error";

		metric_unavailable(untraced, st, why);
		for (size_t i = 0; i < RB_NR_VARIANTS; i++)
			if (ev[i] && !strcmp(ev[i]->status, "ok"))
				variant_broke(ev[i], dp[i], why);
		err = err == -EOPNOTSUPP ? 0 : err;
		goto cleanup;
	}
	set_up = true;
	err = bench_loop_run(&l, c);
	if (err != -ENOMEM) {
		int rec = record(&l, t, untraced, ev, dp);

		err = rec ? rec : err;
	}
cleanup:
	bench_loop_release(&l);
	for (int i = 0; i < RB_NR_KINDS; i++)
		if (verdicts[i].check)
			check_result_release(&verdicts[i].res);
	if (set_up)
		u.w->teardown(u.state);
	return err;
}

/*
 * 64-byte samples, 256 KiB of buffer each, default wakeups, 1 and 2 producer threads and one
 * consumer (2p oversubscribes machines with fewer than 3 CPUs).
 */
DEFINE_BENCHMARK(ringbuf_vs_perfbuf, BENCH,
		 "events/s to user space and % dropped: ring buffer vs perf buffer",
		 variant_names, rvp_run);
