// SPDX-License-Identifier: GPL-2.0
/*
 * uretprobe_syscall (Linux 6.11, x86_64 only): how a uretprobe returns. The kernel replaces
 * the probed function's return address with a trampoline of its own; until 6.11 that
 * trampoline traps on int3, since then on x86_64 it calls the uretprobe syscall instead
 * (ff474a78cef5, "uprobe: Add uretprobe syscall to speed up return probe"). Here: a
 * uretprobe on the function the uprobe checks use and a raw tracepoint on sys_enter that
 * counts this process's syscalls with the uretprobe syscall's number while N calls are made.
 * N returns and N such syscalls: the returns went through the syscall. N returns and none:
 * they took the int3 trap.
 *
 * The number is 335 on x86_64. Debian 12's headers (Linux 6.1) have no __NR_uretprobe; the
 * kernel's arch/x86/entry/syscalls/syscall_64.tbl has "335 common uretprobe sys_uretprobe"
 * since Arnd Bergmann's "uretprobe: change syscall number, again" (54233a425403, before
 * 6.11-rc2), which moved it from 467, its number in 6.11-rc1, to the next free number of the
 * x86-specific range. /proc/kallsyms has __x64_sys_uretprobe on kernels that have it.
 *
 * The uprobe is a perf event of the 'uprobe' PMU owned by a file descriptor and the raw
 * tracepoint a BPF link: a killed process leaves nothing behind.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>
#include <bpf/libbpf.h>

#include "attach/attach.h"
#include "check.h"
#include "lib/errno_name.h"
#include "lib/kernel_ids.h"
#include "lib/ksyms.h"
#include "lib/reaper.h"
#include "lib/uprobe_target.h"
#include "uprobes.h"
#include "uretprobe_syscall.skel.h"

#define NR_CALLS 16
#define ARG_FIRST 4000
#define URETPROBE_NR 335
#define URETPROBE_SYMBOL "__x64_sys_uretprobe"

#ifdef __x86_64__
/* After returns without the syscall: whether the kernel has it at all, from /proc/kallsyms. */
static void explain_int3(struct check_result *res)
{
	struct ksyms *ks = ksyms_load(NULL, 0);
	bool has;

	if (!ks) {
		check_reason_append(res, "/proc/kallsyms not read (%s)", errno_name(errno));
		return;
	}
	has = ksyms_addr(ks, URETPROBE_SYMBOL) != 0;
	ksyms_free(ks);
	check_detail_bool(res, "kallsyms_sys_uretprobe", has);
	check_reason_append(res, "/proc/kallsyms has %s" URETPROBE_SYMBOL, has ? "" : "no ");
}

