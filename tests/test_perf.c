// SPDX-License-Identifier: GPL-2.0
/*
 * perf_event against evidence the test gathers itself: the kernel config (zcat/grep).
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
