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
 * Method (benchmark.h): a warm-up repetition, discarded; then params->reps repetitions,
 * each running every condition for params->seconds, in an order that rotates per
 * repetition: the untraced trigger rate (1 producer, nothing attached) and each variant,
 * whose program is loaded and attached before its run and destroyed after it. Every
 * repetition accounts for every sample: received (after a final drain) + dropped must equal
 * the calls the program counted, else the variant's metrics turn to 'error'.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/types.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "bench/benchmark.h"
#include "checks/check.h"
#include "lib/autoload.h"
#include "lib/errno_name.h"
#include "lib/interrupt.h"
#include "lib/libbpf_log.h"
#include "ringbuf_bench.h"
#include "ringbuf_bench.skel.h"
#include "ringbuf_vs_perfbuf.h"
#include "workloads/workload.h"
#include "workloads/workload_util.h"

#define BENCH "ringbuf-vs-perfbuf"
#define POLL_MS 10		/* the consumer notices the end of a run this fast */
#define MAX_PRODUCERS 2

_Static_assert(sizeof(struct rb_bench_sample) == RB_BENCH_SAMPLE_BYTES, "sample size");

enum kind { K_RESERVE, K_OUTPUT, K_PERF, NR_KINDS };

static const struct {
	const char *prog;	/* its program in ringbuf_bench.bpf.c */
	const char *check;	/* the probe check that says whether its buffer works here */
} kinds[NR_KINDS] = {
	[K_RESERVE] = { "rb_reserve", "ringbuf" },
	[K_OUTPUT] = { "rb_output", "ringbuf" },
	[K_PERF] = { "pb_output", "perfbuf" },
};

struct variant {
	const char *name;
	enum kind kind;
	int producers;
};

static const struct variant variants[] = {
	{ "ringbuf-reserve-1p", K_RESERVE, 1 }, { "ringbuf-reserve-2p", K_RESERVE, 2 },
	{ "ringbuf-output-1p", K_OUTPUT, 1 },   { "ringbuf-output-2p", K_OUTPUT, 2 },
	{ "perfbuf-1p", K_PERF, 1 },		{ "perfbuf-2p", K_PERF, 2 },
};
#define NR_VARIANTS (sizeof(variants) / sizeof(variants[0]))

static const char *const variant_names[NR_VARIANTS + 1] = {
	"ringbuf-reserve-1p", "ringbuf-reserve-2p", "ringbuf-output-1p",
	"ringbuf-output-2p",  "perfbuf-1p",	    "perfbuf-2p",
	NULL,
};

/* One attached variant: its program, its buffer and the thread that drains it. */
struct session {
	struct ringbuf_bench_bpf *skel;
	struct bpf_link *link;
	struct ring_buffer *rb;
	struct perf_buffer *pb;
	pthread_t consumer;
	bool consumer_running;
	int stop;			/* set by the main thread, read by the consumer */
	unsigned long long received;	/* written by whoever consumes, one thread at a time */
	unsigned long long bad_size;	/* samples of another size */
	int consume_err;
};

