// SPDX-License-Identifier: GPL-2.0
/* func-latency: entry -> return time of one user-space function, through uprobe/uretprobe. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "attach/uprobe_spec.h"
#include "func_latency.skel.h"
#include "hist_user.h"
#include "lib/errno_name.h"
#include "lib/kconfig.h"
#include "lib/libbpf_log.h"
#include "lib/uprobe_target.h"
#include "proc_tree.h"
#include "tool.h"
#include "tool_common.h"

/* Without it libbpf falls back to tracefs uprobe_events entries, which a kill leaves behind. */
#define UPROBE_PMU "/sys/bus/event_source/devices/uprobe/type"

struct state {
	struct func_latency_bpf *skel;
	struct bpf_link *entry, *exit;
	struct bpf_link *tree[TREE_NR_PROGS];	/* with a pid: following its descendants */
	long seeded;				/* descendants alive at the start */
	struct uprobe_spec spec;
	const char *method;
	char note[256];
};

static void fl_stop(void *p)
{
	struct state *st = p;

	if (!st)
		return;
	bpf_link__destroy(st->entry);
	bpf_link__destroy(st->exit);
	for (int i = 0; i < TREE_NR_PROGS; i++)
		bpf_link__destroy(st->tree[i]);
	func_latency_bpf__destroy(st->skel);
	free(st);
}

/*
 * The uprobe (or uretprobe) on the function in the file, for every process, as an fd-owned
 * link; 0 or -errno. The pid filter runs in the program: a breakpoint bound to one process
 * would miss its descendants, and the file need not be mapped yet.
 */
static int attach(struct bpf_program *prog, bool retprobe, const struct uprobe_spec *u,
		  struct bpf_link **link, char *err, size_t errsz)
{
	LIBBPF_OPTS(bpf_uprobe_opts, opts, .retprobe = retprobe);
	const char *cfg = NULL;
	int ret;

	*link = bpf_program__attach_uprobe_opts(prog, -1, u->path, u->offset, &opts);
	if (*link)
		return 0;
	ret = -errno;
	if (kconfig_state("CONFIG_UPROBES") == KCONFIG_NOT_SET)
		cfg = "CONFIG_UPROBES";
	else if (kconfig_state("CONFIG_UPROBE_EVENTS") == KCONFIG_NOT_SET)
		cfg = "CONFIG_UPROBE_EVENTS";
	snprintf(err, errsz, "attach '%s' to '%s:%s' failed: %s%s%s%s",
		 retprobe ? "uretprobe" : "uprobe", u->path, u->symbol, errno_name(ret),
		 cfg ? " (" : "", cfg ? cfg : "", cfg ? " is not set)" : "");
	return ret;
}

static int fl_start(const struct trace_opts *o, void **out, char *err, size_t errsz)
{
	struct state *st;
	int ret;

	if (!o->func) {
		snprintf(err, errsz, "needs --func BINARY:SYMBOL (e.g. --func libc:malloc)");
		return -EINVAL;
	}
	st = calloc(1, sizeof(*st));
	if (!st)
		return -ENOMEM;
	ret = uprobe_spec_resolve(o->func, o->pid, &st->spec, err, errsz);
	if (ret)
		goto fail;
	st->skel = func_latency_bpf__open();
	if (!st->skel) {
		ret = -errno;
		snprintf(err, errsz, "open 'func_latency' BPF object: %s", strerror(-ret));
		goto fail;
	}
	TOOL_FILTER_SET(st->skel, o);
	libbpf_log_reset();
	ret = func_latency_bpf__load(st->skel);
	if (ret) {
		const char *last = libbpf_log_last();

		snprintf(err, errsz, "load 'func_latency' failed: %s%s%s", errno_name(ret),
			 last[0] ? ": " : "", last);
		goto fail;
	}
	if (o->pid) {
		ret = proc_tree_attach(st->skel->obj, st->tree);
		st->seeded = ret ? 0 : proc_tree_seed(st->skel->obj, o->pid);
		if (ret || st->seeded < 0) {
			ret = ret ? ret : (int)st->seeded;
			snprintf(err, errsz, "follow the descendants of pid %d: %s", o->pid,
				 errno_name(ret));
			goto fail;
		}
	}
	/* Return probe first: a return whose entry was not seen is ignored anyway. */
	ret = attach(st->skel->progs.func_lat_exit, true, &st->spec, &st->exit, err, errsz);
	if (ret)
		goto fail;
	ret = attach(st->skel->progs.func_lat_entry, false, &st->spec, &st->entry, err, errsz);
	if (ret)
		goto fail;
	if (access(UPROBE_PMU, F_OK)) {
		st->method = "uprobe-tracefs";
		snprintf(st->note, sizeof(st->note), "uprobe: no uprobe PMU (%s): libbpf made "
			 "tracefs uprobe_events entries, which stay if bpfgauge is killed",
			 UPROBE_PMU);
	} else {
		st->method = "uprobe";
	}
	*out = st;
	return 0;
fail:
	fl_stop(st);
	return ret;
}

