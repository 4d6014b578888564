// SPDX-License-Identifier: GPL-2.0
/*
 * The environment block of 'bpfgauge probe --json' and of results, field by field against
 * evidence read here by other means: grep/awk of /proc/cpuinfo, cat of the sysfs files, the
 * kernel config through zcat, systemd-detect-virt itself, date(1) and git. A value whose
 * source is absent must be null.
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "integration.h"
#include "result/env_parts.h"
#include "support.h"

static json_t *doc, *env;
static double uptime_before, uptime_after;

static double uptime_now(void)
{
	char *out = sh("cut -d' ' -f1 /proc/uptime", NULL);
	double v = strtod(out, NULL);

	free(out);
	return v;
}

static void run_probe(void)
{
	int code;

	uptime_before = uptime_now();
	doc = probe_json("--only bpf_syscall", &code);
	uptime_after = uptime_now();
	cr_assert_not_null(doc, "probe --json did not print JSON");
	env = json_object_get(doc, "environment");
	cr_assert(json_is_object(env));
}

static void drop_probe(void)
{
	json_decref(doc);
}

TestSuite(env, .init = run_probe, .fini = drop_probe);

/* A shell command's output without its trailing newline (malloc'd). */
static char *line_of(const char *cmd)
{
	char *out = sh(cmd, NULL);

	out[strcspn(out, "\n")] = '\0';
	return out;
}

static json_t *at(const char *a, const char *b)
{
	json_t *o = json_object_get(env, a);

	return b ? json_object_get(o, b) : o;
}

/* The field is the string the command printed, or null when it printed nothing. */
static void assert_string_or_null(json_t *v, const char *cmd, const char *what)
{
	char *want = line_of(cmd);

	cr_assert_not_null(v, "%s is missing (not even null)", what);
	if (!want[0])
		cr_assert(json_is_null(v), "%s: nothing to read, yet %s", what,
			  json_string_value(v));
	else
		cr_assert_str_eq(json_string_value(v) ? json_string_value(v) : "(null)", want,
				 "%s", what);
	free(want);
}

/* ------------------------------------------------------------------ CPU */

Test(env, cpu_identity_matches_cpuinfo)
{
	const char *fields[][2] = { { "vendor", "vendor_id" }, { "microcode", "microcode" },
				    { "model", "model name" } };
	const char *numbers[][2] = { { "family", "cpu family" }, { "model_number", "model" },
				     { "stepping", "stepping" } };
	json_t *cpu = at("cpu", NULL);
	char cmd[256];

	for (size_t i = 0; i < 3; i++) {
		snprintf(cmd, sizeof(cmd), "awk -F': ' '$1 ~ /^%s[ \\t]*$/ {print $2; exit}' "
			 "/proc/cpuinfo", fields[i][1]);
		assert_string_or_null(json_object_get(cpu, fields[i][0]), cmd, fields[i][0]);
	}
	for (size_t i = 0; i < 3; i++) {
		char *want;

		snprintf(cmd, sizeof(cmd), "awk -F': ' '$1 ~ /^%s[ \\t]*$/ {print $2; exit}' "
			 "/proc/cpuinfo", numbers[i][1]);
		want = line_of(cmd);
		if (!want[0])
			cr_assert(json_is_null(json_object_get(cpu, numbers[i][0])), "%s",
				  numbers[i][0]);
		else
			cr_assert_eq(json_integer_value(json_object_get(cpu, numbers[i][0])),
				     strtol(want, NULL, 10), "%s", numbers[i][0]);
		free(want);
	}
	cr_assert_eq(json_integer_value(json_object_get(cpu, "count")),
		     sysconf(_SC_NPROCESSORS_ONLN));
}

