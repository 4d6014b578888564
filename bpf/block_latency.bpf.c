// SPDX-License-Identifier: GPL-2.0
/*
 * block-latency: block I/O request latency, issue (or, with queued, insert) -> complete, as log2
 * histograms in a per-CPU hash keyed by disk (dev_t; 0 for all disks together).
 *
 * Start times live in a bounded hash keyed by the struct request pointer (tp_btf, raw_tp) or
 * by (dev, sector) (tracepoint, whose record has no pointer). A full map counts as dropped.
 * The pid/comm filter is applied where the request enters the queue (insert) or, for requests
 * issued directly without an insert, at issue: both run in the submitting task.
 */
#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "core_fixes.bpf.h"
#include "hist.bpf.h"
#include "tool_filter.bpf.h"

#define MAX_REQUESTS 10240
#define MKDEV(ma, mi) (((__u32)(ma) << 20) | (__u32)(mi))	/* the kernel's dev_t */

const volatile bool per_disk;
const volatile bool queued;

struct blk_key {
	__u64 id;	/* struct request *, or dev_t for the tracepoint variant */
	__u64 sector;	/* 0, or the request's first sector for the tracepoint variant */
};

struct blk_start {
	__u64 ts;
	__u64 sector;	/* tells a stale entry (a reused request) from the request's own */
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, MAX_REQUESTS);
	__type(key, struct blk_key);
	__type(value, struct blk_start);
} blk_starts SEC(".maps");

/* max_entries: 1, or MAX_DISKS with per_disk (set by user space before load). */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct hist);
} blk_hists SEC(".maps");

static const struct hist zero_hist;

__u64 dropped;

static __always_inline bool filtering(void)
{
	return target_tgid || filter_comm;
}

static __always_inline void start_set(struct blk_key *k, __u64 sector)
{
	struct blk_start s = { .ts = bpf_ktime_get_ns(), .sector = sector };

	if (bpf_map_update_elem(&blk_starts, k, &s, BPF_ANY))
		__sync_fetch_and_add(&dropped, 1);
}

/* Queued requests: their start with queued; without, a mark that the task was wanted. */
static __always_inline void on_insert(struct blk_key *k, __u64 sector)
{
	if (!queued && !filtering())
		return;
	if (!tool_wanted())
		return;
	start_set(k, sector);
}

static __always_inline void on_issue(struct blk_key *k, __u64 sector)
{
	struct blk_start *s = bpf_map_lookup_elem(&blk_starts, k);

	if (s && s->sector == sector) {
		/* Inserted by a wanted task; the issuer may be a kworker. */
		if (!queued)
			s->ts = bpf_ktime_get_ns();
		return;
	}
	if (!tool_wanted()) {
		if (s)
			bpf_map_delete_elem(&blk_starts, k);
		return;
	}
	start_set(k, sector);
}

static __always_inline void on_complete(struct blk_key *k, __u32 dev)
{
	__u64 now = bpf_ktime_get_ns(), delta;
	struct blk_start *s = bpf_map_lookup_elem(&blk_starts, k);
	struct hist *h;
	__u32 key = per_disk ? dev : 0;

	if (!s)
		return;
	delta = now - s->ts;
	bpf_map_delete_elem(&blk_starts, k);
	h = bpf_map_lookup_elem(&blk_hists, &key);
	if (!h) {
		bpf_map_update_elem(&blk_hists, &key, &zero_hist, BPF_NOEXIST);
		h = bpf_map_lookup_elem(&blk_hists, &key);
		if (!h) {
			__sync_fetch_and_add(&dropped, 1);
			return;
		}
	}
	hist_record(h, delta);
}

/* A request merged into another is freed without completing. */
static __always_inline void on_merge(struct blk_key *k)
{
	bpf_map_delete_elem(&blk_starts, k);
}

static __always_inline __u32 rq_dev(struct request *rq)
{
	struct gendisk *disk = request_disk(rq);

	return disk ? MKDEV(BPF_CORE_READ(disk, major), BPF_CORE_READ(disk, first_minor)) : 0;
}

static __always_inline __u64 rq_sector(struct request *rq)
{
	return BPF_CORE_READ(rq, __sector);
}

/* tp_btf and raw_tp: keyed by the request pointer. */
static __always_inline void rq_insert(struct request *rq)
{
	struct blk_key k = { .id = (__u64)rq };

	on_insert(&k, rq_sector(rq));
}

static __always_inline void rq_issue(struct request *rq)
{
	struct blk_key k = { .id = (__u64)rq };

	on_issue(&k, rq_sector(rq));
}

static __always_inline void rq_complete(struct request *rq)
{
	struct blk_key k = { .id = (__u64)rq };

	on_complete(&k, per_disk ? rq_dev(rq) : 0);
}

static __always_inline void rq_merge(struct request *rq)
{
	struct blk_key k = { .id = (__u64)rq };

	on_merge(&k);
}

SEC("tp_btf/block_rq_insert")
int BPF_PROG(insert_btf, struct request *rq)
{
	rq_insert(rq);
	return 0;
}

SEC("tp_btf/block_rq_issue")
int BPF_PROG(issue_btf, struct request *rq)
{
	rq_issue(rq);
	return 0;
}

SEC("tp_btf/block_rq_complete")
int BPF_PROG(complete_btf, struct request *rq)
{
	rq_complete(rq);
	return 0;
}

SEC("tp_btf/block_rq_merge")
int BPF_PROG(merge_btf, struct request *rq)
{
	rq_merge(rq);
	return 0;
}

SEC("raw_tp/block_rq_insert")
int insert_raw(struct bpf_raw_tracepoint_args *ctx)
{
	rq_insert((struct request *)ctx->args[0]);
	return 0;
}

SEC("raw_tp/block_rq_issue")
int issue_raw(struct bpf_raw_tracepoint_args *ctx)
{
	rq_issue((struct request *)ctx->args[0]);
	return 0;
}

SEC("raw_tp/block_rq_complete")
int complete_raw(struct bpf_raw_tracepoint_args *ctx)
{
	rq_complete((struct request *)ctx->args[0]);
	return 0;
}

SEC("raw_tp/block_rq_merge")
int merge_raw(struct bpf_raw_tracepoint_args *ctx)
{
	rq_merge((struct request *)ctx->args[0]);
	return 0;
}

/* tracepoint: keyed by (dev, sector) from the record. */
SEC("tracepoint/block/block_rq_insert")
int insert_tp(struct trace_event_raw_block_rq *ctx)
{
	struct blk_key k = { .id = ctx->dev, .sector = ctx->sector };

	on_insert(&k, ctx->sector);
	return 0;
}

SEC("tracepoint/block/block_rq_issue")
int issue_tp(struct trace_event_raw_block_rq *ctx)
{
	struct blk_key k = { .id = ctx->dev, .sector = ctx->sector };

	on_issue(&k, ctx->sector);
	return 0;
}

SEC("tracepoint/block/block_rq_complete")
int complete_tp(struct trace_event_raw_block_rq_completion *ctx)
{
	struct blk_key k = { .id = ctx->dev, .sector = ctx->sector };

	on_complete(&k, ctx->dev);
	return 0;
}

SEC("tracepoint/block/block_rq_merge")
int merge_tp(struct trace_event_raw_block_rq *ctx)
{
	struct blk_key k = { .id = ctx->dev, .sector = ctx->sector };

	on_merge(&k);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