static void run_uretprobe_syscall(struct check_result *res)
{
	const char *const *uprobe_configs = attach_types[ATTACH_uprobe].configs;
	struct uretprobe_syscall_bpf *skel = NULL;
	struct bpf_link *ret_link = NULL, *sys_link = NULL;
	LIBBPF_OPTS(bpf_uprobe_opts, opts, .retprobe = true);
	char path[PATH_MAX], what[PATH_MAX + 128];
	unsigned long long returns, syscalls;
	long long ret_sum = 0;
	long off;
	int err;

	if ((off = uprobe_target_locate(res, path, sizeof(path))) < 0 ||
	    uprobe_require_pmu(res))
		return;
	skel = uretprobe_syscall_bpf__open();
	if (!skel) {
		check_set_errno(res, CHECK_ERROR, errno, "open 'uretprobe_syscall' BPF object");
		return;
	}
	skel->rodata->target_tgid = kernel_tgid();
	skel->rodata->target_nr = URETPROBE_NR;
	skel->rodata->control_nr = SYS_getppid;
	err = uretprobe_syscall_bpf__load(skel);
	if (err) {
		check_explain(res, err, "load 'uretprobe' and 'raw_tp/sys_enter' programs",
			      uprobe_configs);
		goto cleanup;
	}
	sys_link = bpf_program__attach(skel->progs.uretsys_enter);
	if (!sys_link) {
		err = -errno;
		check_explain(res, err, "attach 'raw_tp' to 'sys_enter'",
			      attach_types[ATTACH_raw_tracepoint].configs);
		goto cleanup;
	}
	ret_link = bpf_program__attach_uprobe_opts(skel->progs.uretsys_return, getpid(), path, off,
						   &opts);
	if (!ret_link) {
		err = -errno;
		snprintf(what, sizeof(what), "attach 'uretprobe' to '%s' (0x%lx in '%s')",
			 UPROBE_TARGET_SYMBOL, off, path);
		check_explain(res, err, what, uprobe_configs);
		goto cleanup;
	}

	skel->bss->armed = 1;
	for (int i = 0; i < NR_CALLS; i++)
		ret_sum += bpfgauge_uprobe_target(ARG_FIRST + i);
	syscall(SYS_getppid);
	skel->bss->armed = 0;
	reaper_defer(ret_link);
	reaper_defer(sys_link);
	ret_link = sys_link = NULL;

	returns = skel->bss->returns;
	syscalls = skel->bss->syscalls;
	check_detail_int(res, "calls", NR_CALLS);
	check_detail_int(res, "arg_first", ARG_FIRST);
	check_detail_int(res, "syscall_nr", URETPROBE_NR);
	check_detail_int(res, "returns", returns);
	check_detail_int(res, "uretprobe_syscalls", syscalls);
	check_detail_int(res, "return_sum", skel->bss->ret_sum);
	check_detail_int(res, "control_syscalls", skel->bss->controls);
	snprintf(what, sizeof(what), "'%s' in pid %d", UPROBE_TARGET_SYMBOL, getpid());
	if (returns != NR_CALLS)
		check_set(res, CHECK_FAIL, "%s: made %d calls, saw %llu returns", what, NR_CALLS,
			  returns);
	else if (skel->bss->ret_sum != ret_sum)
		check_set(res, CHECK_FAIL, "%s: return values read through PT_REGS_RC sum to %lld, "
			  "the calls returned %lld", what, (long long)skel->bss->ret_sum, ret_sum);
	else if (skel->bss->controls != 1)
		check_set(res, CHECK_FAIL, "%s: the sys_enter program saw %llu of 1 getppid call: "
			  "it cannot tell how uretprobes return", what,
			  (unsigned long long)skel->bss->controls);
	else if (syscalls == NR_CALLS)
		check_set(res, CHECK_PASS, "%s: uretprobes return through the uretprobe syscall: "
			  "%llu of %d", what, syscalls, NR_CALLS);
	else if (syscalls == 0) {
		check_set(res, CHECK_UNSUPPORTED, "%s: uretprobes return through an int3 trap on "
			  "this kernel: %d returns, 0 uretprobe syscalls (%d)", what, NR_CALLS,
			  URETPROBE_NR);
		explain_int3(res);
	} else
		check_set(res, CHECK_FAIL, "%s: %d returns, but %llu uretprobe syscalls (%d)", what,
			  NR_CALLS, syscalls, URETPROBE_NR);
cleanup:
	reaper_defer(ret_link);
	reaper_defer(sys_link);
	uretprobe_syscall_bpf__destroy(skel);
}
#else
static void run_uretprobe_syscall(struct check_result *res)
{
	struct utsname u;

	check_set(res, CHECK_SKIPPED, "the uretprobe syscall exists on x86_64 only, this is %s",
		  uname(&u) ? "another architecture" : u.machine);
}
#endif

DEFINE_CHECK_SINCE(uretprobe_syscall, "uprobes",
		   "see N returns of a function of this binary go through the uretprobe syscall (x86_64)",
		   run_uretprobe_syscall, "the uretprobe syscall", 6, 11);
