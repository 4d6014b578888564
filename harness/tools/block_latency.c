// SPDX-License-Identifier: GPL-2.0
/* block-latency: block I/O issue (or insert) -> complete, optionally one histogram per disk. */
#include <errno.h>
#include <bpf/bpf.h>

#include "attach/method_why.h"
#include "attach/methods.h"
#include "block_latency.skel.h"
#include "hist_user.h"
#include "lib/disks.h"
#include "tool.h"
#include "tool_common.h"
#include "tool_session.h"

#define MAX_DISKS 64

static const struct attach_method methods[] = {
	{ "tp_btf", { "insert_btf", "issue_btf", "complete_btf", "merge_btf" } },
	{ "raw_tp", { "insert_raw", "issue_raw", "complete_raw", "merge_raw" } },
	{ "tracepoint", { "insert_tp", "issue_tp", "complete_tp", "merge_tp" } },
};

static void *blk_open(const struct trace_opts *o, struct bpf_object **obj)
{
	struct block_latency_bpf *skel = block_latency_bpf__open();

	if (!skel)
		return NULL;
	TOOL_FILTER_SET(skel, o);
	skel->rodata->per_disk = o->per_disk;
	skel->rodata->queued = o->queued;
	bpf_map__set_max_entries(skel->maps.blk_hists, o->per_disk ? MAX_DISKS : 1);
	*obj = skel->obj;
	return skel;
}

static void blk_destroy(void *skel)
{
	block_latency_bpf__destroy(skel);
}

static const struct tool_bpf bpf = {
	.name = "block_latency",
	.methods = methods,
	.nr_methods = sizeof(methods) / sizeof(methods[0]),
	.open = blk_open,
	.destroy = blk_destroy,
	.explain = method_why_explain,
};

static int blk_start(const struct trace_opts *o, void **state, char *err, size_t errsz)
{
	return tool_session_new(&bpf, o, state, err, errsz);
}

static int blk_read(void *p, struct tool_report *rep)
{
	struct tool_session *s = p;
	struct block_latency_bpf *skel = s->skel;
	int fd = bpf_map__fd(skel->maps.blk_hists);
	__u32 key, next, *prev = NULL;
	struct tool_hist *th;

	tool_session_report(s, rep);
	rep->dropped = skel->bss->dropped;
	if (!s->opts.per_disk) {
		int err;

		th = tool_report_add(rep, "");
		if (!th)
			return -ENOMEM;
		key = 0;
		err = hist_read_percpu(fd, &key, &th->h);
		/* No entry yet: no request completed. */
		return err == -ENOENT ? 0 : err;
	}
	while (!bpf_map_get_next_key(fd, prev, &next)) {
		char label[64];
		int err;

		key = next;
		prev = &key;
		disk_name(key >> 20, key & ((1U << 20) - 1), label, sizeof(label));
		th = tool_report_add(rep, label);
		if (!th)
			return -ENOMEM;
		err = hist_read_percpu(fd, &key, &th->h);
		if (err)
			return err;
	}
	return 0;
}

static const struct tool_option options[] = {
	TOOL_FLAG("per-disk", per_disk, "one histogram per disk"),
	TOOL_FLAG("queued", queued, "measure from insert, not issue"),
	{},
};

static const char help[] =
	"Hooks: block_rq_issue, block_rq_complete (and block_rq_insert, block_rq_merge) as\n"
	"tp_btf, else raw_tp, else tracepoints (then requests are keyed by dev and sector).\n"
	"--per-disk names each disk's histogram from /sys/class/block. --queued counts from\n"
	"block_rq_insert: that includes the time in the I/O scheduler; requests issued\n"
	"directly, never inserted, count from issue.\n"
	"-p and -c filter the task that submits a request (at insert, or at issue when it is\n"
	"issued directly); requests it submits are counted also when a kworker issues them.\n"
	"Write-back that a kworker submits for its buffered writes is not counted.\n"
	"Kernel memory: start times in a hash of at most 10240 requests x 32 bytes (a full\n"
	"map counts as dropped); histograms in a per-CPU hash of 1 (or 64 disks with\n"
	"--per-disk) x 544 bytes.\n";

DEFINE_TOOL(block_latency, .name = "block-latency",
	    .summary = "block I/O latency, issue (or insert) to completion",
	    .help = help,
	    .options = options,
	    .workload = { "fio-randread", .comm = "fio" },
	    .start = blk_start, .read = blk_read, .stop = tool_session_free);
