// SPDX-License-Identifier: GPL-2.0
/* runq-latency: time runnable tasks wait for a CPU (wakeup or preemption -> switched in). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hist_user.h"
#include "methods.h"
#include "method_why.h"
#include "runq_latency.skel.h"
#include "tool.h"
#include "tool_common.h"

static const struct attach_method methods[] = {
	{ "tp_btf", { "wakeup_btf", "wakeup_new_btf", "switch_btf" } },
	{ "raw_tp", { "wakeup_raw", "wakeup_new_raw", "switch_raw" } },
	{ "tracepoint", { "wakeup_tp", "wakeup_new_tp", "switch_tp" } },
};

struct state {
	struct runq_latency_bpf *skel;
	struct bpf_link *links[METHOD_MAX_PROGS];
	const char *method;
	char note[256];
};

static void rq_stop(void *p)
{
	struct state *st = p;

	if (!st)
		return;
	method_links_destroy(st->links);
	runq_latency_bpf__destroy(st->skel);
	free(st);
}

static int rq_start(const struct trace_opts *o, void **out, char *err, size_t errsz)
{
	struct state *st = calloc(1, sizeof(*st));
	char why[200];
	int ret;

	if (!st)
		return -ENOMEM;
	for (size_t i = 0; i < sizeof(methods) / sizeof(methods[0]); i++) {
		st->skel = runq_latency_bpf__open();
		if (!st->skel) {
			ret = -errno;
			snprintf(err, errsz, "open 'runq_latency' BPF object: %s", strerror(-ret));
			goto fail;
		}
		tool_filter_set(&st->skel->rodata->target_tgid, &st->skel->rodata->filter_comm,
				(char *)st->skel->rodata->target_comm, o);
		ret = method_load_attach(st->skel->obj, &methods[i], st->links, why, sizeof(why));
		if (!ret) {
			st->method = methods[i].name;
			*out = st;
			return 0;
		}
		method_why_explain(methods[i].name, ret, why, sizeof(why));
		tool_note_add(st->note, sizeof(st->note), methods[i].name, why);
		runq_latency_bpf__destroy(st->skel);
		st->skel = NULL;
	}
	snprintf(err, errsz, "no attach method works here: %s", st->note);
	ret = -EOPNOTSUPP;
fail:
	rq_stop(st);
	return ret;
}

static int rq_read(void *p, struct tool_report *rep)
{
	struct state *st = p;
	struct tool_hist *th = tool_report_add(rep, "");
	__u32 key = 0;

	snprintf(rep->method, sizeof(rep->method), "%s", st->method);
	snprintf(rep->method_note, sizeof(rep->method_note), "%s", st->note);
	rep->dropped = st->skel->bss->dropped;
	if (!th)
		return -ENOMEM;
	return hist_read_percpu(bpf_map__fd(st->skel->maps.runq_hists), &key, &th->h);
}

DEFINE_TOOL(runq_latency, "runq-latency", "time runnable tasks wait for a CPU (run queue)",
	    "From sched_wakeup/sched_wakeup_new, or from sched_switch when a task is switched\n"
	    "out still runnable (preempted, or its state is TASK_RUNNING: re-queued), to the\n"
	    "sched_switch that runs it. Hooks as tp_btf, else raw_tp, else tracepoints.\n"
	    "Options: -p PID, -c COMM (the waiting task's process and command).\n"
	    "Kernel memory: start times in a hash of at most 10240 threads x 20 bytes (a full\n"
	    "map counts as dropped); the histogram in a per-CPU array of 1 x 528 bytes.\n",
	    rq_start, rq_read, rq_stop);
