// SPDX-License-Identifier: GPL-2.0
/* runq-latency: time runnable tasks wait for a CPU (wakeup or preemption -> switched in). */
#include <errno.h>

#include "attach/method_why.h"
#include "attach/methods.h"
#include "hist_user.h"
#include "runq_latency.skel.h"
#include "tool.h"
#include "tool_common.h"
#include "tool_session.h"

static const struct attach_method methods[] = {
	{ "tp_btf", { "wakeup_btf", "wakeup_new_btf", "switch_btf" } },
	{ "raw_tp", { "wakeup_raw", "wakeup_new_raw", "switch_raw" } },
	{ "tracepoint", { "wakeup_tp", "wakeup_new_tp", "switch_tp" } },
};

static void *rq_open(const struct trace_opts *o, struct bpf_object **obj)
{
	struct runq_latency_bpf *skel = runq_latency_bpf__open();

	if (!skel)
		return NULL;
	TOOL_FILTER_SET(skel, o);
	*obj = skel->obj;
	return skel;
}

static void rq_destroy(void *skel)
{
	runq_latency_bpf__destroy(skel);
}

static const struct tool_bpf bpf = {
	.name = "runq_latency",
	.methods = methods,
	.nr_methods = sizeof(methods) / sizeof(methods[0]),
	.open = rq_open,
	.destroy = rq_destroy,
	.explain = method_why_explain,
};

static int rq_start(const struct trace_opts *o, void **state, char *err, size_t errsz)
{
	return tool_session_new(&bpf, o, state, err, errsz);
}

static int rq_read(void *p, struct tool_report *rep)
{
	struct tool_session *s = p;
	struct runq_latency_bpf *skel = s->skel;
	struct tool_hist *th = tool_report_add(rep, "");
	__u32 key = 0;

	tool_session_report(s, rep);
	rep->dropped = skel->bss->dropped;
	if (!th)
		return -ENOMEM;
	return hist_read_percpu(bpf_map__fd(skel->maps.runq_hists), &key, &th->h);
}

static const char help[] =
	"From sched_wakeup/sched_wakeup_new, or from sched_switch when a task is switched\n"
	"out still runnable (preempted, or its state is TASK_RUNNING: re-queued), to the\n"
	"sched_switch that runs it. Hooks as tp_btf, else raw_tp, else tracepoints.\n"
	"-p PID and -c COMM select the waiting task's process and command.\n"
	"Kernel memory: start times in a hash of at most 10240 threads x 20 bytes (a full\n"
	"map counts as dropped); the histogram in a per-CPU array of 1 x 544 bytes.\n";

DEFINE_TOOL(runq_latency, .name = "runq-latency",
	    .summary = "time runnable tasks wait for a CPU (run queue)",
	    .help = help,
	    .workload = { "pipe-pingpong" },
	    .start = rq_start, .read = rq_read, .stop = tool_session_free);
