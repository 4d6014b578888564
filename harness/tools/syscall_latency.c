// SPDX-License-Identifier: GPL-2.0
/* syscall-latency: entry -> exit time of every syscall, optionally one histogram per syscall. */
#include <errno.h>
#include <stdio.h>
#include <sys/syscall.h>

#include "attach/method_why.h"
#include "attach/methods.h"
#include "hist_user.h"
#include "syscall_latency.skel.h"
#include "tool.h"
#include "tool_common.h"
#include "tool_session.h"

#define MAX_SYSCALLS 512

static const char *const syscall_names[MAX_SYSCALLS] = {
#include "syscall_names.h"
};

static const struct attach_method methods[] = {
	/* sched_switch first (attached in this order): no start is left behind unmoved. */
	{ "tp_btf", { "switch_btf", "enter_btf", "exit_btf" } },
	{ "raw_tp", { "switch_raw", "enter_raw", "exit_raw" } },
	{ "tracepoint", { "switch_tp", "enter_tp", "exit_tp" } },
};

static void *sl_open(const struct trace_opts *o, struct bpf_object **obj)
{
	struct syscall_latency_bpf *skel = syscall_latency_bpf__open();

	if (!skel)
		return NULL;
	TOOL_FILTER_SET(skel, o);
	skel->rodata->by_syscall = o->by_syscall;
	skel->rodata->nr_exit = SYS_exit;
	skel->rodata->nr_exit_group = SYS_exit_group;
	bpf_map__set_max_entries(skel->maps.hists, o->by_syscall ? MAX_SYSCALLS : 1);
	*obj = skel->obj;
	return skel;
}

static void sl_destroy(void *skel)
{
	syscall_latency_bpf__destroy(skel);
}

static const struct tool_bpf bpf = {
	.name = "syscall_latency",
	.methods = methods,
	.nr_methods = sizeof(methods) / sizeof(methods[0]),
	.open = sl_open,
	.destroy = sl_destroy,
	.explain = method_why_explain,
};

static int sl_start(const struct trace_opts *o, void **state, char *err, size_t errsz)
{
	return tool_session_new(&bpf, o, state, err, errsz);
}

static int sl_read(void *p, struct tool_report *rep)
{
	struct tool_session *s = p;
	struct syscall_latency_bpf *skel = s->skel;
	int fd = bpf_map__fd(skel->maps.hists);
	__u32 n = s->opts.by_syscall ? MAX_SYSCALLS : 1;

	tool_session_report(s, rep);
	rep->dropped = skel->bss->dropped;
	for (__u32 key = 0; key < n; key++) {
		struct tool_hist *th;
		struct hist h;
		char label[32];
		int err = hist_read_percpu(fd, &key, &h);

		if (err)
			return err;
		if (s->opts.by_syscall && !h.count)
			continue;
		if (s->opts.by_syscall && syscall_names[key])
			snprintf(label, sizeof(label), "%s", syscall_names[key]);
		else if (s->opts.by_syscall)
			snprintf(label, sizeof(label), "syscall %u", key);
		else
			label[0] = '\0';
		th = tool_report_add(rep, label);
		if (!th)
			return -ENOMEM;
		th->h = h;
	}
	return 0;
}

static const struct tool_option options[] = {
	TOOL_FLAG("by-syscall", by_syscall, "one histogram per syscall"),
	{},
};

static const char help[] =
	"Hooks: sys_enter/sys_exit as tp_btf, else raw_tp, else raw_syscalls tracepoints, and\n"
	"sched_switch the same way.\n"
	"Start times: in a per-CPU slot while the task stays on its CPU (nearly every syscall:\n"
	"no storage lookup at all); a task switched out in the middle of a syscall (it blocks,\n"
	"or is preempted) takes its start along into task storage at sched_switch, where the\n"
	"exit finds it on any CPU. The sched_switch program runs at every context switch of\n"
	"the machine, traced or not: a per-CPU lookup and a compare.\n"
	"Kernel memory: a per-CPU slot of 24 bytes; task storage for tasks switched out\n"
	"mid-syscall (freed with the task); histograms in a per-CPU array of 1 (or 512 with\n"
	"--by-syscall) x 544 bytes.\n";

DEFINE_TOOL(syscall_latency, .name = "syscall-latency",
	    .summary = "time from syscall entry to exit",
	    .help = help,
	    .options = options,
	    .workload = { "syscall" },
	    .start = sl_start, .read = sl_read, .stop = tool_session_free);
