// SPDX-License-Identifier: GPL-2.0
/*
 * uprobe, uretprobe, usdt and uprobe_multi verdicts against this machine's evidence: the kernel
 * config read with zcat, the 'uprobe' PMU in sysfs, the kernel's version, the binary's USDT
 * notes read with readelf, and values the test computes itself by calling the same target
 * function. Afterwards nothing of the checks may stay loaded or registered, also when the probe
 * is killed half-way; that holds for the checks of test_uprobes_modern.c too.
 */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "integration.h"
#include "lib/uprobe_target.h"
#include "support.h"
#include "uprobe_tests.h"

#define UPROBE_EVENTS "/sys/kernel/tracing/uprobe_events"
/* The checks' BPF program names, as bpftool prints them (15 characters at most). */
static const char *const prog_names[] = { "uprobe_entry", "uretprobe_exit", "usdt_target_cal",
					  "uprobe_multi_en", "sleepable_entry", "uretsys_return",
					  "uretsys_enter" };
#define CHECKS "uprobe,uretprobe,usdt,uprobe_multi,uprobe_sleepable,uretprobe_syscall"

Test(uprobes, uprobe_sees_every_call_and_argument)
{
	json_t *doc = probe_json("--only uprobe", NULL);
	const char *cause = uprobe_expected_cause();
	long long calls;

	cr_assert_not_null(doc);
	if (cause) {
		uprobe_assert_cause(doc, "uprobe", cause);
		json_decref(doc);
		return;
	}
	cr_assert_str_eq(probe_status(doc, "uprobe"), "pass", "%s", probe_reason(doc, "uprobe"));
	calls = uprobe_assert_entries(doc, "uprobe");
	cr_assert_eq(probe_detail_int(doc, "uprobe", "last_arg"),
		     probe_detail_int(doc, "uprobe", "arg_first") + calls - 1);
	json_decref(doc);
}

Test(uprobes, uretprobe_sees_every_return_value)
{
	json_t *doc = probe_json("--only uretprobe", NULL);
	const char *cause = uprobe_expected_cause();
	long long calls;

	cr_assert_not_null(doc);
	if (cause) {
		uprobe_assert_cause(doc, "uretprobe", cause);
		json_decref(doc);
		return;
	}
	cr_assert_str_eq(probe_status(doc, "uretprobe"), "pass", "%s",
			 probe_reason(doc, "uretprobe"));
	calls = uprobe_assert_returns(doc, "uretprobe");
	cr_assert_eq(probe_detail_int(doc, "uretprobe", "last_return"),
		     bpfgauge_uprobe_target(probe_detail_int(doc, "uretprobe", "arg_first") + calls - 1));
	json_decref(doc);
}

/*
 * The number of arguments of the bpfgauge:target_call note, from readelf (the 4th line after
 * its owner); -1 when absent.
 */
static int usdt_note_args(void)
{
	char cmd[512], *out, *args;
	int n = -1;

	snprintf(cmd, sizeof(cmd), "readelf -n %s | grep -A4 stapsdt", bpfgauge_bin());
	out = sh(cmd, NULL);
	args = strstr(out, "Name: " UPROBE_TARGET_USDT_NAME);
	if (strstr(out, "Provider: " UPROBE_TARGET_USDT_PROVIDER) && args &&
	    (args = strstr(args, "Arguments:"))) {
		args += strlen("Arguments:");
		n = 0;
		for (char *tok = strtok(args, " \t\n"); tok && strchr(tok, '@');
		     tok = strtok(NULL, " \t\n"))
			n++;
	}
	free(out);
	return n;
}

Test(uprobes, usdt_sees_every_hit_with_the_notes_arguments)
{
	json_t *doc = probe_json("--only usdt", NULL);
	const char *cause = uprobe_expected_cause();
	int note_args = usdt_note_args();
	long long calls, first, sum1 = 0, sum2 = 0;

	cr_assert_not_null(doc);
	if (cause) {
		uprobe_assert_cause(doc, "usdt", cause);
		json_decref(doc);
		return;
	}
	if (note_args < 0) {
		/* No note: libbpf must have said so, and the check must quote it. */
		cr_assert_str_neq(probe_status(doc, "usdt"), "pass");
		cr_assert(strstr(probe_reason(doc, "usdt"), "USDT"), "%s",
			  probe_reason(doc, "usdt"));
		json_decref(doc);
		return;
	}
	cr_assert_eq(note_args, 2, "readelf shows %d arguments", note_args);
	cr_assert_str_eq(probe_status(doc, "usdt"), "pass", "%s", probe_reason(doc, "usdt"));
	calls = probe_detail_int(doc, "usdt", "calls");
	first = probe_detail_int(doc, "usdt", "arg_first");
	cr_assert_gt(calls, 0);
	for (long long x = first; x < first + calls; x++) {
		sum1 += x;
		sum2 += uprobe_target_tag(x);
	}
	cr_assert_eq(probe_detail_int(doc, "usdt", "hits"), calls);
	cr_assert_eq(probe_detail_int(doc, "usdt", "arg_count"), note_args);
	cr_assert_eq(probe_detail_int(doc, "usdt", "arg1_sum"), sum1);
	cr_assert_eq(probe_detail_int(doc, "usdt", "arg2_sum"), sum2);
	json_decref(doc);
}