__attribute__((format(printf, 4, 5)))
static void why_errno(char *why, size_t sz, int err, const char *fmt, ...)
{
	char what[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	err = err < 0 ? -err : err;
	snprintf(why, sz, "%s: %s (%s)", what, errno_name(err), strerror(err));
}

static void count_sample(struct session *s, bool right_size)
{
	if (!right_size)
		s->bad_size++;
	else
		__atomic_store_n(&s->received, s->received + 1, __ATOMIC_RELAXED);
}

static int on_ring_sample(void *ctx, void *data, size_t size)
{
	(void)data;
	/* A ring buffer record is exactly what was reserved or output. */
	count_sample(ctx, size == sizeof(struct rb_bench_sample));
	return 0;
}

static void on_perf_sample(void *ctx, int cpu, void *data, __u32 size)
{
	(void)cpu;
	(void)data;
	/* Perf pads raw records to 8 bytes around a u32 size: size may exceed the sample. */
	count_sample(ctx, size >= sizeof(struct rb_bench_sample));
}

/* Reads whatever is in the buffer now, without waiting. */
static int session_consume(struct session *s)
{
	int ret = s->rb ? ring_buffer__consume(s->rb) : perf_buffer__consume(s->pb);

	return ret < 0 ? ret : 0;
}

/* After the producers stopped: reads until a pass finds nothing more. */
static int session_drain(struct session *s)
{
	unsigned long long before;
	int err;

	do {
		before = s->received + s->bad_size;
		err = session_consume(s);
		if (err)
			return err;
	} while (s->received + s->bad_size != before);
	return 0;
}

static void *consumer_main(void *arg)
{
	struct session *s = arg;
	int err = 0;

	while (!__atomic_load_n(&s->stop, __ATOMIC_ACQUIRE)) {
		err = s->rb ? ring_buffer__poll(s->rb, POLL_MS) : perf_buffer__poll(s->pb, POLL_MS);
		if (err < 0 && err != -EINTR)
			break;
		err = 0;
	}
	if (!err)
		err = session_drain(s);
	s->consume_err = err;
	return NULL;
}

static int session_open(struct session *s, enum kind k, char *why, size_t sz)
{
	struct ringbuf_bench_bpf *skel;
	struct bpf_program *prog;
	int err;

	skel = s->skel = ringbuf_bench_bpf__open();
	if (!skel) {
		err = -errno;
		why_errno(why, sz, err, "open 'ringbuf_bench' BPF object");
		return err;
	}
	prog = bpf_object__find_program_by_name(skel->obj, kinds[k].prog);
	skel->rodata->target_tgid = getpid();
	skel->rodata->target_nr = SYS_getppid;
	autoload_only(skel->obj, prog);
	bpf_map__set_autocreate(k == K_PERF ? skel->maps.ringbuf : skel->maps.perfbuf, false);
	err = bpf_map__set_max_entries(skel->maps.ringbuf, RB_BENCH_RINGBUF_BYTES);
	if (!err)
		err = ringbuf_bench_bpf__load(skel);
	if (err) {
		why_errno(why, sz, err, "load program '%s'", kinds[k].prog);
		if (libbpf_log_last()[0])
			snprintf(why + strlen(why), sz - strlen(why), ": %s", libbpf_log_last());
		return err;
	}
	/* The buffer's reader first: a perf buffer's slots are empty until it exists. */
	if (k == K_PERF)
		s->pb = perf_buffer__new(bpf_map__fd(skel->maps.perfbuf), RB_BENCH_PERFBUF_PAGES,
					 on_perf_sample, NULL, s, NULL);
	else
		s->rb = ring_buffer__new(bpf_map__fd(skel->maps.ringbuf), on_ring_sample, s, NULL);
	if (!s->pb && !s->rb) {
		err = -errno;
		why_errno(why, sz, err, "%s",
			  k == K_PERF ? "perf_buffer__new" : "ring_buffer__new");
		return err;
	}
	s->link = bpf_program__attach(prog);
	if (!s->link) {
		err = -errno;
		why_errno(why, sz, err, "attach 'raw_tracepoint' to 'sys_enter'");
		return err;
	}
	return 0;
}

static int consumer_start(struct session *s, char *why, size_t sz)
{
	int err = -pthread_create(&s->consumer, NULL, consumer_main, s);

	if (err) {
		why_errno(why, sz, err, "start the consumer thread");
		return err;
	}
	s->consumer_running = true;
	return 0;
}

/* Stops the consumer after a last drain (or drains here when there was none). */
static int consumer_finish(struct session *s, char *why, size_t sz)
{
	int err;

	if (s->consumer_running) {
		__atomic_store_n(&s->stop, 1, __ATOMIC_RELEASE);
		pthread_join(s->consumer, NULL);
		s->consumer_running = false;
		err = s->consume_err;
	} else {
		err = session_drain(s);
	}
	if (err)
		why_errno(why, sz, err, "%s", s->rb ? "ring_buffer__poll" : "perf_buffer__poll");
	return err;
}

static void session_close(struct session *s)
{
	if (s->consumer_running) {
		__atomic_store_n(&s->stop, 1, __ATOMIC_RELEASE);
		pthread_join(s->consumer, NULL);
		s->consumer_running = false;
	}
	bpf_link__destroy(s->link);
	ring_buffer__free(s->rb);
	perf_buffer__free(s->pb);
	ringbuf_bench_bpf__destroy(s->skel);
	memset(s, 0, sizeof(*s));
}

/* The program's counts, summed over CPUs. */
static int session_counts(struct session *s, struct ringbuf_bench_counts *c, char *why,
			  size_t sz)
{
	int ncpu = libbpf_num_possible_cpus(), err = 0;
	struct rb_bench_counts *v;
	__u32 zero = 0;

	if (ncpu < 0) {
		why_errno(why, sz, ncpu, "libbpf_num_possible_cpus");
		return ncpu;
	}
	v = calloc(ncpu, sizeof(*v));
	if (!v)
		return -ENOMEM;
	if (bpf_map_lookup_elem(bpf_map__fd(s->skel->maps.counts), &zero, v)) {
		err = -errno;
		why_errno(why, sz, err, "read map 'counts'");
		goto cleanup;
	}
	for (int i = 0; i < ncpu; i++) {
		c->seen += v[i].seen;
		c->dropped += v[i].dropped;
	}
cleanup:
	free(v);
	return err;
}

/* Producers start together: each waits until all exist and the main thread says go. */
struct gate {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int ready;
	int go;			/* 1 run, -1 give up */
};

struct producer {
	pthread_t thread;
	const struct workload *w;
	void *state;
	struct workload_opts o;
	struct workload_result r;
	struct gate *gate;
	int err;
};

static void *producer_main(void *arg)
{
	struct producer *p = arg;
	struct gate *g = p->gate;
	int go;

	pthread_mutex_lock(&g->lock);
	g->ready++;
	pthread_cond_broadcast(&g->cond);
	while (!g->go)
		pthread_cond_wait(&g->cond, &g->lock);
	go = g->go;
	pthread_mutex_unlock(&g->lock);
	if (go > 0)
		p->err = p->w->run(p->state, &p->o, &p->r);
	return NULL;
}

/* n producer threads run the workload together; calls summed, window until the last ends. */
static int producers_run(const struct workload *w, void *state, int n,
			 const struct workload_opts *o, struct ringbuf_bench_counts *c, char *why,
			 size_t sz)
{
	struct gate g = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0 };
	struct producer p[MAX_PRODUCERS];
	int started, err = 0;
	double start;

	memset(p, 0, sizeof(p));
	for (started = 0; started < n; started++) {
		p[started].w = w;
		p[started].state = state;
		p[started].o = *o;
		p[started].gate = &g;
		err = -pthread_create(&p[started].thread, NULL, producer_main, &p[started]);
		if (err) {
			why_errno(why, sz, err, "start producer thread %d", started + 1);
			break;
		}
	}
	pthread_mutex_lock(&g.lock);
	while (!err && g.ready < started)
		pthread_cond_wait(&g.cond, &g.lock);
	g.go = err ? -1 : 1;
	start = workload_now();
	pthread_cond_broadcast(&g.cond);
	pthread_mutex_unlock(&g.lock);
	for (int i = 0; i < started; i++) {
		pthread_join(p[i].thread, NULL);
		c->calls += p[i].r.ops;
		if (p[i].err && !err) {
			err = p[i].err;
			why_errno(why, sz, err, "workload '%s'", w->name);
		}
		workload_result_release(&p[i].r);
	}
	c->seconds = workload_now() - start;
	return err;
}

