// SPDX-License-Identifier: GPL-2.0
/* fs-latency and runq-latency around fixtures with a known answer; the method; nothing left. */
#include <criterion/criterion.h>
#include <errno.h>
#include <linux/bpf.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <bpf/btf.h>

#include "integration.h"
#include "support.h"
#include "trace_doc.h"

/* What each tool names its maps (bpftool shows at most 15 characters). */
static const char *const tool_maps[] = {
	"fs_starts", "fs_hists", "fs_laten.bss", "blk_starts", "blk_hists", "block_la.bss",
	"runq_starts", "runq_hists", "runq_lat.bss",
};

static long long hist_count(json_t *doc, const char *label)
{
	json_t *h = hist_by_label(doc, label);

	cr_assert_not_null(h, "no histogram '%s'", label);
	return json_integer_value(json_object_get(h, "count"));
}

/* Maps of these tools that are still loaded, one per line ("" when none). */
static char *tool_maps_loaded(void)
{
	char *maps = sh("bpftool map show 2>/dev/null | sed -n 's/.* name \\([^ ]*\\) .*/\\1/p'",
			NULL);
	char *found = calloc(1, strlen(maps) + 2), *save = NULL;

	for (char *l = strtok_r(maps, "\n", &save); l; l = strtok_r(NULL, "\n", &save))
		for (size_t i = 0; i < sizeof(tool_maps) / sizeof(tool_maps[0]); i++)
			if (!strcmp(l, tool_maps[i]))
				strcat(strcat(found, l), "\n");
	free(maps);
	return found;
}

/* The kernel frees maps shortly after their last fd closes: give it two seconds. */
static void assert_no_tool_maps(void)
{
	char *left = NULL;

	for (int i = 0; i < 40; i++) {
		free(left);
		left = tool_maps_loaded();
		if (!left[0])
			break;
		usleep(50 * 1000);
	}
	cr_assert_str_empty(left, "still loaded:\n%s", left);
	free(left);
}

static long bpf_sys(int cmd, union bpf_attr *attr)
{
	return syscall(__NR_bpf, cmd, attr, sizeof(*attr));
}

/*
 * This test's own attempt at an fentry program on vfs_read, with the raw bpf() syscall:
 * 0 when it loads and attaches, else -errno of the step that failed.
 */
