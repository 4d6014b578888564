// SPDX-License-Identifier: GPL-2.0
/*
 * The ringbuf-vs-perfbuf benchmark's producer side: one 64-byte sample per getppid call of
 * one process, caught on the raw sys_enter tracepoint, through one of three programs (user
 * space loads only the one it measures): bpf_ringbuf_reserve/submit, bpf_ringbuf_output, or
 * bpf_perf_event_output on the current CPU. Every send uses the default notification (flags
 * 0). Counts are per CPU; the adds are atomic because a producer may be preempted inside the
 * program by another producer on the same CPU. UAPI types only: no CO-RE relocation.
 */
#define BPF_NO_PRESERVE_ACCESS_INDEX
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

#include "ringbuf_bench.h"

const volatile __u32 target_tgid;
const volatile long target_nr;

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct rb_bench_counts);
} counts SEC(".maps");

/* Its size is set by user space before load. */
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} ringbuf SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
} perfbuf SEC(".maps");

/* This CPU's counts when the call is one of target_tgid's target_nr calls, else NULL. */
static __always_inline struct rb_bench_counts *wanted(struct bpf_raw_tracepoint_args *ctx)
{
	__u32 zero = 0;
	struct rb_bench_counts *c;

	if (bpf_get_current_pid_tgid() >> 32 != target_tgid || ctx->args[1] != target_nr)
		return NULL;
	c = bpf_map_lookup_elem(&counts, &zero);
	if (c)
		__sync_fetch_and_add(&c->seen, 1);
	return c;
}

static __always_inline void fill(struct rb_bench_sample *s)
{
	__u64 id = bpf_get_current_pid_tgid();

	s->ts = bpf_ktime_get_ns();
	s->pid = id >> 32;
	s->tid = (__u32)id;
	s->cpu = bpf_get_smp_processor_id();
	s->pad = 0;
	for (int i = 0; i < 5; i++)
		s->payload[i] = i;
}

SEC("raw_tracepoint/sys_enter")
int rb_reserve(struct bpf_raw_tracepoint_args *ctx)
{
	struct rb_bench_counts *c = wanted(ctx);
	struct rb_bench_sample *s;

	if (!c)
		return 0;
	s = bpf_ringbuf_reserve(&ringbuf, sizeof(*s), 0);
	if (!s) {
		__sync_fetch_and_add(&c->dropped, 1);
		return 0;
	}
	fill(s);
	bpf_ringbuf_submit(s, 0);
	return 0;
}

SEC("raw_tracepoint/sys_enter")
int rb_output(struct bpf_raw_tracepoint_args *ctx)
{
	struct rb_bench_counts *c = wanted(ctx);
	struct rb_bench_sample s;

	if (!c)
		return 0;
	fill(&s);
	if (bpf_ringbuf_output(&ringbuf, &s, sizeof(s), 0))
		__sync_fetch_and_add(&c->dropped, 1);
	return 0;
}

SEC("raw_tracepoint/sys_enter")
int pb_output(struct bpf_raw_tracepoint_args *ctx)
{
	struct rb_bench_counts *c = wanted(ctx);
	struct rb_bench_sample s;

	if (!c)
		return 0;
	fill(&s);
	if (bpf_perf_event_output(ctx, &perfbuf, BPF_F_CURRENT_CPU, &s, sizeof(s)))
		__sync_fetch_and_add(&c->dropped, 1);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