/* Each flag of interest is listed iff the first processor's flags line has that word. */
Test(env, cpu_flags_are_exactly_those_of_interest_in_cpuinfo)
{
	json_t *flags = at("cpu", "flags");
	char *line = line_of("grep -m1 '^flags' /proc/cpuinfo");
	size_t listed = 0;

	if (!line[0]) {
		cr_assert(json_is_null(flags), "no flags line, yet flags are listed");
		free(line);
		return;
	}
	cr_assert(json_is_array(flags));
	for (const char *const *f = env_cpu_flags_of_interest; *f; f++) {
		char cmd[256];
		int st;
		bool listed_here = false;
		json_t *v;
		size_t i;

		snprintf(cmd, sizeof(cmd), "grep -m1 '^flags' /proc/cpuinfo | grep -qw -- '%s'",
			 *f);
		free(sh(cmd, &st));
		json_array_foreach(flags, i, v)
			listed_here |= !strcmp(json_string_value(v), *f);
		cr_assert_eq(listed_here, st == 0, "flag '%s': listed %d, in cpuinfo %d", *f,
			     listed_here, st == 0);
		listed += listed_here;
	}
	cr_assert_eq(json_array_size(flags), listed, "flags not of interest were listed");
	free(line);
}

Test(env, every_vulnerability_file_is_there_with_its_text)
{
	json_t *vulns = at("cpu", "vulnerabilities"), *v;
	char *count = line_of("ls /sys/devices/system/cpu/vulnerabilities 2>/dev/null | wc -l");
	const char *name;

	if (!evidence_exists("/sys/devices/system/cpu/vulnerabilities")) {
		cr_assert(json_is_null(vulns));
		free(count);
		return;
	}
	cr_assert_eq(json_object_size(vulns), strtoul(count, NULL, 10));
	json_object_foreach(vulns, name, v) {
		char cmd[256];

		snprintf(cmd, sizeof(cmd), "cat /sys/devices/system/cpu/vulnerabilities/%s", name);
		assert_string_or_null(v, cmd, name);
	}
	/* The old top-level field stays, the same text. */
	if (json_object_get(vulns, "spectre_v2"))
		cr_assert(json_equal(json_object_get(vulns, "spectre_v2"), at("spectre_v2", NULL)));
	free(count);
}

Test(env, governor_is_null_iff_cpufreq_is_absent)
{
	json_t *gov = at("cpu", "governor");

	cr_assert_not_null(gov, "cpu.governor missing");
	if (!evidence_exists("/sys/devices/system/cpu/cpu0/cpufreq"))
		cr_assert(json_is_null(gov), "no cpufreq here, yet governor '%s'",
			  json_string_value(gov));
	else
		assert_string_or_null(gov, "cat /sys/devices/system/cpu/cpu0/cpufreq/"
				      "scaling_governor 2>/dev/null", "governor");
}

Test(env, smt_matches_sysfs)
{
	json_t *active = at("cpu", "smt") ? json_object_get(at("cpu", "smt"), "active") : NULL;
	char *want = line_of("cat /sys/devices/system/cpu/smt/active 2>/dev/null");

	assert_string_or_null(json_object_get(at("cpu", "smt"), "control"),
			      "cat /sys/devices/system/cpu/smt/control 2>/dev/null", "smt.control");
	cr_assert_not_null(active);
	if (!want[0])
		cr_assert(json_is_null(active));
	else
		cr_assert_eq(json_is_true(active), !strcmp(want, "1"), "smt.active vs '%s'", want);
	free(want);
}

/* ------------------------------------------------------------------ kernel and memory */

/*
 * debugfs's answer when it is mounted; else a preempt= on the command line of a dynamic
 * kernel; else the build's mode from the config. 'dynamic' also shows in uname -v.
 */
