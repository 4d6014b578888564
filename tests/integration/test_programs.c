// SPDX-License-Identifier: GPL-2.0
/*
 * The program-feature checks (loop, timer, task_storage, iter_task) against what the kernel says
 * it has, read by other tools: the functions and types in its BTF (bpftool btf dump) and the
 * map types bpftool's own probe finds. The first three run on tp_btf sys_enter: where the
 * tp_btf check does not pass, neither may they. Their programs are gone after the run.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "integration.h"
#include "support.h"

/*
 * The verdict where the evidence says the feature is missing (or tp_btf, which carries it,
 * does not work): not pass, and on a kernel older than its arrival, the version as reason.
 */
static bool assert_missing_explained(json_t *doc, const char *check, bool present, int major,
				     int minor)
{
	const char *st = probe_status(doc, check), *why = probe_reason(doc, check);

	if (present && !strcmp(probe_status(doc, "tp_btf"), "pass"))
		return false;
	cr_assert_str_neq(st, "pass", "%s passed, yet %s", check,
			  present ? "tp_btf does not" : "the kernel's BTF lacks it");
	if (!evidence_kernel_at_least(major, minor))
		cr_assert(strstr(why, "where"), "%s: reason '%s' names no version", check, why);
	return true;
}

Test(programs, loop_matches_evidence)
{
	json_t *doc = probe_json("--only tp_btf,loop", NULL);
	bool present = evidence_btf_lines("FUNC 'bpf_loop'") > 0;
	long long calls, iters;

	cr_assert_not_null(doc);
	if (!assert_missing_explained(doc, "loop", present, 5, 17)) {
		cr_assert_str_eq(probe_status(doc, "loop"), "pass", "%s",
				 probe_reason(doc, "loop"));
		calls = probe_detail_int(doc, "loop", "calls");
		iters = probe_detail_int(doc, "loop", "iterations_per_call");
		cr_assert_eq(probe_detail_int(doc, "loop", "seen"), calls);
		cr_assert_eq(probe_detail_int(doc, "loop", "callbacks"), calls * iters);
		cr_assert_eq(probe_detail_int(doc, "loop", "index_sum"), calls * iters * (iters - 1) / 2);
	}
	json_decref(doc);
}

Test(programs, timer_matches_evidence)
{
	json_t *doc = probe_json("--only tp_btf,timer", NULL), *after;
	bool present = evidence_btf_lines("FUNC 'bpf_timer_init'") > 0;

	cr_assert_not_null(doc);
	if (!assert_missing_explained(doc, "timer", present, 5, 15)) {
		cr_assert_str_eq(probe_status(doc, "timer"), "pass", "%s",
				 probe_reason(doc, "timer"));
		cr_assert_eq(probe_detail_int(doc, "timer", "fired"), 1);
		after = json_object_get(json_object_get(probe_find(doc, "timer"), "details"),
					"fired_after_ms");
		cr_assert_geq(json_number_value(after), probe_detail_int(doc, "timer", "delay_ms"));
	}
	json_decref(doc);
}

Test(programs, task_storage_matches_evidence)
{
	json_t *doc = probe_json("--only tp_btf,task_storage", NULL);
	char *out = sh("bpftool feature probe kernel | grep -c 'map_type task_storage is available'",
		       NULL);
	bool present = atoi(out) > 0;

	free(out);
	cr_assert_not_null(doc);
	if (!assert_missing_explained(doc, "task_storage", present, 5, 12)) {
		cr_assert_str_eq(probe_status(doc, "task_storage"), "pass", "%s",
				 probe_reason(doc, "task_storage"));
		cr_assert_eq(probe_detail_int(doc, "task_storage", "seen"),
			     probe_detail_int(doc, "task_storage", "calls"));
		cr_assert_eq(probe_detail_int(doc, "task_storage", "stored"),
			     probe_detail_int(doc, "task_storage", "calls"));
	}
	json_decref(doc);
}

/* The kernel has task iterators where its BTF has their context, struct bpf_iter__task. */
Test(programs, iter_task_matches_evidence)
{
	json_t *doc = probe_json("--only iter_task", NULL);
	long long threads;

	cr_assert_not_null(doc);
	if (evidence_btf_lines("STRUCT 'bpf_iter__task' ") == 0) {
		cr_assert_str_neq(probe_status(doc, "iter_task"), "pass",
				  "iter_task passed, yet the kernel's BTF has no bpf_iter__task");
	} else {
		cr_assert_str_eq(probe_status(doc, "iter_task"), "pass", "%s",
				 probe_reason(doc, "iter_task"));
		threads = probe_detail_int(doc, "iter_task", "threads_proc");
		/* The main thread and the check's three. */
		cr_assert_geq(threads, 4);
		cr_assert_eq(probe_detail_int(doc, "iter_task", "threads_iterated"), threads);
		cr_assert_gt(probe_detail_int(doc, "iter_task", "tasks_walked"), threads);
	}
	json_decref(doc);
}

/* The kernel frees a finished process's programs at once; allow it a few short moments. */
Test(programs, nothing_left_after_a_run)
{
	struct timespec ts = { 0, 20 * 1000 * 1000 };
	json_t *doc = probe_json("--only loop,timer,task_storage,iter_task", NULL);
	char *out = NULL;

	cr_assert_not_null(doc);
	json_decref(doc);
	for (int tries = 0; tries < 25; tries++) {
		free(out);
		out = sh("bpftool prog show | grep -E "
			 "'name (loop_prog|timer_prog|task_storage_pr|iter_threads) '"
			 " || true", NULL);
		if (!out[0])
			break;
		nanosleep(&ts, NULL);
	}
	cr_assert_str_empty(out, "left behind: %s", out);
	free(out);
}