/* One run of a variant: attach, produce, drain, count, detach. */
static int measure(const struct variant *v, const struct workload *w, void *state,
		   const struct workload_opts *o, bool hold, struct ringbuf_bench_counts *c,
		   char *why, size_t sz)
{
	struct workload_opts po = *o;
	struct session s;
	int err;

	memset(&s, 0, sizeof(s));
	memset(c, 0, sizeof(*c));
	if (v->producers > 1)
		po.cpu = -1;
	err = session_open(&s, v->kind, why, sz);
	if (!err && !hold)
		err = consumer_start(&s, why, sz);
	if (err)
		goto cleanup;
	err = producers_run(w, state, v->producers, &po, c, why, sz);
	c->in_window = __atomic_load_n(&s.received, __ATOMIC_RELAXED);
	if (err)
		goto cleanup;
	err = session_counts(&s, c, why, sz);
	if (err)
		goto cleanup;
	err = consumer_finish(&s, why, sz);
	if (err)
		goto cleanup;
	c->delivered = s.received;
	if (s.bad_size) {
		err = -EPROTO;
		snprintf(why, sz, "%llu samples arrived with a size other than %d bytes",
			 s.bad_size, RB_BENCH_SAMPLE_BYTES);
	}
cleanup:
	session_close(&s);
	return err;
}