Test(env, preempt_mode_matches_debugfs_cmdline_or_config)
{
	json_t *p = at("kernel", "preempt");
	const char *mode = json_string_value(json_object_get(p, "mode"));
	const char *source = json_string_value(json_object_get(p, "source"));
	char *debugfs = line_of("awk '$3 == \"debugfs\" {print $2; exit}' /proc/mounts");
	char *cmdline = line_of("tr ' ' '\\n' < /proc/cmdline | sed -n 's/^preempt=//p' | tail -1");
	char *uname_v = line_of("uname -v");
	int dynamic = evidence_config("CONFIG_PREEMPT_DYNAMIC");
	char cmd[512], *want;

	cr_assert_not_null(p, "kernel.preempt missing");
	if (dynamic < 0)
		cr_assert(json_is_null(json_object_get(p, "dynamic")));
	else
		cr_assert_eq(json_is_true(json_object_get(p, "dynamic")), dynamic == 1);
	if (dynamic == 1)
		cr_assert(strstr(uname_v, "PREEMPT_DYNAMIC"), "uname -v: %s", uname_v);
	snprintf(cmd, sizeof(cmd), "sed -n 's/.*(\\(.*\\)).*/\\1/p' %s/sched/preempt 2>/dev/null",
		 debugfs[0] ? debugfs : "/nonexistent");
	want = line_of(cmd);
	if (want[0]) {
		cr_assert_str_eq(source, "debugfs");
	} else if (dynamic == 1 && cmdline[0]) {
		cr_assert_str_eq(source, "cmdline");
		free(want);
		want = strdup(cmdline);
	} else {
		free(want);
		want = line_of("{ zcat /proc/config.gz 2>/dev/null || cat /boot/config-$(uname -r)"
			       " 2>/dev/null; } | sed -n 's/^CONFIG_PREEMPT\\(_RT\\|_LAZY\\|"
			       "_VOLUNTARY\\|_NONE\\|\\)=y$/\\1/p' | head -1");
		if (!want[0] && evidence_config("CONFIG_PREEMPT") != 1) {
			cr_assert(json_is_null(json_object_get(p, "mode")), "mode '%s'", mode);
			goto out;
		}
		cr_assert_str_eq(source, "config");
		/* The config's names for debugfs's: _RT rt, _LAZY lazy, "" full ... */
		const char *names[][2] = { { "_RT", "rt" }, { "_LAZY", "lazy" }, { "", "full" },
					   { "_VOLUNTARY", "voluntary" }, { "_NONE", "none" } };

		for (size_t i = 0; i < 5; i++)
			if (!strcmp(want, names[i][0])) {
				free(want);
				want = strdup(names[i][1]);
				break;
			}
	}
	cr_assert_str_eq(mode ? mode : "(null)", want);
out:
	free(want);
	free(debugfs);
	free(cmdline);
	free(uname_v);
}

Test(env, thp_and_numa_match_sysfs)
{
	char *nodes = line_of("ls -d /sys/devices/system/node/node[0-9]* 2>/dev/null | wc -l");

	assert_string_or_null(at("thp", "enabled"), "sed -n 's/.*\\[\\(.*\\)\\].*/\\1/p' "
			      "/sys/kernel/mm/transparent_hugepage/enabled 2>/dev/null",
			      "thp.enabled");
	assert_string_or_null(at("thp", "defrag"), "sed -n 's/.*\\[\\(.*\\)\\].*/\\1/p' "
			      "/sys/kernel/mm/transparent_hugepage/defrag 2>/dev/null",
			      "thp.defrag");
	if (!evidence_exists("/sys/devices/system/node"))
		cr_assert(json_is_null(at("numa_nodes", NULL)));
	else
		cr_assert_eq(json_integer_value(at("numa_nodes", NULL)), strtol(nodes, NULL, 10));
	free(nodes);
}

Test(env, boot_time_matches_btime_and_uptime_is_bracketed)
{
	double up = json_real_value(at("boot", "uptime_s"));

	assert_string_or_null(at("boot", "time"), "date -u -d @$(awk '/^btime/ {print $2}' "
			      "/proc/stat) +%Y-%m-%dT%H:%M:%SZ", "boot.time");
	/* Read between two reads of /proc/uptime by cut(1). */
	cr_assert(up >= uptime_before && up <= uptime_after, "uptime %.2f not in [%.2f, %.2f]",
		  up, uptime_before, uptime_after);
}

