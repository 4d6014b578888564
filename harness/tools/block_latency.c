// SPDX-License-Identifier: GPL-2.0
/* block-latency: block I/O issue (or insert) -> complete, optionally one histogram per disk. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>

#include "block_latency.skel.h"
#include "disks.h"
#include "hist_user.h"
#include "methods.h"
#include "method_why.h"
#include "tool.h"
#include "tool_common.h"

#define MAX_DISKS 64

static const struct attach_method methods[] = {
	{ "tp_btf", { "insert_btf", "issue_btf", "complete_btf", "merge_btf" } },
	{ "raw_tp", { "insert_raw", "issue_raw", "complete_raw", "merge_raw" } },
	{ "tracepoint", { "insert_tp", "issue_tp", "complete_tp", "merge_tp" } },
};

struct state {
	struct block_latency_bpf *skel;
	struct bpf_link *links[METHOD_MAX_PROGS];
	const char *method;
	char note[256];
	bool per_disk;
};

static void blk_stop(void *p)
{
	struct state *st = p;

	if (!st)
		return;
	method_links_destroy(st->links);
	block_latency_bpf__destroy(st->skel);
	free(st);
}

static int blk_start(const struct trace_opts *o, void **out, char *err, size_t errsz)
{
	struct state *st = calloc(1, sizeof(*st));
	char why[200];
	int ret;

	if (!st)
		return -ENOMEM;
	st->per_disk = o->per_disk;
	for (size_t i = 0; i < sizeof(methods) / sizeof(methods[0]); i++) {
		st->skel = block_latency_bpf__open();
		if (!st->skel) {
			ret = -errno;
			snprintf(err, errsz, "open 'block_latency' BPF object: %s", strerror(-ret));
			goto fail;
		}
		tool_filter_set(&st->skel->rodata->target_tgid, &st->skel->rodata->filter_comm,
				(char *)st->skel->rodata->target_comm, o);
		st->skel->rodata->per_disk = o->per_disk;
		st->skel->rodata->queued = o->queued;
		bpf_map__set_max_entries(st->skel->maps.blk_hists, o->per_disk ? MAX_DISKS : 1);
		ret = method_load_attach(st->skel->obj, &methods[i], st->links, why, sizeof(why));
		if (!ret) {
			st->method = methods[i].name;
			*out = st;
			return 0;
		}
		method_why_explain(methods[i].name, ret, why, sizeof(why));
		tool_note_add(st->note, sizeof(st->note), methods[i].name, why);
		block_latency_bpf__destroy(st->skel);
		st->skel = NULL;
	}
	snprintf(err, errsz, "no attach method works here: %s", st->note);
	ret = -EOPNOTSUPP;
fail:
	blk_stop(st);
	return ret;
}

static int blk_read(void *p, struct tool_report *rep)
{
	struct state *st = p;
	int fd = bpf_map__fd(st->skel->maps.blk_hists);
	__u32 key, next, *prev = NULL;
	struct tool_hist *th;

	snprintf(rep->method, sizeof(rep->method), "%s", st->method);
	snprintf(rep->method_note, sizeof(rep->method_note), "%s", st->note);
	rep->dropped = st->skel->bss->dropped;
	if (!st->per_disk) {
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

DEFINE_TOOL(block_latency, "block-latency", "block I/O latency, issue (or insert) to completion",
	    "Hooks: block_rq_issue, block_rq_complete (and block_rq_insert, block_rq_merge) as\n"
	    "tp_btf, else raw_tp, else tracepoints (then requests are keyed by dev and sector).\n"
	    "Options: --per-disk (one histogram per disk, named from /sys/class/block),\n"
	    "--queued (from block_rq_insert: includes the time in the I/O scheduler; requests\n"
	    "issued directly, never inserted, count from issue), -p PID, -c COMM.\n"
	    "The filter applies to the task that submits a request (at insert, or at issue when\n"
	    "it is issued directly); requests it submits are counted also when a kworker issues\n"
	    "them. Write-back that a kworker submits for its buffered writes is not counted.\n"
	    "Kernel memory: start times in a hash of at most 10240 requests x 32 bytes (a full\n"
	    "map counts as dropped); histograms in a per-CPU hash of 1 (or 64 disks with\n"
	    "--per-disk) x 528 bytes.\n",
	    blk_start, blk_read, blk_stop);
