// SPDX-License-Identifier: GPL-2.0
/*
 * uprobe, uretprobe, usdt: attach to a function of the bpfgauge binary itself (its file offset
 * resolved through libelf) or to its USDT probe bpfgauge:target_call, make exactly N calls with
 * known arguments, and verify that the program saw N entries with their arguments, N returns
 * with the values the calls returned, or N probe hits with both USDT arguments.
 *
 * The uprobes are perf events of the 'uprobe' PMU owned by file descriptors, so that a killed
 * process leaves nothing behind; afterwards tracefs uprobe_events must hold nothing of ours.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "attach/attach.h"
#include "check.h"
#include "uprobes.h"
#include "lib/autoload.h"
#include "lib/elf_syms.h"
#include "lib/errno_name.h"
#include "lib/kconfig.h"
#include "lib/kernel_ids.h"
#include "lib/libbpf_log.h"
#include "lib/mounts.h"
#include "lib/reaper.h"
#include "lib/uprobe_target.h"
#include "uprobe_count.skel.h"
#include "usdt_count.skel.h"

#define NR_CALLS 16
#define ARG_FIRST 1000
#define UPROBE_PMU "/sys/bus/event_source/devices/uprobe"

/* The CONFIG_ options of uprobes, from the attach-method registry (attach.def). */
static const char *const *const uprobe_configs = attach_types[ATTACH_uprobe].configs;

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

int uprobe_self_exe(struct check_result *res, char *path, size_t sz)
{
	ssize_t n = readlink("/proc/self/exe", path, sz - 1);

	if (n < 0) {
		check_set_errno(res, CHECK_ERROR, errno, "readlink '/proc/self/exe'");
		return -1;
	}
	path[n] = '\0';
	check_detail_str(res, "binary", path);
	return 0;
}

long uprobe_target_locate(struct check_result *res, char *path, size_t sz)
{
	struct elf_syms *syms;
	long off;

	if (uprobe_self_exe(res, path, sz))
		return -1;
	syms = elf_syms_open(path);
	if (!syms) {
		check_set_errno(res, CHECK_ERROR, errno, "read the symbols of '%s'", path);
		return -1;
	}
	off = elf_syms_offset(syms, UPROBE_TARGET_SYMBOL, NULL);
	elf_syms_free(syms);
	if (off < 0) {
		check_set(res, CHECK_ERROR, "no such symbol '%s' in '%s'", UPROBE_TARGET_SYMBOL, path);
		return -1;
	}
	check_detail_str(res, "symbol", UPROBE_TARGET_SYMBOL);
	check_detail_int(res, "offset", off);
	return off;
}

/*
 * Without the 'uprobe' PMU, libbpf attaches through tracefs uprobe_events instead, and those
 * events outlive a killed process: do not attach then, and say why. 0 when the PMU is there.
 */
int uprobe_require_pmu(struct check_result *res)
{
	bool pmu = access(UPROBE_PMU, F_OK) == 0;

	check_detail_bool(res, "uprobe_pmu", pmu);
	if (pmu)
		return 0;
	for (const char *const *cfg = uprobe_configs; *cfg; cfg++) {
		if (kconfig_state(*cfg) == KCONFIG_NOT_SET) {
			check_set(res, CHECK_UNSUPPORTED, "no 'uprobe' PMU in %s: %s is not set (%s)",
				  "/sys/bus/event_source/devices", *cfg, kconfig_source());
			check_detail_str(res, "missing_config", *cfg);
			return -1;
		}
	}
	check_set(res, CHECK_UNSUPPORTED, "no 'uprobe' PMU in /sys/bus/event_source/devices "
		  "(kernel likely older than 4.17); not attaching through tracefs uprobe_events, "
		  "which a killed process would leave behind");
	return -1;
}

/*
 * Lines of tracefs uprobe_events that libbpf's legacy attach made for this process (it names
 * them libbpf_<pid>_...); -1 when tracefs cannot be mounted or read.
 */
static int legacy_uprobe_events(void)
{
	char file[64], needle[32], line[512];
	const char *dir;
	FILE *f;
	int n = 0;

	if (pseudo_fs_ensure(FS_TRACEFS, &dir, NULL))
		return -1;
	snprintf(file, sizeof(file), "%s/uprobe_events", dir);
	f = fopen(file, "r");
	if (!f)
		return -1;
	snprintf(needle, sizeof(needle), "libbpf_%d_", getpid());
	while (fgets(line, sizeof(line), f))
		n += strstr(line, needle) != NULL;
	fclose(f);
	return n;
}

/* While attached: how long the attach took, and through what. */
static void note_attach(struct check_result *res, double attach_start)
{
	int legacy;

	check_detail_json(res, "attach_ms", json_real(now_ms() - attach_start));
	legacy = legacy_uprobe_events();
	check_detail_str(res, "attach_mode", legacy > 0 ? "tracefs uprobe_events" :
			 legacy == 0 ? "uprobe PMU" : "unknown (no tracefs)");
}

