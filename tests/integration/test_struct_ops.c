// SPDX-License-Identifier: GPL-2.0
/*
 * The struct_ops checks against the machine's evidence, read with other tools: the kernel's BTF
 * (bpftool btf dump: the struct_ops types the kernel can register), its config and version,
 * the lockdown mode (securityfs), the registered congestion controls (/proc) and sched_ext's
 * state (sysfs). A pass must show in its details what its programs counted. Afterwards, also
 * after a run killed half-way, no program, struct_ops map, congestion control or BPF
 * scheduler of theirs is left.
 */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/wait.h>

#include "integration.h"
#include "support.h"

#define CC_LIST "/proc/sys/net/ipv4/tcp_available_congestion_control"
#define SCX_STATE "/sys/kernel/sched_ext/state"
#define INTRUSIVE_REASON "replaces the kernel's scheduler while it runs: only with --intrusive"
/* The checks' program names as 'bpftool prog show' prints them (15 characters at most). */
#define PROGS "name (cc_init|cc_release|cc_ssthresh|cc_cong_avoid|cc_undo_cwnd|fifo_[a-z_]+) "

/* Whether the congestion control 'name' is registered, read with grep. */
static bool cc_registered(const char *name)
{
	char cmd[256], *out;
	bool found;

	snprintf(cmd, sizeof(cmd), "tr ' ' '\\n' < " CC_LIST " | grep -cx '%s' || true", name);
	out = sh(cmd, NULL);
	found = atoi(out) > 0;
	free(out);
	return found;
}

/*
 * Nothing of the checks is left: their programs (the kernel frees a closed one after an RCU
 * grace period: up to 2 s allowed), struct_ops maps, a bpfgauge congestion control, an enabled
 * BPF scheduler of theirs.
 */
static void assert_nothing_left(void)
{
	struct timespec nap = { .tv_nsec = 20 * 1000 * 1000 };
	char *out = NULL;

	for (int i = 0; i < 100; i++) {
		free(out);
		out = sh("{ bpftool prog show | grep -E '" PROGS "'; bpftool map show | "
			 "grep -E 'struct_ops +name (cc|fifo) '; } || true", NULL);
		if (!out[0])
			break;
		nanosleep(&nap, NULL);
	}
	cr_assert_str_empty(out, "left behind: %s", out);
	free(out);
	out = sh("tr ' ' '\\n' < " CC_LIST " | grep '^bpfgauge' || true", NULL);
	cr_assert_str_empty(out, "congestion controls left registered: %s", out);
	free(out);
	if (evidence_exists(SCX_STATE)) {
		out = sh("cat " SCX_STATE "; cat /sys/kernel/sched_ext/root/ops 2>/dev/null", NULL);
		cr_assert(!strstr(out, "bpfgauge"), "a bpfgauge BPF scheduler is attached: %s",
			  out);
		free(out);
	}
}

