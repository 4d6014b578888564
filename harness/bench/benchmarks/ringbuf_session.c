// SPDX-License-Identifier: GPL-2.0
/*
 * The measurement behind ringbuf-vs-perfbuf (ringbuf_vs_perfbuf.c says what it measures and
 * why): a variant's program attached on the raw sys_enter tracepoint, its buffer, a consumer
 * thread draining it through libbpf, and producer threads running the 'syscall' workload.
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

#include "bench/producers.h"
#include "lib/autoload.h"
#include "lib/errno_name.h"
#include "lib/libbpf_log.h"
#include "ringbuf_bench.h"
#include "ringbuf_bench.skel.h"
#include "ringbuf_session.h"
#include "workloads/workload.h"
#include "workloads/workload_util.h"

#define POLL_MS 10		/* the consumer notices the end of a run this fast */

_Static_assert(sizeof(struct rb_bench_sample) == RB_BENCH_SAMPLE_BYTES, "sample size");

static const struct {
	const char *prog;	/* its program in ringbuf_bench.bpf.c */
} kinds[RB_NR_KINDS] = {
	[RB_RESERVE] = { "rb_reserve" },
	[RB_OUTPUT] = { "rb_output" },
	[RB_PERF] = { "pb_output" },
};

const struct rb_variant rb_variants[RB_NR_VARIANTS] = {
	{ "ringbuf-reserve-1p", RB_RESERVE, 1 }, { "ringbuf-reserve-2p", RB_RESERVE, 2 },
	{ "ringbuf-output-1p", RB_OUTPUT, 1 },   { "ringbuf-output-2p", RB_OUTPUT, 2 },
	{ "perfbuf-1p", RB_PERF, 1 },		 { "perfbuf-2p", RB_PERF, 2 },
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

static int session_open(struct session *s, enum rb_kind k, char *why, size_t sz)
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
	bpf_map__set_autocreate(k == RB_PERF ? skel->maps.ringbuf : skel->maps.perfbuf, false);
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
	if (k == RB_PERF)
		s->pb = perf_buffer__new(bpf_map__fd(skel->maps.perfbuf), RB_BENCH_PERFBUF_PAGES,
					 on_perf_sample, NULL, s, NULL);
	else
		s->rb = ring_buffer__new(bpf_map__fd(skel->maps.ringbuf), on_ring_sample, s, NULL);
	if (!s->pb && !s->rb) {
		err = -errno;
		why_errno(why, sz, err, "%s",
			  k == RB_PERF ? "perf_buffer__new" : "ring_buffer__new");
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

/* One run of a variant: attach, produce, drain, count, detach. */
int rb_measure(const struct rb_variant *v, const struct workload *w, void *state,
		   const struct workload_opts *o, bool hold, struct ringbuf_bench_counts *c,
		   char *why, size_t sz)
{
	struct workload_opts po = *o;
	struct session s;
	double ops = 0;
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
	err = producers_run(w, state, v->producers, &po, &ops, &c->seconds, why, sz);
	c->calls = ops;
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

static const struct rb_variant *variant_find(const char *name)
{
	for (size_t i = 0; i < RB_NR_VARIANTS; i++)
		if (!strcmp(rb_variants[i].name, name))
			return &rb_variants[i];
	return NULL;
}

int ringbuf_bench_count(const char *variant, long calls, bool hold,
			struct ringbuf_bench_counts *counts, char *why, size_t sz)
{
	const struct workload *w = workload_find("syscall");
	const struct rb_variant *v = variant_find(variant);
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
	err = rb_measure(v, w, state, &o, hold, counts, why, sz);
	w->teardown(state);
	return err;
}

/* Whether a run's samples add up; why not, when they do not. */
bool rb_accounted(const struct ringbuf_bench_counts *c, char *why, size_t sz)
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