/*
 * Hands the link to the reaper: closing a uprobe waits 70-130 ms for the kernel on some
 * machines, which the next check need not wait for.
 */
static void detach(struct check_result *res, struct bpf_link **link)
{
	(void)res;
	reaper_defer(*link);
	*link = NULL;
}

/* After the link is gone, tracefs must hold no event of this process. */
static void verify_nothing_left(struct check_result *res)
{
	int left = legacy_uprobe_events();

	if (left <= 0)
		return;
	if (res->status == CHECK_PASS)
		check_set(res, CHECK_FAIL, "%d event(s) libbpf_%d_* left in tracefs uprobe_events",
			  left, getpid());
	else
		check_reason_append(res, "%d event(s) libbpf_%d_* left in tracefs uprobe_events",
				    left, getpid());
}

static void run_uprobe_kind(struct check_result *res, bool retprobe)
{
	LIBBPF_OPTS(bpf_uprobe_opts, opts, .retprobe = retprobe);
	struct uprobe_count_bpf *skel = NULL;
	struct bpf_link *link = NULL;
	struct bpf_program *prog;
	char path[PATH_MAX], what[PATH_MAX + 128];
	long long arg_sum = 0, ret_sum = 0;
	unsigned long long seen;
	double start;
	long off;
	int err;

	if ((off = uprobe_target_locate(res, path, sizeof(path))) < 0 ||
	    uprobe_require_pmu(res))
		return;
	skel = uprobe_count_bpf__open();
	if (!skel) {
		check_set_errno(res, CHECK_ERROR, errno, "open 'uprobe_count' BPF object");
		return;
	}
	prog = retprobe ? skel->progs.uretprobe_exit : skel->progs.uprobe_entry;
	autoload_only(skel->obj, prog);
	skel->rodata->target_tgid = kernel_tgid();

	err = uprobe_count_bpf__load(skel);
	if (err) {
		snprintf(what, sizeof(what), "load '%s' program", bpf_program__section_name(prog));
		check_explain(res, err, what, uprobe_configs);
		goto cleanup;
	}
	start = now_ms();
	link = bpf_program__attach_uprobe_opts(prog, getpid(), path, off, &opts);
	if (!link) {
		err = -errno;
		snprintf(what, sizeof(what), "attach '%s' to '%s' (0x%lx in '%s')",
			 bpf_program__section_name(prog), UPROBE_TARGET_SYMBOL, off, path);
		check_explain(res, err, what, uprobe_configs);
		goto cleanup;
	}
	note_attach(res, start);

	skel->bss->armed = 1;
	for (int i = 0; i < NR_CALLS; i++) {
		arg_sum += ARG_FIRST + i;
		ret_sum += bpfgauge_uprobe_target(ARG_FIRST + i);
	}
	skel->bss->armed = 0;
	detach(res, &link);

	check_detail_int(res, "calls", NR_CALLS);
	check_detail_int(res, "arg_first", ARG_FIRST);
	snprintf(what, sizeof(what), "'%s' in pid %d", UPROBE_TARGET_SYMBOL, getpid());
	if (!retprobe) {
		seen = skel->bss->entries;
		check_detail_int(res, "entries", seen);
		check_detail_int(res, "arg_sum", skel->bss->arg_sum);
		check_detail_int(res, "last_arg", skel->bss->last_arg);
		if (seen != NR_CALLS)
			check_set(res, CHECK_FAIL, "%s: made %d calls, saw %llu entries", what,
				  NR_CALLS, seen);
		else if (skel->bss->arg_sum != arg_sum)
			check_set(res, CHECK_FAIL, "%s: arguments read through PT_REGS_PARM1 sum "
				  "to %lld, passed %lld", what, (long long)skel->bss->arg_sum,
				  arg_sum);
		else
			check_set(res, CHECK_PASS, "%s: %d of %d entries seen, arguments %d..%d",
				  what, NR_CALLS, NR_CALLS, ARG_FIRST, ARG_FIRST + NR_CALLS - 1);
	} else {
		seen = skel->bss->returns;
		check_detail_int(res, "returns", seen);
		check_detail_int(res, "return_sum", skel->bss->ret_sum);
		check_detail_int(res, "last_return", skel->bss->last_ret);
		if (seen != NR_CALLS)
			check_set(res, CHECK_FAIL, "%s: made %d calls, saw %llu returns", what,
				  NR_CALLS, seen);
		else if (skel->bss->ret_sum != ret_sum)
			check_set(res, CHECK_FAIL, "%s: return values read through PT_REGS_RC sum "
				  "to %lld, the calls returned %lld", what,
				  (long long)skel->bss->ret_sum, ret_sum);
		else
			check_set(res, CHECK_PASS, "%s: %d of %d returns seen, values sum to %lld "
				  "as returned", what, NR_CALLS, NR_CALLS, ret_sum);
	}
	verify_nothing_left(res);
cleanup:
	reaper_defer(link);
	uprobe_count_bpf__destroy(skel);
}

static void run_uprobe(struct check_result *res)
{
	run_uprobe_kind(res, false);
}

