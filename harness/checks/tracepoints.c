// SPDX-License-Identifier: GPL-2.0
/*
 * tracepoint, raw_tracepoint, tp_btf: attach to the getppid syscall's entry, make exactly
 * N getppid calls, and verify that the program counted N for this process, with the right
 * syscall number.
 */
#include <errno.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "check.h"
#include "lib/autoload.h"
#include "lib/errno_name.h"
#include "lib/kernel_ids.h"
#include "lib/mounts.h"
#include "lib/reaper.h"
#include "syscall_count.skel.h"

#define NR_CALLS 64

enum tp_kind { TP_TRACEPOINT, TP_RAW, TP_BTF };

static const char *const tp_configs[] = { "CONFIG_TRACEPOINTS", "CONFIG_FTRACE_SYSCALLS", NULL };

static void run_tp(struct check_result *res, enum tp_kind kind)
{
	struct syscall_count_bpf *skel;
	struct bpf_program *prog;
	struct bpf_link *link = NULL;
	const char *what;
	int err;

	if (kind == TP_TRACEPOINT && (err = pseudo_fs_ensure(FS_TRACEFS, NULL, NULL))) {
		check_set_errno(res, CHECK_FAIL, err, "mount tracefs (tracepoint ids live there)");
		return;
	}
	skel = syscall_count_bpf__open();
	if (!skel) {
		check_set_errno(res, CHECK_ERROR, errno, "open 'syscall_count' BPF object");
		return;
	}
	prog = kind == TP_TRACEPOINT ? skel->progs.on_tracepoint :
	       kind == TP_RAW ? skel->progs.on_raw_tracepoint : skel->progs.on_tp_btf;
	what = kind == TP_TRACEPOINT ? "'syscalls/sys_enter_getppid'" : "'sys_enter'";
	autoload_only(skel->obj, prog);
	skel->rodata->target_tgid = kernel_tgid();
	skel->rodata->target_nr = SYS_getppid;

	err = syscall_count_bpf__load(skel);
	if (err) {
		char buf[128];

		snprintf(buf, sizeof(buf), "load '%s' program", bpf_program__section_name(prog));
		check_explain(res, err, buf, kind == TP_BTF ?
			      (const char *const[]){ "CONFIG_DEBUG_INFO_BTF", NULL } : NULL);
		goto cleanup;
	}
	link = bpf_program__attach(prog);
	if (!link) {
		char buf[128];

		err = -errno;
		snprintf(buf, sizeof(buf), "attach '%s' to %s", bpf_program__section_name(prog),
			 what);
		check_explain(res, err, buf, tp_configs);
		goto cleanup;
	}

	skel->bss->armed = 1;
	for (int i = 0; i < NR_CALLS; i++)
		syscall(SYS_getppid);
	skel->bss->armed = 0;

	check_detail_int(res, "pid", getpid());
	check_detail_int(res, "calls", NR_CALLS);
	check_detail_int(res, "counted", skel->bss->hits);
	if (skel->bss->hits != NR_CALLS)
		check_set(res, CHECK_FAIL, "%s: made %d getppid calls, counted %llu", what,
			  NR_CALLS, (unsigned long long)skel->bss->hits);
	else if (skel->data->last_nr != SYS_getppid)
		check_set(res, CHECK_FAIL, "%s: syscall number read as %ld, expected %d", what,
			  skel->data->last_nr, SYS_getppid);
	else
		check_set(res, CHECK_PASS, "%s: %d of %d getppid calls of this process counted",
			  what, NR_CALLS, NR_CALLS);
cleanup:
	reaper_defer(link);
	syscall_count_bpf__destroy(skel);
}

static void run_tracepoint(struct check_result *res)
{
	run_tp(res, TP_TRACEPOINT);
}

static void run_raw_tracepoint(struct check_result *res)
{
	run_tp(res, TP_RAW);
}

static void run_tp_btf(struct check_result *res)
{
	run_tp(res, TP_BTF);
}

DEFINE_CHECK(tracepoint, "tracepoints", "count N getppid calls at syscalls/sys_enter_getppid",
	     run_tracepoint);
DEFINE_CHECK(raw_tracepoint, "tracepoints", "count N getppid calls at raw sys_enter",
	     run_raw_tracepoint);
DEFINE_CHECK(tp_btf, "tracepoints", "count N getppid calls at BTF-typed sys_enter (tp_btf)",
	     run_tp_btf);
