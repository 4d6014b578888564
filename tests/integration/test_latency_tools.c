// SPDX-License-Identifier: GPL-2.0
/*
 * fs-latency, block-latency and runq-latency around workloads with a known answer: the
 * project's fixtures (a fixed number of reads and writes, a pipe ping-pong) and fio, whose own
 * latency report is the reference. The attach method is checked against this test's own
 * attempt to load and attach an fentry program.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <linux/bpf.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <bpf/btf.h>

#include "integration.h"
#include "support.h"

#define WORKDIR "build/tests"

/* What each tool names its maps (bpftool shows at most 15 characters). */
static const char *const tool_maps[] = {
	"fs_starts", "fs_hists", "fs_laten.bss", "blk_starts", "blk_hists", "block_la.bss",
	"runq_starts", "runq_hists", "runq_lat.bss",
};

/* Runs 'bpfgauge trace ARGS' (ARGS includes --json); the parsed output, or NULL. */
static json_t *trace_json(const char *args, int *code)
{
	char cmd[1024], *out;
	json_t *doc;

	snprintf(cmd, sizeof(cmd), "%s trace %s 2>/dev/null", bpfgauge_bin(), args);
	out = sh(cmd, code);
	doc = json_loads(out, 0, NULL);
	free(out);
	return doc;
}

static json_t *hist_by_label(json_t *doc, const char *label)
{
	json_t *hists = json_object_get(doc, "histograms"), *h;
	size_t i;

	json_array_foreach(hists, i, h) {
		const char *l = json_string_value(json_object_get(h, "label"));

		if (!strcmp(l ? l : "", label))
			return h;
	}
	return NULL;
}

static long long hist_count(json_t *doc, const char *label)
{
	json_t *h = hist_by_label(doc, label);

	cr_assert_not_null(h, "no histogram '%s'", label);
	return json_integer_value(json_object_get(h, "count"));
}

