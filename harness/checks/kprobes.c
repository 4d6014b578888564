// SPDX-License-Identifier: GPL-2.0
/*
 * kprobe, kretprobe, kprobe_multi: attach to vfs_read, make exactly N reads of S bytes from
 * /dev/zero, and verify that the program counted N for this process with the right size and
 * buffer arguments (kprobe, kprobe_multi, which also reads its attach cookie) or return value
 * (kretprobe). When the attach fails, the kernel config and the kprobe PMU and tracefs files
 * say why.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "attach/attach.h"
#include "check.h"
#include "kprobes.h"
#include "lib/autoload.h"
#include "lib/errno_name.h"
#include "lib/ftrace.h"
#include "lib/kconfig.h"
#include "lib/mounts.h"
#include "lib/reaper.h"
#include "vfs_read.h"

#define TARGET_FUNC "vfs_read"
#define MULTI_COOKIE 0x62706667ULL

enum kp_kind { KP_KPROBE, KP_KRETPROBE, KP_MULTI };

/* The CONFIG_ options of each, from the attach-method registry (attach.def). */
static const char *const *const kprobe_configs = attach_types[ATTACH_kprobe].configs;
static const char *const *const multi_configs = attach_types[ATTACH_kprobe_multi].configs;
const char *const kprobe_load_configs[] = { "CONFIG_BPF_EVENTS", NULL };

/* Records where libbpf can attach a kprobe; returns how many of the two ways are missing. */
static int kprobe_evidence(struct check_result *res, char *missing, size_t sz)
{
	int pmu = ftrace_kprobe_pmu(), events = ftrace_kprobe_events(), n = 0;

	check_detail_str(res, "kprobe_pmu", pmu ? errno_name(pmu) : "present");
	check_detail_str(res, "kprobe_events", events ? errno_name(events) : "present");
	missing[0] = '\0';
	if (pmu) {
		snprintf(missing, sz, "no 'kprobe' PMU in /sys/bus/event_source/devices");
		n++;
	}
	if (events) {
		snprintf(missing + strlen(missing), sz - strlen(missing), "%sno kprobe_events in "
			 "tracefs", n ? ", " : "");
		n++;
	}
	return n;
}

void kprobe_explain_attach(struct check_result *res, int err, const char *what, bool multi)
{
	const char *mode = lockdown_mode();
	char missing[128];
	int nr_missing = multi ? 0 : kprobe_evidence(res, missing, sizeof(missing));

	check_detail_str(res, "lockdown", mode ? mode : "unknown");
	if (check_explain(res, err, what, multi ? multi_configs : kprobe_configs) ==
	    CHECK_UNSUPPORTED) {
		if (nr_missing)
			check_reason_append(res, "%s", missing);
		return;
	}
	/* Only 'confidentiality' covers kprobes (LOCKDOWN_KPROBES); 'integrity' does not. */
	if (mode && !strcmp(mode, "confidentiality") && (err == -EPERM || err == EPERM)) {
		check_set_errno(res, CHECK_UNSUPPORTED, err, "%s", what);
		check_reason_append(res, "likely: lockdown=confidentiality refuses kprobes");
		return;
	}
	if (nr_missing)
		check_reason_append(res, "%s", missing);
}

static struct bpf_link *attach(struct vfs_read_bpf *skel, enum kp_kind kind)
{
	LIBBPF_OPTS(bpf_kprobe_multi_opts, multi);
	static const char *syms[] = { TARGET_FUNC };
	static const __u64 cookies[] = { MULTI_COOKIE };

	switch (kind) {
	case KP_KPROBE:
		return bpf_program__attach_kprobe(skel->progs.on_kprobe, false, TARGET_FUNC);
	case KP_KRETPROBE:
		return bpf_program__attach_kprobe(skel->progs.on_kretprobe, true, TARGET_FUNC);
	case KP_MULTI:
		multi.syms = syms;
		multi.cookies = cookies;
		multi.cnt = 1;
		return bpf_program__attach_kprobe_multi_opts(skel->progs.on_kprobe_multi, NULL,
							     &multi);
	}
	errno = EINVAL;
	return NULL;
}

static void run_kprobe_kind(struct check_result *res, enum kp_kind kind)
{
	struct vfs_read_bpf *skel;
	struct bpf_program *prog;
	struct bpf_link *link = NULL;
	char what[128];
	int err;

	skel = vfs_read_open(res);
	if (!skel)
		return;
	prog = kind == KP_KPROBE ? skel->progs.on_kprobe :
	       kind == KP_KRETPROBE ? skel->progs.on_kretprobe : skel->progs.on_kprobe_multi;
	autoload_only(skel->obj, prog);

	err = vfs_read_bpf__load(skel);
	if (err) {
		snprintf(what, sizeof(what), "load '%s'", bpf_program__section_name(prog));
		check_explain(res, err, what, kprobe_load_configs);
		goto cleanup;
	}
	link = attach(skel, kind);
	if (!link) {
		err = -errno;
		snprintf(what, sizeof(what), "attach '%s' to '%s'",
			 kind == KP_MULTI ? "kprobe.multi" : kind == KP_KRETPROBE ? "kretprobe" :
			 "kprobe", TARGET_FUNC);
		kprobe_explain_attach(res, err, what, kind == KP_MULTI);
		goto cleanup;
	}
	vfs_read_run(res, skel, TARGET_FUNC, kind == KP_KRETPROBE ? VFS_SEEN_RET : VFS_SEEN_ARGS);
	if (kind == KP_MULTI && res->status == CHECK_PASS) {
		check_detail_int(res, "cookie", skel->bss->last_cookie);
		if (skel->bss->last_cookie != MULTI_COOKIE)
			check_set(res, CHECK_FAIL,
				  "'%s': attach cookie read as %#llx, expected %#llx", TARGET_FUNC,
				  (unsigned long long)skel->bss->last_cookie, MULTI_COOKIE);
		else
			check_reason_append(res, "attach cookie right");
	}
cleanup:
	reaper_defer(link);
	vfs_read_bpf__destroy(skel);
}

static void run_kprobe(struct check_result *res)
{
	run_kprobe_kind(res, KP_KPROBE);
}

static void run_kretprobe(struct check_result *res)
{
	run_kprobe_kind(res, KP_KRETPROBE);
}

static void run_kprobe_multi(struct check_result *res)
{
	run_kprobe_kind(res, KP_MULTI);
}

DEFINE_CHECK(kprobe, "kprobes", "count N reads at a kprobe on vfs_read, with their arguments",
	     run_kprobe);
DEFINE_CHECK(kretprobe, "kprobes", "count N reads at a kretprobe on vfs_read, with their return "
	     "values", run_kretprobe);
DEFINE_CHECK(kprobe_multi, "kprobes", "count N reads at a kprobe_multi link on vfs_read, with "
	     "arguments and cookie", run_kprobe_multi);
