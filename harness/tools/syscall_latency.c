// SPDX-License-Identifier: GPL-2.0
/* syscall-latency: entry -> exit time of every syscall, optionally one histogram per syscall. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hist_user.h"
#include "methods.h"
#include "syscall_latency.skel.h"
#include "tool.h"
#include "tool_common.h"

#define MAX_SYSCALLS 512

static const char *const syscall_names[MAX_SYSCALLS] = {
#include "syscall_names.h"
};

static const struct attach_method methods[] = {
	{ "tp_btf", { "enter_btf", "exit_btf" } },
	{ "raw_tp", { "enter_raw", "exit_raw" } },
	{ "tracepoint", { "enter_tp", "exit_tp" } },
};

struct state {
	struct syscall_latency_bpf *skel;
	struct bpf_link *links[METHOD_MAX_PROGS];
	const char *method;
	char note[256];
	bool by_syscall;
};

static void sl_stop(void *p)
{
	struct state *st = p;

	if (!st)
		return;
	method_links_destroy(st->links);
	syscall_latency_bpf__destroy(st->skel);
	free(st);
}

static int sl_start(const struct trace_opts *o, void **out, char *err, size_t errsz)
{
	struct state *st = calloc(1, sizeof(*st));
	char why[200];
	int ret = -EOPNOTSUPP;

	if (!st)
		return -ENOMEM;
	st->by_syscall = o->by_syscall;
	for (size_t i = 0; i < sizeof(methods) / sizeof(methods[0]); i++) {
		st->skel = syscall_latency_bpf__open();
		if (!st->skel) {
			ret = -errno;
			snprintf(err, errsz, "open 'syscall_latency' BPF object: %s", strerror(-ret));
			goto fail;
		}
		tool_filter_set(&st->skel->rodata->target_tgid, &st->skel->rodata->filter_comm,
				(char *)st->skel->rodata->target_comm, o);
		st->skel->rodata->by_syscall = o->by_syscall;
		bpf_map__set_max_entries(st->skel->maps.hists, o->by_syscall ? MAX_SYSCALLS : 1);
		ret = method_load_attach(st->skel->obj, &methods[i], st->links, why, sizeof(why));
		if (!ret) {
			st->method = methods[i].name;
			*out = st;
			return 0;
		}
		tool_note_add(st->note, sizeof(st->note), methods[i].name, why);
		syscall_latency_bpf__destroy(st->skel);
		st->skel = NULL;
	}
	snprintf(err, errsz, "no attach method works here: %s", st->note);
	ret = -EOPNOTSUPP;
fail:
	sl_stop(st);
	return ret;
}

static int sl_read(void *p, struct tool_report *rep)
{
	struct state *st = p;
	int fd = bpf_map__fd(st->skel->maps.hists);
	__u32 n = st->by_syscall ? MAX_SYSCALLS : 1;

	snprintf(rep->method, sizeof(rep->method), "%s", st->method);
	snprintf(rep->method_note, sizeof(rep->method_note), "%s", st->note);
	rep->dropped = st->skel->bss->dropped;
	for (__u32 key = 0; key < n; key++) {
		struct tool_hist *th;
		struct hist h;
		char label[32];
		int err = hist_read_percpu(fd, &key, &h);

		if (err)
			return err;
		if (st->by_syscall && !h.count)
			continue;
		if (st->by_syscall && syscall_names[key])
			snprintf(label, sizeof(label), "%s", syscall_names[key]);
		else if (st->by_syscall)
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

DEFINE_TOOL(syscall_latency, "syscall-latency", "time from syscall entry to exit",
	    "Hooks: sys_enter/sys_exit as tp_btf, else raw_tp, else raw_syscalls tracepoints.\n"
	    "Options: --by-syscall (one histogram per syscall), -p PID, -c COMM.\n"
	    "Kernel memory: start times in task storage (one entry per traced task, freed with\n"
	    "the task); histograms in a per-CPU array of 1 (or 512 with --by-syscall) x 528 bytes.\n",
	    sl_start, sl_read, sl_stop);
