// SPDX-License-Identifier: GPL-2.0
/*
 * kprobe, kretprobe, kprobe_multi, fentry, fexit against independent evidence: the kernel
 * config read with zcat/grep, the perf PMU directory, tracefs files, and an open() of
 * set_ftrace_filter made here. Where the evidence says a hook works, the check must pass;
 * where it says it cannot, the reason must name the cause.
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "integration.h"
#include "support.h"

#define PMU_KPROBE "/sys/bus/event_source/devices/kprobe"
#define TRACEFS "/sys/kernel/tracing"

static const char *detail(json_t *doc, const char *check, const char *key)
{
	json_t *details = json_object_get(probe_find(doc, check), "details");

	return json_string_value(json_object_get(details, key));
}

static void mount_tracefs(void)
{
	free(sh("mountpoint -q " TRACEFS " || mount -t tracefs tracefs " TRACEFS, NULL));
}

/* errno of opening set_ftrace_filter for writing (O_APPEND: the filter stays), 0 if it opens. */
static int ftrace_filter_errno(void)
{
	int fd;

	mount_tracefs();
	fd = open(TRACEFS "/set_ftrace_filter", O_WRONLY | O_APPEND);
	if (fd < 0)
		return errno;
	close(fd);
	return 0;
}

static int ftrace_enabled(void)
{
	char *out = sh("cat /proc/sys/kernel/ftrace_enabled 2>/dev/null", NULL);
	int v = out[0] ? atoi(out) : -1;

	free(out);
	return v;
}

static bool confidential(void)
{
	return !strcmp(evidence_lockdown(), "confidentiality");
}

static json_t *probe(const char *checks)
{
	char args[256];
	json_t *doc;
	int code;

	if (!evidence_root())
		cr_skip_test("needs root to load BPF");
	snprintf(args, sizeof(args), "--only %s", checks);
	doc = probe_json(args, &code);
	cr_assert_not_null(doc, "probe %s printed no JSON", args);
	return doc;
}

static void assert_kprobe(json_t *doc, const char *check)
{
	int kprobes = evidence_config("CONFIG_KPROBES");
	const char *st = probe_status(doc, check), *why = probe_reason(doc, check);

	if (kprobes == 0) {
		cr_assert_str_eq(st, "unsupported", "%s: CONFIG_KPROBES is not set: %s", check,
				 why);
		cr_assert(strstr(why, "CONFIG_KPROBES is not set"), "%s: %s", check, why);
	} else if (kprobes == 1 && evidence_exists(PMU_KPROBE) && !confidential()) {
		cr_assert_str_eq(st, "pass", "%s should work here: %s", check, why);
	} else {
		cr_assert_str_neq(st, "error", "%s: %s", check, why);
	}
}

Test(kprobes, kprobe_matches_config_and_pmu)
{
	json_t *doc = probe("kprobe");

	assert_kprobe(doc, "kprobe");
	json_decref(doc);
}

Test(kprobes, kretprobe_matches_config_and_pmu)
{
	json_t *doc = probe("kretprobe");

	assert_kprobe(doc, "kretprobe");
	json_decref(doc);
}

/* When the attach fails, the details say what is there: compared with stat() here. */
Test(kprobes, failed_attach_details_match_the_files)
{
	json_t *doc = probe("kprobe");
	const char *pmu, *events;

	if (!strcmp(probe_status(doc, "kprobe"), "pass")) {
		cr_assert(evidence_exists(PMU_KPROBE) || evidence_exists(TRACEFS "/kprobe_events"),
			  "kprobe passed with neither the PMU nor kprobe_events");
		json_decref(doc);
		return;
	}
	pmu = detail(doc, "kprobe", "kprobe_pmu");
	events = detail(doc, "kprobe", "kprobe_events");
	cr_assert_not_null(pmu, "no kprobe_pmu detail");
	cr_assert_not_null(events, "no kprobe_events detail");
	mount_tracefs();
	cr_assert_eq(!strcmp(pmu, "present"), evidence_exists(PMU_KPROBE), "kprobe_pmu: %s", pmu);
	cr_assert_eq(!strcmp(events, "present"), evidence_exists(TRACEFS "/kprobe_events"),
		     "kprobe_events: %s", events);
	json_decref(doc);
}