static int fentry_attempt(void)
{
	struct bpf_insn insns[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	union bpf_attr attr = {};
	struct btf *vmlinux = btf__load_vmlinux_btf();
	int id, prog, link;

	if (!vmlinux)
		return -errno ? -errno : -ENOENT;
	id = btf__find_by_name_kind(vmlinux, "vfs_read", BTF_KIND_FUNC);
	btf__free(vmlinux);
	if (id < 0)
		return id;
	attr.prog_type = BPF_PROG_TYPE_TRACING;
	attr.expected_attach_type = BPF_TRACE_FENTRY;
	attr.attach_btf_id = id;
	attr.insns = (unsigned long)insns;
	attr.insn_cnt = 2;
	attr.license = (unsigned long)"GPL";
	prog = bpf_sys(BPF_PROG_LOAD, &attr);
	if (prog < 0)
		return -errno;
	memset(&attr, 0, sizeof(attr));
	attr.raw_tracepoint.prog_fd = prog;
	link = bpf_sys(BPF_RAW_TRACEPOINT_OPEN, &attr);
	if (link < 0) {
		int err = -errno;

		close(prog);
		return err;
	}
	close(link);
	close(prog);
	return 0;
}

TestSuite(latency_tools, .timeout = 60);

/* Exactly N writes, 1 fsync, N reads of one file, 1 open: each histogram counts them. */
Test(latency_tools, fs_latency_counts_the_workload_reads_and_writes)
{
	const long n = 500;
	char args[512];
	json_t *doc;
	int code;

	cr_assert(evidence_root(), "needs root");
	snprintf(args, sizeof(args), "fs-latency --json -- " WORKDIR "/fs_workload "
		 WORKDIR "/fs-latency.%d.dat %ld", getpid(), n);
	doc = trace_json(args, &code);
	cr_assert_not_null(doc, "trace fs-latency printed no JSON (exit %d)", code);
	cr_assert_eq(code, 0);
	cr_log_info("fs-latency (%s) around %ld reads and %ld writes: read %lld, write %lld, "
		    "open %lld, fsync %lld", doc_str(doc, "method"), n, n, hist_count(doc, "read"),
		    hist_count(doc, "write"), hist_count(doc, "open"), hist_count(doc, "fsync"));
	/* The fixture is static: nothing but its own I/O. At most a few more, never fewer. */
	cr_assert_geq(hist_count(doc, "read"), n);
	cr_assert_leq(hist_count(doc, "read"), n + 4, "other processes' reads counted?");
	cr_assert_geq(hist_count(doc, "write"), n);
	cr_assert_leq(hist_count(doc, "write"), n + 4, "other processes' writes counted?");
	cr_assert_geq(hist_count(doc, "open"), 1);
	cr_assert_geq(hist_count(doc, "fsync"), 1);
	cr_assert_eq(json_integer_value(json_object_get(doc, "dropped")), 0);
	json_decref(doc);
}

/* Whether kprobes should attach here: the config sets them, perf or tracefs offers them, and
 * lockdown does not refuse them. */
static bool kprobes_possible(void)
{
	return evidence_config("CONFIG_KPROBES") == 1 &&
	       strcmp(evidence_lockdown(), "confidentiality") &&
	       (evidence_exists("/sys/bus/event_source/devices/kprobe") ||
		evidence_exists("/sys/kernel/tracing/kprobe_events") ||
		evidence_exists("/sys/kernel/debug/tracing/kprobe_events"));
}

/*
 * The method is the cheapest whose hooks work here, by this test's own evidence, and the note
 * says why the cheaper ones were not used. Where 'probe' has fentry/kprobe checks (they may
 * not exist in this build), their verdicts must agree with that evidence.
 */
Test(latency_tools, fs_latency_method_is_one_whose_hooks_work_here)
{
	int fentry = fentry_attempt(), code;
	bool kprobes = kprobes_possible();
	const char *method, *note;
	json_t *doc, *probe;

	cr_assert(evidence_root(), "needs root");
	cr_log_info("fentry on vfs_read here: %s; kprobes: %s",
		    fentry ? strerror(-fentry) : "works", kprobes ? "possible" : "not possible");
	probe = probe_json("--only fentry,kprobe", &code);
	if (probe && probe_find(probe, "fentry"))
		cr_assert_eq(!strcmp(probe_status(probe, "fentry"), "pass"), !fentry,
			     "probe says fentry %s (%s), this test's attempt: %s",
			     probe_status(probe, "fentry"), probe_reason(probe, "fentry"),
			     fentry ? strerror(-fentry) : "works");
	if (probe && probe_find(probe, "kprobe") && !kprobes)
		cr_assert_str_neq(probe_status(probe, "kprobe"), "pass");
	json_decref(probe);

	doc = trace_json("fs-latency --json -- true", &code);
	cr_assert_not_null(doc);
	cr_assert_eq(code, 0);
	method = doc_str(doc, "method");
	note = doc_str(doc, "method_note");
	if (!fentry) {
		cr_assert_str_eq(method, "fentry", "note: %s", note);
		cr_assert_str_empty(note);
		json_decref(doc);
		return;
	}
	cr_assert_str_eq(method, kprobes ? "kprobe" : "tracepoint", "note: %s", note);
	cr_assert(strstr(note, "fentry: "), "note: %s", note);
	if (fentry == -EPERM)
		cr_assert(strstr(note, "EPERM"), "note: %s", note);
	if (!kprobes) {
		cr_assert(strstr(note, "kprobe: "), "note: %s", note);
		if (evidence_config("CONFIG_KPROBES") == 0)
			cr_assert(strstr(note, "CONFIG_KPROBES is not set"), "note: %s", note);
	}
	json_decref(doc);
}

/* Each round trip wakes the parent once (or re-queues it): at least N, fewer than 2N. */
Test(latency_tools, runq_latency_counts_pingpong_wakeups)
{
	const long n = 2000;
	char args[256];
	long long count;
	json_t *doc;
	int code;

	cr_assert(evidence_root(), "needs root");
	snprintf(args, sizeof(args), "runq-latency --json -- " WORKDIR "/pingpong %ld", n);
	doc = trace_json(args, &code);
	cr_assert_not_null(doc, "trace runq-latency printed no JSON (exit %d)", code);
	cr_assert_eq(code, 0);
	count = hist_count(doc, "");
	cr_log_info("runq-latency (%s): %lld switch-ins for %ld round trips",
		    doc_str(doc, "method"), count, n);
	/*
	 * pingpong forks its partner: both are the command's tree, each woken N times. With
	 * the parent alone it would stay below 2N; beyond 3N something else was counted.
	 */
	cr_assert_geq(count, 2 * n, "the forked partner's wake-ups not counted?");
	cr_assert_lt(count, 3 * n, "wake-ups of other processes counted?");
	json_decref(doc);
}

/* A pid that existed a moment ago: a reaped child's. */
static pid_t gone_pid(void)
{
	pid_t pid = fork();

	if (pid == 0)
		_exit(0);
	cr_assert_gt(pid, 0);
	cr_assert_eq(waitpid(pid, NULL, 0), pid);
	return pid;
}

static void assert_missing_pid_exits_2(const char *tool)
{
	char cmd[256], *err;
	pid_t pid = gone_pid();
	int code;

	snprintf(cmd, sizeof(cmd), "%s trace %s -p %d -d 1 2>&1 >/dev/null", bpfgauge_bin(),
		 tool, pid);
	err = sh(cmd, &code);
	cr_assert_eq(code, 2, "%s: exit %d: %s", tool, code, err);
	cr_assert(err[0] && strchr(err, '\n') == err + strlen(err) - 1, "not one line: '%s'", err);
	snprintf(cmd, sizeof(cmd), "%d", pid);
	cr_assert(strstr(err, cmd), "reason does not name the pid: %s", err);
	free(err);
}

Test(latency_tools, missing_pid_exits_2_with_one_line)
{
	assert_missing_pid_exits_2("fs-latency");
	assert_missing_pid_exits_2("block-latency");
	assert_missing_pid_exits_2("runq-latency");
}

static void run_and_check_nothing_left(const char *tool)
{
	char cmd[256];
	int code;

	snprintf(cmd, sizeof(cmd), "%s trace %s -d 0.1 >/dev/null 2>&1", bpfgauge_bin(), tool);
	free(sh(cmd, &code));
	cr_assert_eq(code, 0, "%s: exit %d", tool, code);
	assert_no_tool_maps();
}

Test(latency_tools, nothing_left_loaded_after_a_run)
{
	cr_assert(evidence_root(), "needs root");
	run_and_check_nothing_left("fs-latency");
	run_and_check_nothing_left("block-latency");
	run_and_check_nothing_left("runq-latency");
}

/* Killed with SIGKILL while attached: its fd-owned links and maps go with the process. */
Test(latency_tools, nothing_left_loaded_after_sigkill)
{
	char *loaded = NULL;
	pid_t pid;

	cr_assert(evidence_root(), "needs root");
	pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		freopen("/dev/null", "w", stdout);
		freopen("/dev/null", "w", stderr);
		execl(bpfgauge_bin(), "bpfgauge", "trace", "runq-latency", "-d", "30",
		      (char *)NULL);
		_exit(127);
	}
	/* Until it is attached: its maps are there. */
	for (int i = 0; i < 100; i++) {
		free(loaded);
		loaded = tool_maps_loaded();
		if (strstr(loaded, "runq_hists"))
			break;
		usleep(20 * 1000);
	}
	kill(pid, SIGKILL);
	cr_assert_eq(waitpid(pid, NULL, 0), pid);
	cr_assert(strstr(loaded, "runq_hists"), "runq-latency never loaded its maps");
	free(loaded);
	assert_no_tool_maps();
}
