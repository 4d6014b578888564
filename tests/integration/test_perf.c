// SPDX-License-Identifier: GPL-2.0
/*
 * perf_event, stack_trace, hw_counters against evidence the test gathers itself: the kernel
 * config (zcat/grep), its own perf_event_open of a cycles counter, /proc/kallsyms (awk) and
 * the binary's symbols (nm); and that nothing stays loaded afterwards (bpftool).
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/perf_event.h>

#include "integration.h"
#include "support.h"

static json_t *detail(json_t *doc, const char *check, const char *key)
{
	return json_object_get(json_object_get(probe_find(doc, check), "details"), key);
}

Test(perf, perf_event_passes_where_perf_events_are_configured)
{
	int cfg = evidence_config("CONFIG_PERF_EVENTS");
	long long cpu_us, samples;
	json_t *doc;

	if (!evidence_root())
		cr_skip_test("needs root");
	if (cfg < 0)
		cr_skip_test("no kernel config to compare with");
	doc = probe_json("--only perf_event", NULL);
	cr_assert_not_null(doc);
	if (!cfg) {
		cr_assert_str_eq(probe_status(doc, "perf_event"), "unsupported");
		cr_assert(strstr(probe_reason(doc, "perf_event"), "CONFIG_PERF_EVENTS"));
		json_decref(doc);
		return;
	}
	cr_assert_str_eq(probe_status(doc, "perf_event"), "pass", "reason: %s",
			 probe_reason(doc, "perf_event"));
	/* Samples fit the CPU time the check spent at 997 Hz (a quarter of it at least). */
	cpu_us = json_integer_value(detail(doc, "perf_event", "cpu_us"));
	samples = json_integer_value(detail(doc, "perf_event", "samples"));
	cr_assert_gt(cpu_us, 0);
	cr_assert_geq(samples * 4 * 1000000, cpu_us * 997, "%lld samples in %lld us", samples,
		      cpu_us);
	cr_assert_eq(json_integer_value(detail(doc, "perf_event", "other_processes")), 0);
	json_decref(doc);
}

/* The test's own attempt: 0 when a cycles counter opens for this process, else errno. */
static int open_cycles(void)
{
	struct perf_event_attr attr = {
		.type = PERF_TYPE_HARDWARE,
		.size = sizeof(attr),
		.config = PERF_COUNT_HW_CPU_CYCLES,
		.disabled = 1,
		.exclude_kernel = 1,
		.exclude_hv = 1,
	};
	int fd = syscall(SYS_perf_event_open, &attr, 0, -1, -1, 0);

	if (fd < 0)
		return errno;
	close(fd);
	return 0;
}

Test(perf, hw_counters_agree_with_own_cycles_counter)
{
	int err = open_cycles();
	const char *reason;
	json_t *doc;

	doc = probe_json("--only hw_counters", NULL);
	cr_assert_not_null(doc);
	reason = probe_reason(doc, "hw_counters");
	if (!err) {
		cr_assert_str_eq(probe_status(doc, "hw_counters"), "pass", "reason: %s", reason);
		cr_assert_gt(json_integer_value(detail(doc, "hw_counters", "cycles")), 0);
	} else {
		cr_assert_str_neq(probe_status(doc, "hw_counters"), "pass");
		cr_assert(strstr(reason, strerrorname_np(err)), "test got %s, reason: %s",
			  strerrorname_np(err), reason);
		if (err == ENOENT)
			cr_assert_str_eq(probe_status(doc, "hw_counters"), "unsupported");
	}
	json_decref(doc);
}

Test(perf, hw_counters_lists_the_pmus_sysfs_shows)
{
	char *ls = sh("ls /sys/bus/event_source/devices", NULL), *name, *save = NULL;
	json_t *doc = probe_json("--only hw_counters", NULL), *pmus;
	size_t n = 0;

	cr_assert_not_null(doc);
	if (open_cycles() == 0) {
		json_decref(doc);
		free(ls);
		cr_skip_test("the PMU works: no evidence to list");
	}
	pmus = detail(doc, "hw_counters", "pmus");
	for (name = strtok_r(ls, "\n", &save); name; name = strtok_r(NULL, "\n", &save), n++) {
		bool found = false;
		size_t i;
		json_t *p;

		json_array_foreach(pmus, i, p)
			found |= !strcmp(json_string_value(p), name);
		cr_assert(found, "'%s' missing from details.pmus", name);
	}
	cr_assert_eq(json_array_size(pmus), n);
	if (!evidence_exists("/sys/bus/event_source/devices/cpu"))
		cr_assert(strstr(probe_reason(doc, "hw_counters"), "no CPU PMU"));
	json_decref(doc);
	free(ls);
}

