// SPDX-License-Identifier: GPL-2.0
/* fs-latency: time spent in VFS reads, writes, opens and fsyncs, one histogram per operation. */
#include <errno.h>
#include <stdio.h>
#include <unistd.h>

#include "attach/method_why.h"
#include "attach/methods.h"
#include "fs_latency.h"
#include "fs_latency.skel.h"
#include "hist_user.h"
#include "lib/errno_name.h"
#include "lib/mounts.h"
#include "tool.h"
#include "tool_common.h"
#include "tool_session.h"

static const char *const op_labels[FS_OP_MAX] = {
	[FS_OP_READ] = "read",
	[FS_OP_WRITE] = "write",
	[FS_OP_OPEN] = "open",
	[FS_OP_FSYNC] = "fsync",
};

/*
 * The syscalls of the tracepoint method and their programs (FS_SYSCALL in fs_latency.bpf.c);
 * those this kernel lacks (open on arm64) are left out.
 */
#define SYSCALL(sc) { #sc, "enter_" #sc, "exit_" #sc }

static const struct fs_syscall {
	const char *name, *enter, *exit;
} syscalls[] = {
	SYSCALL(read), SYSCALL(pread64), SYSCALL(write), SYSCALL(pwrite64), SYSCALL(open),
	SYSCALL(openat), SYSCALL(openat2), SYSCALL(creat), SYSCALL(fsync), SYSCALL(fdatasync),
};

#define NR_SYSCALLS (sizeof(syscalls) / sizeof(syscalls[0]))
/* Two programs per syscall and the NULL that ends the list. */
_Static_assert(2 * NR_SYSCALLS < METHOD_MAX_PROGS, "METHOD_MAX_PROGS too small");

static const struct attach_method methods[] = {
	{ "fentry", { "fentry_vfs_read", "fexit_vfs_read", "fentry_vfs_write", "fexit_vfs_write",
		      "fentry_vfs_open", "fexit_vfs_open", "fentry_vfs_fsync_range",
		      "fexit_vfs_fsync_range" } },
	{ "kprobe", { "kprobe_vfs_read", "kretprobe_vfs_read", "kprobe_vfs_write",
		      "kretprobe_vfs_write", "kprobe_vfs_open", "kretprobe_vfs_open",
		      "kprobe_vfs_fsync_range", "kretprobe_vfs_fsync_range" } },
	{ "tracepoint", {} },	/* filled by syscall_method() */
};

/* The tracepoint method: sys_enter_X/sys_exit_X for every syscall of the list tracefs has. */
static int syscall_method(struct attach_method *m, char *why, size_t sz)
{
	const char *tracefs;
	char path[256];
	int err, n = 0;

	err = pseudo_fs_ensure(FS_TRACEFS, &tracefs, NULL);
	if (err) {
		snprintf(why, sz, "mount tracefs: %s", errno_name(err));
		return err;
	}
	for (size_t i = 0; i < NR_SYSCALLS; i++) {
		snprintf(path, sizeof(path), "%s/events/syscalls/sys_enter_%s", tracefs,
			 syscalls[i].name);
		if (access(path, F_OK))
			continue;
		m->progs[n++] = syscalls[i].enter;
		m->progs[n++] = syscalls[i].exit;
	}
	if (!n) {
		snprintf(why, sz, "no syscall tracepoints in %s/events/syscalls", tracefs);
		return -ENOENT;
	}
	return 0;
}

static void *fs_open(const struct trace_opts *o, struct bpf_object **obj)
{
	struct fs_latency_bpf *skel = fs_latency_bpf__open();

	if (!skel)
		return NULL;
	TOOL_FILTER_SET(skel, o);
	*obj = skel->obj;
	return skel;
}

static void fs_destroy(void *skel)
{
	fs_latency_bpf__destroy(skel);
}

static const struct tool_bpf bpf = {
	.name = "fs_latency",
	.methods = methods,
	.nr_methods = sizeof(methods) / sizeof(methods[0]),
	.open = fs_open,
	.destroy = fs_destroy,
	.fill_method = syscall_method,
	.explain = method_why_explain,
};

static int fs_start(const struct trace_opts *o, void **state, char *err, size_t errsz)
{
	return tool_session_new(&bpf, o, state, err, errsz);
}

static int fs_read(void *p, struct tool_report *rep)
{
	struct tool_session *s = p;
	struct fs_latency_bpf *skel = s->skel;
	int fd = bpf_map__fd(skel->maps.fs_hists);

	tool_session_report(s, rep);
	rep->dropped = skel->bss->dropped;
	for (__u32 op = 0; op < FS_OP_MAX; op++) {
		struct tool_hist *th = tool_report_add(rep, op_labels[op]);
		int err;

		if (!th)
			return -ENOMEM;
		err = hist_read_percpu(fd, &op, &th->h);
		if (err)
			return err;
	}
	return 0;
}

static const char help[] =
	"One histogram per operation: read, write, open, fsync.\n"
	"Hooks, cheapest first: fentry/fexit on vfs_read, vfs_write, vfs_open and\n"
	"vfs_fsync_range; else kprobe/kretprobe on them; else the syscall tracepoints of the\n"
	"syscalls that end there (read, pread64; write, pwrite64; open, openat, openat2,\n"
	"creat; fsync, fdatasync), which time the whole syscall (an open includes the path\n"
	"lookup). readv/writev and kernel-internal I/O (kernel_read) are not counted.\n"
	"Kernel memory: start times in task storage (4 x 8 bytes per traced task, freed with\n"
	"the task); histograms in a per-CPU array of 4 x 544 bytes.\n";

DEFINE_TOOL(fs_latency, .name = "fs-latency",
	    .summary = "time spent in file system read, write, open, fsync",
	    .help = help,
	    .workload = { "file-read" },
	    .start = fs_start, .read = fs_read, .stop = tool_session_free);
