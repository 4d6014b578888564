// SPDX-License-Identifier: GPL-2.0
/*
 * The verdicts of the uprobe checks of newer kernels against this machine's evidence: the
 * kernel's version read by the shell, its config read with zcat, the 'uprobe' PMU in sysfs,
 * and values the test computes itself. (test_uprobes.c asserts that none of them leaves
 * anything behind.)
 */
#include <criterion/criterion.h>
#include <string.h>

#include "integration.h"
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
		calls = uprobe_detail(doc, "uprobe_sleepable", "calls");
		first = uprobe_detail(doc, "uprobe_sleepable", "value_first");
		step = uprobe_detail(doc, "uprobe_sleepable", "value_step");
		cr_assert_gt(calls, 0);
		/* Values that differ in their upper half too: a 32-bit read would not sum up. */
		cr_assert_gt(step, 1LL << 32);
		for (long long i = 0; i < calls; i++)
			sum += first + i * step;
		cr_assert_eq(uprobe_detail(doc, "uprobe_sleepable", "entries"), calls);
		cr_assert_eq(uprobe_detail(doc, "uprobe_sleepable", "copy_errors"), 0);
		cr_assert_eq(uprobe_detail(doc, "uprobe_sleepable", "value_sum"), sum);
		cr_assert_eq(uprobe_detail(doc, "uprobe_sleepable", "last_value"),
			     first + (calls - 1) * step);
		/* Root reads the present bit of pagemap entries: the faults must be on record. */
		if (evidence_exists("/proc/self/pagemap")) {
			cr_assert_eq(uprobe_detail(doc, "uprobe_sleepable", "page_absent_before"),
				     calls);
			cr_assert_eq(uprobe_detail(doc, "uprobe_sleepable", "page_present_after"),
				     calls);
		}
	}
	json_decref(doc);
}