/* Whether /proc/kallsyms shows real addresses to this test (kptr_restrict permitting). */
static bool kallsyms_has_addresses(void)
{
	char *out = sh("awk '$1 !~ /^0+$/ {n++} END {print n+0}' /proc/kallsyms", NULL);
	bool yes = atol(out) > 0;

	free(out);
	return yes;
}

/*
 * A kernel frame "name+off" is right when, for one address A of name in /proc/kallsyms, no
 * other function starts in (A, A + off]. Addresses are 16 hex digits: strings compare as
 * numbers.
 */
static void assert_kernel_frame(const char *frame)
{
	char name[256], cmd[512], *addrs, *a, *save = NULL;
	unsigned long off;
	bool ok = false;

	cr_assert(test_frame_parse(frame, name, sizeof(name), &off), "frame '%s'", frame);
	snprintf(cmd, sizeof(cmd), "awk '$2 ~ /^[tTwW]$/ && $3 == \"%s\" {print $1}' "
		 "/proc/kallsyms", name);
	addrs = sh(cmd, NULL);
	cr_assert(addrs[0], "kernel frame '%s' is not in /proc/kallsyms", frame);
	for (a = strtok_r(addrs, "\n", &save); a && !ok; a = strtok_r(NULL, "\n", &save)) {
		char *n;

		snprintf(cmd, sizeof(cmd), "awk '$2 ~ /^[tTwW]$/ && $1 > \"%s\" && "
			 "$1 <= \"%016lx\"' /proc/kallsyms | wc -l", a,
			 strtoul(a, NULL, 16) + off);
		n = sh(cmd, NULL);
		ok = atoi(n) == 0;
		free(n);
	}
	cr_assert(ok, "kernel frame '%s': another function starts before that offset", frame);
	free(addrs);
}

static void assert_frames_real(json_t *doc)
{
	json_t *frames, *f;
	size_t i;

	frames = detail(doc, "stack_trace", "user_frames");
	cr_assert_gt(json_array_size(frames), 1, "user frames: one frame is no walk");
	json_array_foreach(frames, i, f) {
		if (strstr(json_string_value(f), "(bpfgauge)"))
			test_assert_user_frame(json_string_value(f));
	}
	frames = detail(doc, "stack_trace", "kernel_frames");
	cr_assert_gt(json_array_size(frames), 0);
	json_array_foreach(frames, i, f)
		assert_kernel_frame(json_string_value(f));
}

Test(perf, stack_trace_passes_with_perf_event_and_kallsyms)
{
	json_t *doc;

	if (!evidence_root())
		cr_skip_test("needs root");
	doc = probe_json("--only perf_event,stack_trace", NULL);
	cr_assert_not_null(doc);
	if (strcmp(probe_status(doc, "perf_event"), "pass")) {
		cr_assert_str_neq(probe_status(doc, "stack_trace"), "pass");
	} else if (!kallsyms_has_addresses()) {
		cr_assert_str_eq(probe_status(doc, "stack_trace"), "unsupported");
		cr_assert(strstr(probe_reason(doc, "stack_trace"), "kptr_restrict"));
	} else {
		cr_assert_str_eq(probe_status(doc, "stack_trace"), "pass", "reason: %s",
				 probe_reason(doc, "stack_trace"));
		assert_frames_real(doc);
	}
	json_decref(doc);
}

Test(perf, checks_leave_no_program_behind)
{
	char *out = NULL;
	int tries;

	if (!evidence_root())
		cr_skip_test("needs root");
	json_decref(probe_json("--only perf_event,stack_trace,ringbuf,perfbuf", NULL));
	/*
	 * Links go with the process; the kernel frees a raw tracepoint's program only after an
	 * RCU grace period (65-250 ms measured): wait for that, not for ever.
	 */
	for (tries = 0; tries < 50; tries++) {
		free(out);
		out = sh("bpftool prog show | grep -cE "
			 "' name (on_cpu_clock|ringbuf_send|perfbuf_send) '", NULL);
		if (atoi(out) == 0)
			break;
		usleep(100 * 1000);
	}
	cr_assert_eq(atoi(out), 0, "still loaded 5 s after the probe exited: %s", out);
	free(out);
}
