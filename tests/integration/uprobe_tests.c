// SPDX-License-Identifier: GPL-2.0
/* What the tests of the uprobe checks share: their details, and the evidence of uprobes. */
#include <criterion/criterion.h>
#include <string.h>

#include "integration.h"
#include "uprobe_tests.h"

long long uprobe_detail(json_t *doc, const char *check, const char *key)
{
	json_t *v = json_object_get(json_object_get(probe_find(doc, check), "details"), key);

	cr_assert(json_is_integer(v), "%s: no integer detail '%s'", check, key);
	return json_integer_value(v);
}

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