/* ------------------------------------------------------------------ virtualization, build */

Test(env, systemd_detect_virt_is_its_answer_or_null)
{
	json_t *v = at("virtualization", "systemd_detect_virt");
	int st;
	char *installed = sh("command -v systemd-detect-virt", &st);

	cr_assert_not_null(v, "virtualization.systemd_detect_virt missing");
	if (st != 0)
		cr_assert(json_is_null(v), "not installed, yet '%s'", json_string_value(v));
	else
		assert_string_or_null(v, "systemd-detect-virt", "systemd_detect_virt");
	v = at("virtualization", "systemd_detect_virt_vm");
	cr_assert_not_null(v, "virtualization.systemd_detect_virt_vm missing");
	if (st != 0)
		cr_assert(json_is_null(v), "not installed, yet '%s'", json_string_value(v));
	else
		assert_string_or_null(v, "systemd-detect-virt --vm", "systemd_detect_virt_vm");
	free(installed);
	assert_string_or_null(at("virtualization", "dmi_sys_vendor"),
			      "cat /sys/class/dmi/id/sys_vendor 2>/dev/null", "dmi_sys_vendor");
}

/* The commit of the tree the binary was built from, -dirty iff git status shows anything. */
Test(env, commit_is_head_and_dirty_iff_modified)
{
	const char *commit = json_string_value(at("bpfgauge", "commit"));
	char *head = line_of("git rev-parse --short=12 HEAD 2>/dev/null");
	char *status = line_of("git status --porcelain 2>/dev/null | head -1");
	char want[64];

	if (!head[0]) {
		free(head);
		free(status);
		cr_skip_test("not built from a git checkout");
	}
	snprintf(want, sizeof(want), "%s%s", head, status[0] ? "-dirty" : "");
	cr_assert_str_eq(commit, want, "built from '%s', the tree is at '%s' (%s): run make",
			 commit, want, status[0] ? status : "clean");
	free(head);
	free(status);
}

/* ------------------------------------------------------------------ run: time is the start */

Test(env, run_records_its_start_time_and_duration)
{
	char dir[] = "/tmp/bpfgauge-env-XXXXXX", cmd[1024], path[600], *out;
	time_t before, after, start;
	struct tm tm = {};
	json_error_t e;
	json_t *res;
	double duration;
	FILE *f;
	int st;

	test_dir_make(dir);
	snprintf(path, sizeof(path), "%s/t.suite", dir);
	f = fopen(path, "w");
	cr_assert_not_null(f);
	/* About 2 s of work: a result stamped at its end would be 2 s late. */
	fputs("[suite]\nreps = 3\nseconds = 0.4\n[checks]\nrun = bpf_syscall\n"
	      "[bench workload-throughput]\nvariants = syscall\n", f);
	fclose(f);
	before = time(NULL);
	snprintf(cmd, sizeof(cmd), "cd %s && %s/%s run t.suite -o r.json 2>&1", dir,
		 getcwd((char[512]){}, 512), bpfgauge_bin());
	out = sh(cmd, &st);
	after = time(NULL);
	cr_assert_eq(st, 0, "%s", out);
	free(out);
	snprintf(path, sizeof(path), "%s/r.json", dir);
	res = json_load_file(path, 0, &e);
	cr_assert_not_null(res, "%s", e.text);
	cr_assert_not_null(strptime(json_string_value(json_object_get(
		json_object_get(res, "environment"), "time")), "%Y-%m-%dT%H:%M:%SZ", &tm));
	start = timegm(&tm);
	duration = json_real_value(json_object_get(res, "duration_s"));
	cr_assert_gt(duration, 1.0, "the suite runs 2 s of workloads; duration_s %.2f", duration);
	cr_assert(start >= before && start + duration <= after + 1,
		  "time %ld + duration %.1f is not within the run [%ld, %ld]", (long)start,
		  duration, (long)before, (long)after);
	json_decref(res);
	test_dir_remove(dir);
}
