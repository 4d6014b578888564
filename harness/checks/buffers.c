// SPDX-License-Identifier: GPL-2.0
/*
 * ringbuf, perfbuf: this process makes exactly NR_EVENTS getppid calls; a program on the raw
 * sys_enter tracepoint, filtered by this tgid, sends one event per call with a sequence
 * number. User space must receive every event, in order (within each CPU for a perf buffer),
 * each with this pid and tid and the helper that sent it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/types.h>
#include <bpf/libbpf.h>

#include "buffers.h"
#include "check.h"
#include "lib/errno_name.h"
#include "lib/kernel_ids.h"
#include "perfbuf.skel.h"
#include "ringbuf.skel.h"

#define NR_EVENTS 64
#define POLL_MS 100		/* once the events are in, a poll returns at once */
#define PERF_PAGES 8		/* per CPU */

static const char *const tp_configs[] = { "CONFIG_TRACEPOINTS", NULL };

struct received {
	struct buf_event ev[NR_EVENTS];
	int cpu[NR_EVENTS];	/* the CPU buffer each came from (perf buffer) */
	int n;			/* events received, also past NR_EVENTS */
	int bad_size;		/* records of another size */
	unsigned long long lost;	/* perf buffer: records the kernel could not write */
};

static void receive(struct received *r, int cpu, const void *data, size_t size)
{
	if (size < sizeof(struct buf_event)) {
		r->bad_size++;
		return;
	}
	if (r->n < NR_EVENTS) {
		memcpy(&r->ev[r->n], data, sizeof(struct buf_event));
		r->cpu[r->n] = cpu;
	}
	r->n++;
}

static int on_ring_event(void *ctx, void *data, size_t size)
{
	/* A ring buffer record is exactly what was reserved or output. */
	receive(ctx, -1, data, size == sizeof(struct buf_event) ? size : 0);
	return 0;
}

static void on_perf_event(void *ctx, int cpu, void *data, __u32 size)
{
	/* Perf records are padded to 8 bytes around a u32 size: size may exceed the event. */
	receive(ctx, cpu, data, size);
}

static void on_perf_lost(void *ctx, int cpu, __u64 cnt)
{
	(void)cpu;
	((struct received *)ctx)->lost += cnt;
}

static void trigger(__u32 *armed)
{
	*armed = 1;
	for (long i = 0; i < NR_EVENTS; i++)
		syscall(SYS_getppid);
	*armed = 0;
}

/* The sequence number of the event received before event i (from the same CPU), or -1. */
static long long seq_before(const struct received *r, int i, bool per_cpu)
{
	for (int j = i - 1; j >= 0; j--)
		if (!per_cpu || r->cpu[j] == r->cpu[i])
			return r->ev[j].seq;
	return -1;
}

/*
 * Every event once, with this pid and tid and the right variant; in order overall, or within
 * each CPU's buffer when per_cpu. Sets the verdict; 'what' names the buffer.
 */
static void verify(struct check_result *res, const struct received *r, bool per_cpu,
		   const char *what, unsigned long long seen, unsigned long long dropped)
{
	bool got[NR_EVENTS] = { false };

	check_detail_int(res, "calls", NR_EVENTS);
	check_detail_int(res, "seen_by_program", seen);
	check_detail_int(res, "dropped_in_kernel", dropped);
	check_detail_int(res, "received", r->n);
	if (seen != NR_EVENTS) {
		check_set(res, CHECK_FAIL, "program saw %llu of %d getppid calls of pid %d", seen,
			  NR_EVENTS, getpid());
		return;
	}
	if (r->n != NR_EVENTS || r->bad_size || r->lost) {
		check_set(res, CHECK_FAIL, "%s: received %d of %d events (%llu dropped in the "
			  "kernel, %llu lost, %d of a wrong size)", what, r->n, NR_EVENTS, dropped,
			  r->lost, r->bad_size);
		return;
	}
	for (int i = 0; i < NR_EVENTS; i++) {
		const struct buf_event *e = &r->ev[i];
		__u32 want = per_cpu ? BUF_PERF_OUTPUT : e->seq & 1 ? BUF_OUTPUT : BUF_RESERVE;
		long long before = seq_before(r, i, per_cpu);

		if (e->seq >= NR_EVENTS || got[e->seq] || (long long)e->seq <= before) {
			check_set(res, CHECK_FAIL, "%s: event %d has sequence number %llu after "
				  "%lld%s", what, i, (unsigned long long)e->seq, before,
				  per_cpu ? " on its CPU" : "");
			return;
		}
		if (e->pid != (__u32)kernel_tgid() || e->tid != (__u32)kernel_tid()) {
			check_set(res, CHECK_FAIL, "%s: event %llu carries pid %u tid %u, expected "
				  "%d %d", what, (unsigned long long)e->seq, e->pid, e->tid,
				  kernel_tgid(), kernel_tid());
			return;
		}
		if (e->variant != want) {
			check_set(res, CHECK_FAIL, "%s: event %llu carries variant %u, expected %u",
				  what, (unsigned long long)e->seq, e->variant, want);
			return;
		}
		if (per_cpu && (int)e->cpu != r->cpu[i]) {
			check_set(res, CHECK_FAIL, "%s: event %llu written on CPU %u arrived in "
				  "CPU %d's buffer", what, (unsigned long long)e->seq, e->cpu,
				  r->cpu[i]);
			return;
		}
		got[e->seq] = true;
	}
	check_set(res, CHECK_PASS, "%s: %d of %d events of pid %d received in order%s", what,
		  NR_EVENTS, NR_EVENTS, getpid(), per_cpu ? " within each CPU" : "");
}