static const struct variant *variant_find(const char *name)
{
	for (size_t i = 0; i < NR_VARIANTS; i++)
		if (!strcmp(variants[i].name, name))
			return &variants[i];
	return NULL;
}

int ringbuf_bench_count(const char *variant, long calls, bool hold,
			struct ringbuf_bench_counts *counts, char *why, size_t sz)
{
	const struct workload *w = workload_find("syscall");
	const struct variant *v = variant_find(variant);
	struct workload_opts o = { .ops = calls, .cpu = -1 };
	void *state = NULL;
	int err;

	if (!v || !w || calls < 1) {
		snprintf(why, sz, "%s", !v ? "no such variant" : !w ? "no 'syscall' workload" :
			 "calls must be at least 1");
		return -EINVAL;
	}
	err = w->setup(&o, &state, why, sz);
	if (err)
		return err;
	err = measure(v, w, state, &o, hold, counts, why, sz);
	w->teardown(state);
	return err;
}

/* Whether a run's samples add up; why not, when they do not. */
static bool accounted(const struct ringbuf_bench_counts *c, char *why, size_t sz)
{
	if (!c->seen) {
		snprintf(why, sz, "the program counted none of the %llu getppid calls of pid %d",
			 c->calls, getpid());
		return false;
	}
	if (c->delivered + c->dropped != c->seen || c->seen > c->calls) {
		snprintf(why, sz, "samples do not add up: %llu received + %llu dropped, %llu "
			 "counted by the program, %llu calls made", c->delivered, c->dropped,
			 c->seen, c->calls);
		return false;
	}
	return true;
}

static const char *metric_status_of(enum check_status st)
{
	switch (st) {
	case CHECK_UNSUPPORTED: return "unsupported";
	case CHECK_SKIPPED: return "skipped";
	default: return "error";
	}
}

/* Probe checks run for this benchmark, each once: the verdict on each kind's buffer. */
struct verdict {
	const char *check;
	struct check_result res;
};

/*
 * Whether the probe check behind a kind's buffer passes here; when it does not, both of the
 * variant's metrics carry its status and reason.
 */
static bool buffer_works(enum kind k, struct verdict *verdicts, struct metric *ev,
			 struct metric *dp)
{
	const char *name = kinds[k].check;
	const struct check *chk;
	struct verdict *v = NULL;
	char why[sizeof(ev->reason)];

	for (int i = 0; i < NR_KINDS && !v; i++)
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
	metric_unavailable(ev, metric_status_of(v->res.status), why);
	metric_unavailable(dp, metric_status_of(v->res.status), why);
	return false;
}

static void variant_broke(struct metric *ev, struct metric *dp, const char *why)
{
	metric_unavailable(ev, "error", why);
	metric_unavailable(dp, "error", why);
	ev->n = dp->n = 0;
}