Test(struct_ops, struct_ops_matches_evidence)
{
	bool ops = evidence_btf_lines("^\\[[0-9]+\\] STRUCT 'tcp_congestion_ops'") > 0;
	bool value =
		evidence_btf_lines("^\\[[0-9]+\\] STRUCT 'bpf_struct_ops_tcp_congestion_ops'") > 0;
	bool links = evidence_kernel_at_least(6, 4);
	const char *st, *why, *name;
	json_t *doc;

	cr_assert(evidence_root(), "needs root");
	doc = probe_json("--only struct_ops", NULL);
	cr_assert_not_null(doc);
	st = probe_status(doc, "struct_ops");
	why = probe_reason(doc, "struct_ops");
	name = probe_detail_str(doc, "struct_ops", "congestion_control");
	cr_assert(!strncmp(name, "bpfgauge", 8), "congestion control named '%s'", name);
	/* Its trampolines are not on ftrace's hooks: whatever lockdown does to those, it runs. */
	cr_assert_str_eq(probe_detail_str(doc, "struct_ops", "lockdown"), evidence_lockdown());
	if (!ops || !value || !links || evidence_config("CONFIG_BPF_JIT") == 0) {
		cr_assert_str_neq(st, "pass", "passed, yet the kernel lacks it: BTF %s %s, "
				  "6.4 or later %d", ops ? "has" : "lacks tcp_congestion_ops,",
				  value ? "" : "lacks bpf_struct_ops_tcp_congestion_ops", links);
		if (evidence_config("CONFIG_BPF_JIT") == 0)
			cr_assert(strstr(why, "CONFIG_BPF_JIT is not set"), "%s", why);
		else if (!links)
			cr_assert(strstr(why, "< 6.4 where struct_ops links arrived"), "%s", why);
	} else {
		cr_assert_str_eq(st, "pass", "%s", why);
		cr_assert_str_eq(probe_detail_str(doc, "struct_ops", "getsockopt_congestion"),
				 name);
		cr_assert_eq(probe_detail_int(doc, "struct_ops", "init_calls"), 1);
		cr_assert_eq(probe_detail_int(doc, "struct_ops", "init_port"),
			     probe_detail_int(doc, "struct_ops", "client_port"));
		cr_assert_geq(probe_detail_int(doc, "struct_ops", "acked_packets"), 8);
		cr_assert_geq(probe_detail_int(doc, "struct_ops", "cong_avoid_calls"), 1);
		cr_assert_eq(probe_detail_int(doc, "struct_ops", "release_calls"), 1);
		cr_assert(!json_is_true(json_object_get(json_object_get(probe_find(doc,
				"struct_ops"), "details"), "listed_after_detach")));
	}
	cr_assert(!cc_registered(name), "'%s' is still in " CC_LIST, name);
	json_decref(doc);
	assert_nothing_left();
}

/* Without the config it is unsupported either way; with it, skipped unless --intrusive. */
Test(struct_ops, sched_ext_needs_intrusive_and_the_config)
{
	int config = evidence_config("CONFIG_SCHED_CLASS_EXT");
	const char *why;
	json_t *doc;

	cr_assert(evidence_root(), "needs root");
	doc = probe_json("--only sched_ext", NULL);
	cr_assert_not_null(doc);
	why = probe_reason(doc, "sched_ext");
	if (config == 0) {
		cr_assert_str_eq(probe_status(doc, "sched_ext"), "unsupported", "%s", why);
		cr_assert(strstr(why, "CONFIG_SCHED_CLASS_EXT is not set"), "%s", why);
		cr_assert_str_eq(probe_detail_str(doc, "sched_ext", "missing_config"),
				 "CONFIG_SCHED_CLASS_EXT");
		cr_assert(!evidence_exists(SCX_STATE), SCX_STATE " exists, yet no config has "
			  "it");
	} else {
		cr_assert_str_eq(probe_status(doc, "sched_ext"), "skipped", "%s", why);
		cr_assert_str_eq(why, INTRUSIVE_REASON);
	}
	json_decref(doc);
	assert_nothing_left();
}

Test(struct_ops, sched_ext_intrusive_matches_evidence)
{
	int config = evidence_config("CONFIG_SCHED_CLASS_EXT");
	const char *st, *why;
	long long naps;
	json_t *doc;

	cr_assert(evidence_root(), "needs root");
	doc = probe_json("--only sched_ext --intrusive", NULL);
	cr_assert_not_null(doc);
	st = probe_status(doc, "sched_ext");
	why = probe_reason(doc, "sched_ext");
	if (config == 0) {
		cr_assert_str_eq(st, "unsupported", "%s", why);
		cr_assert(strstr(why, "CONFIG_SCHED_CLASS_EXT is not set"), "%s", why);
		if (!evidence_kernel_at_least(6, 12))
			cr_assert(strstr(why, "< 6.12 where sched_ext arrived"), "%s", why);
	} else if (!strcmp(probe_detail_str(doc, "sched_ext", "state_before"), "disabled")) {
		cr_assert_str_eq(st, "pass", "%s", why);
		cr_assert_str_eq(probe_detail_str(doc, "sched_ext", "state_attached"), "enabled");
		cr_assert_str_eq(probe_detail_str(doc, "sched_ext", "state_detached"), "disabled");
		naps = probe_detail_int(doc, "sched_ext", "naps");
		cr_assert_gt(naps, 0);
		cr_assert_geq(probe_detail_int(doc, "sched_ext", "thread_enqueued"), naps);
		cr_assert_geq(probe_detail_int(doc, "sched_ext", "thread_running"), naps);
		cr_assert_gt(probe_detail_int(doc, "sched_ext", "dispatched"), 0);
		cr_assert_str_eq(probe_detail_str(doc, "sched_ext", "ops"), "bpfgauge_fifo");
	} else {
		cr_assert_str_eq(st, "skipped", "%s", why);
		cr_assert(strstr(why, "another BPF scheduler is attached"), "%s", why);
	}
	json_decref(doc);
	assert_nothing_left();
}