static int fl_read(void *p, struct tool_report *rep)
{
	struct state *st = p;
	struct tool_hist *th;
	__u32 zero = 0;
	struct hist h;
	int err;

	snprintf(rep->method, sizeof(rep->method), "%s", st->method);
	snprintf(rep->method_note, sizeof(rep->method_note), "%s", st->note);
	snprintf(rep->target, sizeof(rep->target), "%s:%s", st->spec.path, st->spec.symbol);
	snprintf(rep->hooks[0], sizeof(rep->hooks[0]), "uprobe");
	snprintf(rep->hooks[1], sizeof(rep->hooks[1]), "uretprobe");
	rep->nr_hooks = 2;
	rep->dropped = st->skel->bss->dropped;
	if (st->tree[0])
		proc_tree_totals(st->skel->obj, st->seeded, &rep->descendants,
				 &rep->descendants_lost);
	err = hist_read_percpu(bpf_map__fd(st->skel->maps.hists), &zero, &h);
	if (err)
		return err;
	th = tool_report_add(rep, "");
	if (!th)
		return -ENOMEM;
	th->h = h;
	return 0;
}

/*
 * On its natural workload, uprobe-target: the function that workload calls, in the
 * executable of its process o->pid.
 */
static int fl_aim(struct trace_opts *o, char *buf, size_t bufsz, char *why, size_t sz)
{
	char exe[64], path[PATH_MAX];
	ssize_t n;
	int err;

	snprintf(exe, sizeof(exe), "/proc/%d/exe", (int)o->pid);
	n = readlink(exe, path, sizeof(path) - 1);
	if (n < 0) {
		err = -errno;
		snprintf(why, sz, "readlink '%s': %s", exe, strerror(-err));
		return err;
	}
	path[n] = '\0';
	snprintf(buf, bufsz, "%s:%s", path, UPROBE_TARGET_SYMBOL);
	o->func = buf;
	return 0;
}

static const struct tool_option options[] = {
	TOOL_ARG("func", "BINARY:SYMBOL", func, "the function to time"),
	{},
};

static const char help[] =
	"Hooks: a uprobe on the function's entry and a uretprobe on its return (libbpf links\n"
	"owned by file descriptors, through the uprobe PMU).\n"
	"--func BINARY:SYMBOL is required. BINARY is a path, a library name such as\n"
	"libc or libc.so.6 (found in the traced process's /proc/PID/maps, else in the ld.so\n"
	"cache) or a program in PATH; SYMBOL a function in its .symtab or .dynsym. For an\n"
	"IFUNC symbol (e.g. libc's strlen) that is the resolver, not the implementation.\n"
	"The breakpoint is set in the file: every process that maps BINARY, now or later,\n"
	"takes it; -p PID or '-- COMMAND' (with their descendants) and -c COMM filter in the\n"
	"probe, so other processes calling the function pay the trap but are not timed.\n"
	"Recursion: only a thread's outermost call is timed, nested entries are ignored (told\n"
	"apart by the stack pointer, so longjmp or recursion deeper than the kernel's 64\n"
	"pending return probes cannot unbalance it).\n"
	"A time includes part of the probes' own cost (the trap after entry, and the one\n"
	"before return): time a near-empty function to see that floor on a machine.\n"
	"Min and max: two threads that run the probes interleaved on one CPU (a preemption\n"
	"inside their few instructions) can leave a min above the true one; rare, not exact.\n"
	"Kernel memory: start times in task storage, 16 bytes (plus about 100 bytes of\n"
	"storage overhead) per thread that calls the function, freed with the thread or when\n"
	"tracing ends; a failed allocation counts as dropped. Histogram in a per-CPU array of\n"
	"1 x 544 bytes.\n";

DEFINE_TOOL(func_latency, .name = "func-latency",
	    .summary = "time from a user-space function's entry to its return",
	    .help = help,
	    .options = options,
	    .workload = { "uprobe-target", .aim = fl_aim },
	    .start = fl_start, .read = fl_read, .stop = fl_stop);