static const char *doc_str(json_t *doc, const char *key)
{
	const char *s = json_string_value(json_object_get(doc, key));

	return s ? s : "(missing)";
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

/* The disk holding 'path' as /sys/dev/block names it (the parent of a partition). */
static void disk_of(const char *path, char *name, size_t sz)
{
	struct stat st;
	char cmd[256], *out;

	cr_assert_eq(stat(path, &st), 0);
	snprintf(cmd, sizeof(cmd), "d=$(readlink -f /sys/dev/block/%u:%u); "
		 "[ -e $d/partition ] && d=$(dirname $d); basename $d",
		 major(st.st_dev), minor(st.st_dev));
	out = sh(cmd, NULL);
	out[strcspn(out, "\n")] = '\0';
	snprintf(name, sz, "%s", out);
	free(out);
}

/* Skips unless WORKDIR is on a real block device file system and fio is installed. */
static void need_fio_on_disk(void)
{
	char *fs = sh("stat -f -c %T " WORKDIR, NULL), *src;
	int st;

	fs[strcspn(fs, "\n")] = '\0';
	if (!strcmp(fs, "tmpfs") || !strcmp(fs, "overlayfs") || !strcmp(fs, "ramfs"))
		cr_skip_test(WORKDIR " is on %s: direct I/O there reaches no block device", fs);
	src = sh("findmnt -n -o SOURCE -T " WORKDIR, NULL);
	src[strcspn(src, "\n")] = '\0';
	if (strncmp(src, "/dev/", 5))
		cr_skip_test(WORKDIR " is on '%s', not a block device", src);
	free(sh("command -v fio", &st));
	if (st)
		cr_skip_test("fio is not installed ('make deps' installs it)");
	free(fs);
	free(src);
}

static const char *fio_job = "--name=lat --filename=%s --rw=randread --direct=1 --bs=4k "
			     "--size=32m --ioengine=psync --thread";

/* fio's own read completion latency p50 and I/O count from its JSON output. */
static double fio_read(const char *json_path, const char *key, const char *sub)
{
	json_t *doc = json_load_file(json_path, 0, NULL), *read;
	double v;

	cr_assert_not_null(doc, "fio wrote no JSON to %s", json_path);
	read = json_object_get(json_array_get(json_object_get(doc, "jobs"), 0), "read");
	if (sub)
		v = json_number_value(json_object_get(json_object_get(json_object_get(read, key),
								      "percentile"), sub));
	else
		v = json_number_value(json_object_get(read, key));
	json_decref(doc);
	return v;
}

/* Run fio's randread job under 'bpfgauge trace block-latency OPTS'; the tool's document. */
static json_t *block_latency_around_fio(const char *opts, const char *data, const char *fio_out)
{
	char job[512], args[1024], cmd[1024];
	json_t *doc;
	int code;

	snprintf(job, sizeof(job), fio_job, data);
	/* Lay the file out first, untraced: its write-back is not part of the measurement. */
	snprintf(cmd, sizeof(cmd), "fio %s --io_size=64k --output=/dev/null && sync", job);
	free(sh(cmd, &code));
	cr_assert_eq(code, 0, "fio could not lay out %s", data);
	snprintf(args, sizeof(args), "block-latency --json %s -- fio %s --io_size=8m "
		 "--output-format=json --output=%s", opts, job, fio_out);
	doc = trace_json(args, &code);
	cr_assert_not_null(doc, "trace block-latency printed no JSON (exit %d)", code);
	cr_assert_eq(code, 0);
	return doc;
}

/* The log2 bucket of a latency, as bpf/hist.h counts them: [2^i, 2^(i+1)) ns. */
static int log2_bucket(double ns)
{
	unsigned long long v = ns;

	return v ? 63 - __builtin_clzll(v) : 0;
}

/* fio's p50 and block-latency's fall in the same log2 bucket, or in neighbouring ones. */
Test(latency_tools, block_latency_p50_matches_fio)
{
	char data[128], fio_out[128];
	double fio_p50, p50, ios;
	json_t *doc, *h;

	cr_assert(evidence_root(), "needs root");
	need_fio_on_disk();
	snprintf(data, sizeof(data), WORKDIR "/block-latency.%d.dat", getpid());
	snprintf(fio_out, sizeof(fio_out), WORKDIR "/block-latency.%d.json", getpid());
	doc = block_latency_around_fio("", data, fio_out);
	fio_p50 = fio_read(fio_out, "clat_ns", "50.000000");
	ios = fio_read(fio_out, "total_ios", NULL);
	unlink(data);
	unlink(fio_out);
	h = hist_by_label(doc, "");
	cr_assert_not_null(h);
	p50 = json_number_value(json_object_get(h, "p50_ns"));
	cr_log_info("fio: %.0f reads, clat p50 %.0f ns; block-latency (%s): %lld, p50 %.0f ns",
		    ios, fio_p50, doc_str(doc, "method"),
		    json_integer_value(json_object_get(h, "count")), p50);
	cr_assert_gt(ios, 0);
	/* Every read of fio's is one request; fio reads nothing else from this disk. */
	cr_assert_geq(json_integer_value(json_object_get(h, "count")), ios * 0.95);
	cr_assert_gt(p50, 0);
	cr_assert_leq(abs(log2_bucket(p50) - log2_bucket(fio_p50)), 1,
		      "block-latency p50 %.0f ns, fio clat p50 %.0f ns", p50, fio_p50);
	cr_assert_eq(json_integer_value(json_object_get(doc, "dropped")), 0);
	json_decref(doc);
}

/* --per-disk labels the histogram with the disk holding the file; --queued counts the same. */
Test(latency_tools, block_latency_per_disk_names_the_disk)
{
	char data[128], fio_out[128], disk[64];
	json_t *doc, *h;
	double ios;

	cr_assert(evidence_root(), "needs root");
	need_fio_on_disk();
	snprintf(data, sizeof(data), WORKDIR "/block-latency.%d.dat", getpid());
	snprintf(fio_out, sizeof(fio_out), WORKDIR "/block-latency.%d.json", getpid());
	doc = block_latency_around_fio("--per-disk --queued", data, fio_out);
	ios = fio_read(fio_out, "total_ios", NULL);
	disk_of(data, disk, sizeof(disk));
	unlink(data);
	unlink(fio_out);
	h = hist_by_label(doc, disk);
	cr_assert_not_null(h, "no histogram labelled '%s'", disk);
	cr_log_info("block-latency --per-disk --queued (%s): '%s' %lld requests, p50 %.0f ns; "
		    "fio %.0f reads", doc_str(doc, "method"), disk,
		    json_integer_value(json_object_get(h, "count")),
		    json_number_value(json_object_get(h, "p50_ns")), ios);
	cr_assert_geq(json_integer_value(json_object_get(h, "count")), ios * 0.95);
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
	cr_assert_geq(count, n);
	/* The child has N wake-ups of its own: counting them too would pass 2N. */
	cr_assert_lt(count, 2 * n, "the child's wake-ups counted too?");
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