Test(kprobes, kprobe_multi_matches_fprobe)
{
	json_t *doc = probe("kprobe_multi");
	int fprobe = evidence_config("CONFIG_FPROBE");
	const char *st = probe_status(doc, "kprobe_multi");
	const char *why = probe_reason(doc, "kprobe_multi");

	if (fprobe == 0) {
		cr_assert_str_eq(st, "unsupported", "CONFIG_FPROBE is not set: %s", why);
		cr_assert(strstr(why, "CONFIG_FPROBE is not set"), "%s", why);
	} else if (fprobe == 1 && ftrace_filter_errno() == 0 && ftrace_enabled() == 1 &&
		   !confidential()) {
		/* fprobe is built on ftrace: it works where ftrace hooks can be set. */
		cr_assert_str_eq(st, "pass", "kprobe_multi should work here: %s", why);
	} else {
		cr_assert_str_neq(st, "error", "%s", why);
	}
	json_decref(doc);
}

static void assert_trampoline(json_t *doc, const char *check)
{
	int filter = ftrace_filter_errno();
	const char *st = probe_status(doc, check), *why = probe_reason(doc, check);
	const char *seen = detail(doc, check, "set_ftrace_filter_open");

	if (filter == EPERM && !confidential()) {
		cr_assert_str_neq(st, "pass", "%s passed although ftrace hooks are refused", check);
		cr_assert(strstr(why, "set_ftrace_filter") && strstr(why, "EPERM"), "%s: %s", check,
			  why);
	} else if (filter == 0 && ftrace_enabled() == 1 &&
		   evidence_config("CONFIG_DYNAMIC_FTRACE_WITH_DIRECT_CALLS") == 1 &&
		   evidence_config("CONFIG_DEBUG_INFO_BTF") == 1) {
		cr_assert_str_eq(st, "pass", "%s should work here: %s", check, why);
	} else {
		cr_assert_str_neq(st, "error", "%s: %s", check, why);
	}
	/* What the check saw of set_ftrace_filter is what this test sees. */
	if (seen)
		cr_assert_str_eq(seen, filter ? strerrorname_np(filter) : "ok", "%s", check);
}

Test(trampolines, fentry_matches_ftrace_hooks)
{
	json_t *doc = probe("fentry");

	assert_trampoline(doc, "fentry");
	json_decref(doc);
}

Test(trampolines, fexit_matches_ftrace_hooks)
{
	json_t *doc = probe("fexit");

	assert_trampoline(doc, "fexit");
	json_decref(doc);
}

/*
 * kprobe_session (6.10) rides on a kprobe_multi link: where kprobe_multi cannot attach for
 * want of fprobe, neither can it, for the same reason. Where it passes, the returns the test
 * expects from the sizes read (those with two low bits set skipped) are the ones it saw.
 */
Test(kprobes, kprobe_session_matches_fprobe_and_version)
{
	json_t *doc = probe("kprobe_multi,kprobe_session");
	int fprobe = evidence_config("CONFIG_FPROBE");
	const char *st = probe_status(doc, "kprobe_session");
	const char *why = probe_reason(doc, "kprobe_session");
	long long reads, first, skipped = 0;

	cr_assert_str_eq(probe_detail_str(doc, "kprobe_session", "arrived_in"), "6.10");
	if (fprobe == 0) {
		cr_assert_str_eq(st, "unsupported", "CONFIG_FPROBE is not set: %s", why);
		cr_assert(strstr(why, "CONFIG_FPROBE is not set"), "%s", why);
		cr_assert_str_eq(probe_status(doc, "kprobe_multi"), st, "kprobe_multi: %s",
				 probe_reason(doc, "kprobe_multi"));
	} else if (!evidence_kernel_at_least(6, 10)) {
		cr_assert_str_eq(st, "unsupported", "%s", why);
		cr_assert(strstr(why, "< 6.10 where kprobe sessions arrived"), "%s", why);
	} else if (strcmp(probe_status(doc, "kprobe_multi"), "pass")) {
		cr_assert_str_neq(st, "pass", "passed where kprobe_multi does not: %s",
				  probe_reason(doc, "kprobe_multi"));
	} else {
		cr_assert_str_eq(st, "pass", "kprobe_multi passes, kprobe_session: %s", why);
		reads = probe_detail_int(doc, "kprobe_session", "reads");
		first = probe_detail_int(doc, "kprobe_session", "size_first");
		for (long long i = 0; i < reads; i++)
			skipped += ((first + i) & 3) == 3;
		cr_assert_gt(skipped, 0, "none of %lld reads has a size whose return is skipped",
			     reads);
		cr_assert_eq(probe_detail_int(doc, "kprobe_session", "entries"), reads);
		cr_assert_eq(probe_detail_int(doc, "kprobe_session", "returns_skipped"), skipped);
		cr_assert_eq(probe_detail_int(doc, "kprobe_session", "returns"), reads - skipped);
		cr_assert_eq(probe_detail_int(doc, "kprobe_session", "cookies_right"),
			     reads - skipped);
	}
	json_decref(doc);
}