/*
 * uprobe_multi (6.6): the same function through one link with a cookie. Needs CONFIG_UPROBES
 * and the kernel version, not the 'uprobe' PMU (the link is no perf event).
 */
Test(uprobes, uprobe_multi_sees_every_call_with_its_cookie)
{
	json_t *doc = probe_json("--only uprobe_multi", NULL), *details;
	long long calls;

	cr_assert_not_null(doc);
	details = json_object_get(probe_find(doc, "uprobe_multi"), "details");
	cr_assert_str_eq(json_string_value(json_object_get(details, "arrived_in")), "6.6");
	if (evidence_config("CONFIG_UPROBES") == 0) {
		uprobe_assert_cause(doc, "uprobe_multi", "CONFIG_UPROBES");
	} else if (!evidence_kernel_at_least(6, 6)) {
		uprobe_assert_cause(doc, "uprobe_multi", "< 6.6 where uprobe_multi arrived");
	} else {
		cr_assert_str_eq(probe_status(doc, "uprobe_multi"), "pass", "%s",
				 probe_reason(doc, "uprobe_multi"));
		calls = uprobe_assert_entries(doc, "uprobe_multi");
		cr_assert_eq(probe_detail_int(doc, "uprobe_multi", "cookie_sum"),
			     calls * probe_detail_int(doc, "uprobe_multi", "cookie"));
	}
	json_decref(doc);
}

/* Lines naming the bpfgauge binary in tracefs uprobe_events, or naming our programs. */
static int leftovers(char *what, size_t sz)
{
	char cmd[256], *out;
	int found = 0;

	what[0] = '\0';
	out = sh("grep -c bpfgauge " UPROBE_EVENTS " 2>/dev/null", NULL);
	out[strcspn(out, "\n")] = '\0';
	if (atoi(out) > 0) {
		snprintf(what, sz, "%s lines in uprobe_events", out);
		found++;
	}
	free(out);
	for (size_t i = 0; i < sizeof(prog_names) / sizeof(prog_names[0]); i++) {
		snprintf(cmd, sizeof(cmd), "bpftool prog show | grep -w 'name %s'", prog_names[i]);
		out = sh(cmd, NULL);
		if (out[0]) {
			snprintf(what, sz, "bpftool prog show: %s", out);
			found++;
		}
		free(out);
	}
	return found;
}

/* The kernel frees a dead process's programs at once; allow it a few short moments. */
static void assert_nothing_left(const char *when)
{
	struct timespec ts = { 0, 20 * 1000 * 1000 };
	char what[1024];
	int found, tries = 10;

	while ((found = leftovers(what, sizeof(what))) && --tries)
		nanosleep(&ts, NULL);
	cr_assert(!found, "%s: left behind: %s", when, what);
}

Test(uprobes, nothing_left_after_a_run)
{
	json_t *doc = probe_json("--only " CHECKS, NULL);

	cr_assert_not_null(doc);
	if (!uprobe_expected_cause()) {
		/* libbpf took the PMU path, which puts nothing into tracefs. */
		cr_assert_str_eq(json_string_value(json_object_get(json_object_get(
				 probe_find(doc, "uprobe"), "details"), "attach_mode")),
				 "uprobe PMU");
	}
	json_decref(doc);
	assert_nothing_left("after a full run");
}

Test(uprobes, nothing_left_when_killed)
{
	json_t *doc = probe_json("--only " CHECKS, NULL);
	double run_ms;
	int killed = 0;

	cr_assert_not_null(doc);
	run_ms = json_number_value(json_object_get(json_object_get(doc, "summary"),
						   "duration_ms"));
	json_decref(doc);
	/* Kill at tenths of a whole run, so that some land while a uprobe is attached. */
	for (int tenth = 1; tenth <= 9; tenth += 2) {
		long ns = (long)(run_ms * tenth / 10 * 1e6);
		struct timespec ts = { ns / 1000000000L, ns % 1000000000L };
		char when[64];
		int status;
		pid_t pid = fork();

		cr_assert_geq(pid, 0);
		if (!pid) {
			freopen("/dev/null", "w", stdout);
			freopen("/dev/null", "w", stderr);
			execl(bpfgauge_bin(), "bpfgauge", "probe", "--only", CHECKS,
			      (char *)NULL);
			_exit(127);
		}
		nanosleep(&ts, NULL);
		kill(pid, SIGKILL);
		cr_assert_eq(waitpid(pid, &status, 0), pid);
		killed += WIFSIGNALED(status);
		snprintf(when, sizeof(when), "killed after %.1f ms", ns / 1e6);
		assert_nothing_left(when);
	}
	if (!uprobe_expected_cause())
		cr_assert_gt(killed, 0, "every run ended before it could be killed");
}