static int rvp_run(const struct bench_params *p, struct bench_ctx *c)
{
	const struct workload *w = workload_find("syscall");
	struct workload_opts o = { .seconds = p->seconds, .cpu = p->cpu, .workdir = p->workdir };
	struct metric *ev[NR_VARIANTS] = {}, *dp[NR_VARIANTS] = {}, *untraced;
	struct verdict verdicts[NR_KINDS] = {};
	bool set_up = false;
	int cond[NR_VARIANTS + 1], ncond = 0, err = 0;
	void *state = NULL;
	char why[256], name[128];

	if (!w || p->reps < 1 || p->seconds <= 0)
		return -EINVAL;
	untraced = metric_get(c->metrics, BENCH "/syscall/untraced_ops_per_s", "ops/s",
			      BETTER_HIGHER);
	if (!untraced)
		return -ENOMEM;
	cond[ncond++] = -1;
	for (size_t i = 0; i < NR_VARIANTS; i++) {
		if (!bench_wants(p, variants[i].name))
			continue;
		snprintf(name, sizeof(name), BENCH "/%s/events_per_s", variants[i].name);
		ev[i] = metric_get(c->metrics, name, "events/s", BETTER_HIGHER);
		snprintf(name, sizeof(name), BENCH "/%s/drop_pct", variants[i].name);
		dp[i] = metric_get(c->metrics, name, "%", BETTER_LOWER);
		if (!ev[i] || !dp[i]) {
			err = -ENOMEM;
			goto cleanup;
		}
		if (buffer_works(variants[i].kind, verdicts, ev[i], dp[i]))
			cond[ncond++] = i;
	}
	err = w->setup(&o, &state, why, sizeof(why));
	if (err) {
		const char *st = err == -EOPNOTSUPP ? "skipped" : "error";

		metric_unavailable(untraced, st, why);
		for (size_t i = 0; i < NR_VARIANTS; i++)
			if (ev[i] && !strcmp(ev[i]->status, "ok"))
				variant_broke(ev[i], dp[i], why);
		err = err == -EOPNOTSUPP ? 0 : err;
		goto cleanup;
	}
	set_up = true;

	for (int r = -1; r < p->reps; r++) {
		for (int j = 0; j < ncond; j++) {
			int k = cond[(j + r + 1) % ncond];
			struct ringbuf_bench_counts n;

			if (interrupted()) {
				err = -EINTR;
				goto cleanup;
			}
			if (c->progress)
				c->progress(c, BENCH ": %s %d/%d %s", r < 0 ? "warm-up" : "rep",
					    r < 0 ? 0 : r + 1, p->reps,
					    k < 0 ? "untraced" : variants[k].name);
			if (k < 0) {
				if (strcmp(untraced->status, "ok"))
					continue;
				memset(&n, 0, sizeof(n));
				if (producers_run(w, state, 1, &o, &n, why, sizeof(why))) {
					metric_unavailable(untraced, "error", why);
					untraced->n = 0;
				} else if (r >= 0 && metric_add(untraced, n.calls / n.seconds)) {
					err = -ENOMEM;
					goto cleanup;
				}
				continue;
			}
			if (strcmp(ev[k]->status, "ok"))
				continue;
			if (measure(&variants[k], w, state, &o, false, &n, why, sizeof(why)) ||
			    !accounted(&n, why, sizeof(why))) {
				variant_broke(ev[k], dp[k], why);
				continue;
			}
			if (r < 0)
				continue;
			if (metric_add(ev[k], n.in_window / n.seconds) ||
			    metric_add(dp[k], 100.0 * n.dropped / n.seen)) {
				err = -ENOMEM;
				goto cleanup;
			}
		}
	}
cleanup:
	for (int i = 0; i < NR_KINDS; i++)
		if (verdicts[i].check)
			check_result_release(&verdicts[i].res);
	if (set_up)
		w->teardown(state);
	return err;
}

/*
 * 64-byte samples, 256 KiB of buffer each, default wakeups, 1 and 2 producer threads and one
 * consumer (2p oversubscribes machines with fewer than 3 CPUs).
 */
DEFINE_BENCHMARK(ringbuf_vs_perfbuf, BENCH,
		 "events/s to user space and % dropped: ring buffer vs perf buffer",
		 variant_names, rvp_run);
