// SPDX-License-Identifier: GPL-2.0
/* What the tests of the uprobe checks share: their details, and the evidence of uprobes. */
#include <criterion/criterion.h>
#include <string.h>

#include "integration.h"
#include "lib/uprobe_target.h"
#include "uprobe_tests.h"

const char *uprobe_expected_cause(void)
{
	if (evidence_config("CONFIG_UPROBES") == 0)
		return "CONFIG_UPROBES";
	if (evidence_config("CONFIG_UPROBE_EVENTS") == 0)
		return "CONFIG_UPROBE_EVENTS";
	if (!evidence_exists(UPROBE_PMU))
		return "no 'uprobe' PMU";
	return NULL;
}

void uprobe_assert_cause(json_t *doc, const char *check, const char *cause)
{
	cr_assert_str_eq(probe_status(doc, check), "unsupported", "%s: %s", check,
			 probe_reason(doc, check));
	cr_assert(strstr(probe_reason(doc, check), cause), "%s: reason '%s' does not name '%s'",
		  check, probe_reason(doc, check), cause);
}

long long uprobe_assert_entries(json_t *doc, const char *check)
{
	long long calls = probe_detail_int(doc, check, "calls"), sum = 0;
	long long first = probe_detail_int(doc, check, "arg_first");

	cr_assert_gt(calls, 0, "%s: no calls", check);
	for (long long x = first; x < first + calls; x++)
		sum += x;
	cr_assert_eq(probe_detail_int(doc, check, "entries"), calls, "%s: entries", check);
	cr_assert_eq(probe_detail_int(doc, check, "arg_sum"), sum, "%s: arguments", check);
	return calls;
}

long long uprobe_assert_returns(json_t *doc, const char *check)
{
	long long calls = probe_detail_int(doc, check, "calls"), sum = 0;
	long long first = probe_detail_int(doc, check, "arg_first");

	cr_assert_gt(calls, 0, "%s: no calls", check);
	/* The values the target really returns for the same inputs, called from here. */
	for (long long x = first; x < first + calls; x++)
		sum += bpfgauge_uprobe_target(x);
	cr_assert_eq(probe_detail_int(doc, check, "returns"), calls, "%s: returns", check);
	cr_assert_eq(probe_detail_int(doc, check, "return_sum"), sum, "%s: values", check);
	return calls;
}