/* Load failed: unsupported when this kernel has no such map type, else explained. */
static void explain_load(struct check_result *res, int err, enum bpf_map_type type,
			 const char *type_name)
{
	char what[96];

	snprintf(what, sizeof(what), "load 'raw_tracepoint/sys_enter' program with a %s map",
		 type_name);
	if (libbpf_probe_bpf_map_type(type, NULL) == 0) {
		check_set_errno(res, CHECK_UNSUPPORTED, err, "%s", what);
		check_reason_append(res, "this kernel has no %s (a map of that type cannot be "
				    "created)", type_name);
		return;
	}
	check_explain(res, err, what, NULL);
}

static void run_ringbuf(struct check_result *res)
{
	struct received r = { .n = 0 };
	struct ring_buffer *rb = NULL;
	struct ringbuf_bpf *skel;
	int err, polls = 0;

	skel = ringbuf_bpf__open();
	if (!skel) {
		check_set_errno(res, CHECK_ERROR, errno, "open 'ringbuf' BPF object");
		return;
	}
	skel->rodata->target_tgid = kernel_tgid();
	skel->rodata->target_nr = SYS_getppid;
	err = ringbuf_bpf__load(skel);
	if (err) {
		explain_load(res, err, BPF_MAP_TYPE_RINGBUF, "BPF_MAP_TYPE_RINGBUF");
		goto cleanup;
	}
	err = ringbuf_bpf__attach(skel);
	if (err) {
		check_explain(res, err, "attach 'raw_tracepoint' to 'sys_enter'", tp_configs);
		goto cleanup;
	}
	rb = ring_buffer__new(bpf_map__fd(skel->maps.events), on_ring_event, &r, NULL);
	if (!rb) {
		err = -errno;
		check_set_errno(res, CHECK_FAIL, err, "ring_buffer__new");
		goto cleanup;
	}

	trigger(&skel->bss->armed);
	while (r.n < NR_EVENTS) {
		err = ring_buffer__poll(rb, POLL_MS);
		polls++;
		if (err <= 0)
			break;
	}
	if (err < 0 && err != -EINTR) {
		check_set_errno(res, CHECK_FAIL, err, "ring_buffer__poll");
		goto cleanup;
	}
	check_detail_int(res, "polls", polls);
	verify(res, &r, false, "ring buffer (reserve/submit and output)", skel->bss->seen,
	       skel->bss->dropped);
cleanup:
	ring_buffer__free(rb);
	ringbuf_bpf__destroy(skel);
}

static void run_perfbuf(struct check_result *res)
{
	struct received r = { .n = 0 };
	struct perf_buffer *pb = NULL;
	struct perfbuf_bpf *skel;
	int err, polls = 0;

	skel = perfbuf_bpf__open();
	if (!skel) {
		check_set_errno(res, CHECK_ERROR, errno, "open 'perfbuf' BPF object");
		return;
	}
	skel->rodata->target_tgid = kernel_tgid();
	skel->rodata->target_nr = SYS_getppid;
	err = perfbuf_bpf__load(skel);
	if (err) {
		explain_load(res, err, BPF_MAP_TYPE_PERF_EVENT_ARRAY,
			     "BPF_MAP_TYPE_PERF_EVENT_ARRAY");
		goto cleanup;
	}
	err = perfbuf_bpf__attach(skel);
	if (err) {
		check_explain(res, err, "attach 'raw_tracepoint' to 'sys_enter'", tp_configs);
		goto cleanup;
	}
	pb = perf_buffer__new(bpf_map__fd(skel->maps.events), PERF_PAGES, on_perf_event,
			      on_perf_lost, &r, NULL);
	if (!pb) {
		err = -errno;
		check_set_errno(res, CHECK_FAIL, err, "perf_buffer__new");
		goto cleanup;
	}

	trigger(&skel->bss->armed);
	while (r.n < NR_EVENTS) {
		err = perf_buffer__poll(pb, POLL_MS);
		polls++;
		if (err <= 0)
			break;
	}
	if (err < 0 && err != -EINTR) {
		check_set_errno(res, CHECK_FAIL, err, "perf_buffer__poll");
		goto cleanup;
	}
	check_detail_int(res, "polls", polls);
	check_detail_int(res, "cpu_buffers", perf_buffer__buffer_cnt(pb));
	verify(res, &r, true, "perf buffer (bpf_perf_event_output)", skel->bss->seen,
	       skel->bss->dropped);
cleanup:
	perf_buffer__free(pb);
	perfbuf_bpf__destroy(skel);
}

DEFINE_CHECK(ringbuf, "buffers", "N events through a BPF ring buffer, reserve and output",
	     run_ringbuf);
DEFINE_CHECK(perfbuf, "buffers", "N events through a perf event array buffer",
	     run_perfbuf);
