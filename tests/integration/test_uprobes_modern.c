// SPDX-License-Identifier: GPL-2.0
/*
 * The verdicts of the uprobe checks of newer kernels against this machine's evidence: the
 * kernel's version read by the shell, its config read with zcat, the 'uprobe' PMU in sysfs,
 * its syscalls in /proc/kallsyms read with grep, and values the test computes itself by
 * calling the same target function. (test_uprobes.c asserts that none of them leaves
 * anything behind.)
 */
#include <criterion/criterion.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "integration.h"
#include "lib/uprobe_target.h"
#include "support.h"
#include "uprobe_tests.h"

/*
 * uprobe_sleepable (6.0): each read of the value had to fault its page in, which only a
 * sleepable program may do; the values read are the ones the check says it wrote, from the
 * first value and the step in its details.
 */
Test(uprobes, uprobe_sleepable_reads_every_value_written)
{
	json_t *doc = probe_json("--only uprobe_sleepable", NULL), *details;
	const char *cause = uprobe_expected_cause();
	long long calls, first, step, sum = 0;

	cr_assert_not_null(doc);
	details = json_object_get(probe_find(doc, "uprobe_sleepable"), "details");
	if (cause) {
		uprobe_assert_cause(doc, "uprobe_sleepable", cause);
	} else if (!evidence_kernel_at_least(6, 0)) {
		cr_assert_str_eq(json_string_value(json_object_get(details, "arrived_in")), "6.0");
		uprobe_assert_cause(doc, "uprobe_sleepable",
				    "< 6.0 where sleepable uprobes arrived");
	} else {
		cr_assert_str_eq(json_string_value(json_object_get(details, "arrived_in")), "6.0");
		cr_assert_str_eq(probe_status(doc, "uprobe_sleepable"), "pass", "%s",
				 probe_reason(doc, "uprobe_sleepable"));
		calls = probe_detail_int(doc, "uprobe_sleepable", "calls");
		first = probe_detail_int(doc, "uprobe_sleepable", "value_first");
		step = probe_detail_int(doc, "uprobe_sleepable", "value_step");
		cr_assert_gt(calls, 0);
		/* Values that differ in their upper half too: a 32-bit read would not sum up. */
		cr_assert_gt(step, 1LL << 32);
		for (long long i = 0; i < calls; i++)
			sum += first + i * step;
		cr_assert_eq(probe_detail_int(doc, "uprobe_sleepable", "entries"), calls);
		cr_assert_eq(probe_detail_int(doc, "uprobe_sleepable", "copy_errors"), 0);
		cr_assert_eq(probe_detail_int(doc, "uprobe_sleepable", "value_sum"), sum);
		cr_assert_eq(probe_detail_int(doc, "uprobe_sleepable", "last_value"),
			     first + (calls - 1) * step);
		/* Root reads the present bit of pagemap entries: the faults must be on record. */
		if (evidence_exists("/proc/self/pagemap")) {
			cr_assert_eq(probe_detail_int(doc, "uprobe_sleepable", "page_absent_before"),
				     calls);
			cr_assert_eq(probe_detail_int(doc, "uprobe_sleepable", "page_present_after"),
				     calls);
		}
	}
	json_decref(doc);
}

#ifdef __x86_64__
/*
 * Whether the running kernel has the uretprobe syscall: its entry point in /proc/kallsyms
 * (__x64_sys_uretprobe; sys_uretprobe where syscalls have no wrappers), as a whole word, so
 * that __pfx_ and __do_ symbols do not count.
 */
static bool kallsyms_has_sys_uretprobe(void)
{
	char *out = sh("grep -cwE '(__x64_)?sys_uretprobe' /proc/kallsyms", NULL);
	bool has = atoi(out) > 0;

	free(out);
	return has;
}

/*
 * Where the kernel has the syscall, every return went through it; where it has not, none did
 * and the reason says the returns trapped.
 */
static void assert_uretprobe_syscall(json_t *doc)
{
	const char *cause = uprobe_expected_cause();
	long long calls;

	if (cause) {
		uprobe_assert_cause(doc, "uretprobe_syscall", cause);
		return;
	}
	cr_assert_str_eq(json_string_value(json_object_get(json_object_get(
			 probe_find(doc, "uretprobe_syscall"), "details"), "arrived_in")), "6.11");
	calls = uprobe_assert_returns(doc, "uretprobe_syscall");
	/* The counter saw the one getppid made while armed: it sees this process's syscalls. */
	cr_assert_eq(probe_detail_int(doc, "uretprobe_syscall", "control_syscalls"), 1);
	if (kallsyms_has_sys_uretprobe()) {
		cr_assert_str_eq(probe_status(doc, "uretprobe_syscall"), "pass", "%s",
				 probe_reason(doc, "uretprobe_syscall"));
		cr_assert_eq(probe_detail_int(doc, "uretprobe_syscall", "uretprobe_syscalls"), calls);
	} else {
		uprobe_assert_cause(doc, "uretprobe_syscall", "int3 trap");
		cr_assert_eq(probe_detail_int(doc, "uretprobe_syscall", "uretprobe_syscalls"), 0);
		if (!evidence_kernel_at_least(6, 11))
			uprobe_assert_cause(doc, "uretprobe_syscall",
					    "< 6.11 where the uretprobe syscall arrived");
	}
}
#endif

/* uretprobe_syscall (6.11): x86_64 only, skipped elsewhere saying so. */
Test(uprobes, uretprobe_syscall_carries_every_return_where_the_kernel_has_it)
{
	json_t *doc = probe_json("--only uretprobe_syscall", NULL);

	cr_assert_not_null(doc);
#ifdef __x86_64__
	assert_uretprobe_syscall(doc);
#else
	cr_assert_str_eq(probe_status(doc, "uretprobe_syscall"), "skipped");
	cr_assert(strstr(probe_reason(doc, "uretprobe_syscall"), "x86_64 only"), "%s",
		  probe_reason(doc, "uretprobe_syscall"));
#endif
	json_decref(doc);
}