/*
 * fentry_sleepable (5.10) sits on a trampoline as fentry does: where fentry cannot work, it
 * cannot either, for the same reason. Where it passes, it read every value the check says it
 * wrote, each after its page was dropped; it ran on the write syscall unless the verifier
 * refused sleepable programs there, which it may only do without error injection.
 */
Test(trampolines, fentry_sleepable_matches_fentry_and_config)
{
	json_t *doc = probe("fentry,fentry_sleepable");
	int fei = evidence_config("CONFIG_FUNCTION_ERROR_INJECTION");
	const char *st = probe_status(doc, "fentry_sleepable");
	const char *why = probe_reason(doc, "fentry_sleepable");
	const char *target = probe_detail_str(doc, "fentry_sleepable", "target");
	long long calls, first, step, sum = 0;

	cr_assert_str_eq(probe_detail_str(doc, "fentry_sleepable", "arrived_in"), "5.10");
	if (strcmp(probe_status(doc, "fentry"), "pass")) {
		cr_assert_str_eq(st, probe_status(doc, "fentry"), "fentry: %s; "
				 "fentry_sleepable: %s", probe_reason(doc, "fentry"), why);
		if (strstr(probe_reason(doc, "fentry"), "ftrace function hooks are refused"))
			cr_assert(strstr(why, "ftrace function hooks are refused"), "%s", why);
		json_decref(doc);
		return;
	}
#ifdef __x86_64__
	if (fei == 1)
		cr_assert_str_eq(target, "__x64_sys_write", "%s", why);
#endif
	if (strcmp(target, "bpf_fentry_test1") == 0 || strcmp(st, "pass")) {
		/* The syscall was refused: by the verifier, where error injection is off. */
		cr_assert_eq(fei, 0, "%s", why);
		cr_assert(strstr(why, "is not sleepable"), "%s", why);
		cr_assert(strstr(why, "CONFIG_FUNCTION_ERROR_INJECTION is not set"), "%s", why);
	}
	if (strcmp(st, "pass")) {
		cr_assert_str_eq(st, "unsupported", "%s", why);
		cr_assert_str_eq(probe_detail_str(doc, "fentry_sleepable", "missing_config"),
				 "CONFIG_FUNCTION_ERROR_INJECTION");
		json_decref(doc);
		return;
	}
	calls = probe_detail_int(doc, "fentry_sleepable", "calls");
	first = probe_detail_int(doc, "fentry_sleepable", "value_first");
	step = probe_detail_int(doc, "fentry_sleepable", "value_step");
	cr_assert_gt(calls, 0);
	cr_assert_gt(step, 1LL << 32);
	for (long long i = 0; i < calls; i++)
		sum += first + i * step;
	cr_assert_eq(probe_detail_int(doc, "fentry_sleepable", "entries"), calls);
	cr_assert_eq(probe_detail_int(doc, "fentry_sleepable", "copy_errors"), 0);
	cr_assert_eq(probe_detail_int(doc, "fentry_sleepable", "value_sum"), sum);
	if (evidence_exists("/proc/self/pagemap")) {
		cr_assert_eq(probe_detail_int(doc, "fentry_sleepable", "page_absent_before"),
			     calls);
		cr_assert_eq(probe_detail_int(doc, "fentry_sleepable", "page_present_after"),
			     calls);
	}
	json_decref(doc);
}