static void run_uretprobe(struct check_result *res)
{
	run_uprobe_kind(res, true);
}

/*
 * libbpf's USDT code reads arguments with bpf_probe_read_kernel(), which lockdown in
 * confidentiality mode takes away from the verifier.
 */
static void explain_lockdown(struct check_result *res)
{
	const char *mode = lockdown_mode();

	if (res->status != CHECK_FAIL || !mode || strcmp(mode, "confidentiality") ||
	    !libbpf_log_contains("bpf_probe_read_kernel"))
		return;
	res->status = CHECK_UNSUPPORTED;
	check_reason_append(res, "lockdown=confidentiality refuses bpf_probe_read_kernel, which "
			    "libbpf's USDT argument reads use");
}

static void run_usdt(struct check_result *res)
{
	struct usdt_count_bpf *skel = NULL;
	struct bpf_link *link = NULL;
	char path[PATH_MAX], what[PATH_MAX + 128];
	long long arg1_sum = 0, arg2_sum = 0;
	double start;
	int err;

	if (uprobe_self_exe(res, path, sizeof(path)) || uprobe_require_pmu(res))
		return;
	skel = usdt_count_bpf__open();
	if (!skel) {
		check_set_errno(res, CHECK_ERROR, errno, "open 'usdt_count' BPF object");
		return;
	}
	skel->rodata->target_tgid = kernel_tgid();

	err = usdt_count_bpf__load(skel);
	if (err) {
		check_explain(res, err, "load 'usdt' program", uprobe_configs);
		explain_lockdown(res);
		goto cleanup;
	}
	start = now_ms();
	link = bpf_program__attach_usdt(skel->progs.usdt_target_call, getpid(), path,
					UPROBE_TARGET_USDT_PROVIDER, UPROBE_TARGET_USDT_NAME, NULL);
	if (!link) {
		err = -errno;
		snprintf(what, sizeof(what), "attach 'usdt' to '%s:%s' in '%s'",
			 UPROBE_TARGET_USDT_PROVIDER, UPROBE_TARGET_USDT_NAME, path);
		check_explain(res, err, what, uprobe_configs);
		/* A binary built without its probe note: the check broke, not the kernel. */
		if (res->status == CHECK_FAIL && libbpf_log_contains("no USDT notes"))
			res->status = CHECK_ERROR;
		goto cleanup;
	}
	note_attach(res, start);

	skel->bss->armed = 1;
	for (int i = 0; i < NR_CALLS; i++) {
		arg1_sum += ARG_FIRST + i;
		arg2_sum += uprobe_target_tag(ARG_FIRST + i);
		uprobe_target_call(ARG_FIRST + i);
	}
	skel->bss->armed = 0;

	check_detail_int(res, "calls", NR_CALLS);
	check_detail_int(res, "arg_first", ARG_FIRST);
	check_detail_int(res, "hits", skel->bss->hits);
	check_detail_int(res, "arg_count", skel->data->arg_count);
	check_detail_int(res, "arg1_sum", skel->bss->arg1_sum);
	check_detail_int(res, "arg2_sum", skel->bss->arg2_sum);
	check_detail_int(res, "last_arg2", skel->bss->last_arg2);
	snprintf(what, sizeof(what), "'%s:%s' in pid %d", UPROBE_TARGET_USDT_PROVIDER,
		 UPROBE_TARGET_USDT_NAME, getpid());
	if (skel->bss->hits != NR_CALLS)
		check_set(res, CHECK_FAIL, "%s: fired %d times, saw %llu hits", what, NR_CALLS,
			  (unsigned long long)skel->bss->hits);
	else if (skel->data->arg_count != 2)
		check_set(res, CHECK_FAIL, "%s: bpf_usdt_arg_cnt() says %d arguments, the probe "
			  "has 2", what, skel->data->arg_count);
	else if (skel->bss->arg1_sum != arg1_sum || skel->bss->arg2_sum != arg2_sum)
		check_set(res, CHECK_FAIL, "%s: arguments sum to %lld and %lld, passed %lld and "
			  "%lld", what, (long long)skel->bss->arg1_sum,
			  (long long)skel->bss->arg2_sum, arg1_sum, arg2_sum);
	else
		check_set(res, CHECK_PASS, "%s: %d of %d hits seen, both arguments (int, 64-bit) "
			  "as passed", what, NR_CALLS, NR_CALLS);
	verify_nothing_left(res);
cleanup:
	/* The link uses the object's USDT state until it is gone: both go to the reaper. */
	if (skel)
		reaper_defer_skel(link, skel->skeleton, skel);
}

DEFINE_CHECK(uprobe, "uprobes", "see N calls of a function of this binary, with their argument",
	     run_uprobe);
DEFINE_CHECK(uretprobe, "uprobes", "see N returns of a function of this binary, with their value",
	     run_uretprobe);
DEFINE_CHECK(usdt, "uprobes", "see N hits of this binary's USDT probe, with both arguments",
	     run_usdt);