/* Killed at any moment, a run leaves no congestion control, program or BPF scheduler. */
Test(struct_ops, nothing_left_after_a_kill)
{
	static const int delays_ms[] = { 3, 10, 20, 40 };

	cr_assert(evidence_root(), "needs root");
	for (size_t i = 0; i < sizeof(delays_ms) / sizeof(delays_ms[0]); i++) {
		struct timespec ts = { .tv_nsec = delays_ms[i] * 1000L * 1000 };
		pid_t pid = fork();

		if (pid == 0) {
			freopen("/dev/null", "w", stdout);
			freopen("/dev/null", "w", stderr);
			execl(bpfgauge_bin(), bpfgauge_bin(), "probe", "--only",
			      "struct_ops,sched_ext", "--intrusive", (char *)NULL);
			_exit(127);
		}
		cr_assert_gt(pid, 0);
		nanosleep(&ts, NULL);
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		assert_nothing_left();
	}
}

/* 'bpfgauge run' gives its checks --intrusive as 'bpfgauge probe' does: the same verdicts. */
Test(struct_ops, run_passes_intrusive_on_as_probe_does)
{
	static const char *const flags[] = { "", "--intrusive" };
	char dir[] = "/tmp/bpfgauge-struct-ops-XXXXXX", cmd[1024], cwd[512], name[32];

	cr_assert(evidence_root(), "needs root");
	cr_assert_not_null(getcwd(cwd, sizeof(cwd)));
	test_dir_make(dir);
	test_file_write(dir, "s.suite", "[suite]\n[checks]\nrun = sched_ext\n");
	for (size_t i = 0; i < 2; i++) {
		json_t *doc, *probe, *c;
		int st;
		char *out;

		snprintf(name, sizeof(name), "r%zu.json", i);
		snprintf(cmd, sizeof(cmd), "cd %s && %s%s%s run s.suite -o %s %s 2>&1", dir,
			 bpfgauge_bin()[0] == '/' ? "" : cwd, bpfgauge_bin()[0] == '/' ? "" : "/",
			 bpfgauge_bin(), name, flags[i]);
		out = sh(cmd, &st);
		cr_assert_eq(st, 0, "%s", out);
		free(out);
		doc = test_json_load(dir, name);
		c = named(json_object_get(doc, "checks"), "sched_ext");
		cr_assert_not_null(c);
		snprintf(cmd, sizeof(cmd), "--only sched_ext %s", flags[i]);
		probe = probe_json(cmd, NULL);
		cr_assert_not_null(probe);
		cr_assert_str_eq(json_string_value(json_object_get(c, "status")),
				 probe_status(probe, "sched_ext"), "run %s: %s", flags[i],
				 json_string_value(json_object_get(c, "reason")));
		if (strcmp(probe_status(probe, "sched_ext"), "pass"))
			cr_assert_str_eq(json_string_value(json_object_get(c, "reason")),
					 probe_reason(probe, "sched_ext"));
		json_decref(probe);
		json_decref(doc);
	}
	test_dir_remove(dir);
	assert_nothing_left();
}
