// SPDX-License-Identifier: GPL-2.0
/*
 * 'bpfgauge profile' end to end: the real binary around workloads with a known answer.
 * spin_target spins in spin_target_burn() and reports its own CPU time; sleep_target sleeps
 * in nanosleep and reports the time it measured around the sleeps. The folded output is
 * parsed here, the SVG is checked with xmllint and against the folded file of the same run.
 * With '-- COMMAND' the command has exited (a zombie has no maps) when the stacks are
 * symbolized: its frames are named from the maps read when it was first seen.
 */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "integration.h"
#include "support.h"

#define SPIN "build/tests/spin_target"
#define SLEEP "build/tests/sleep_target"

static char dir[64];

static void dir_setup(void)
{
	snprintf(dir, sizeof(dir), "/tmp/bpfgauge-profile-XXXXXX");
	test_dir_make(dir);
}

static void dir_teardown(void)
{
	test_dir_remove(dir);
}

TestSuite(profile, .init = dir_setup, .fini = dir_teardown);

/* Runs 'bpfgauge profile ARGS'; returns stdout (the workload's), stderr in *err. */
static char *profile(const char *args, int *status, char **err)
{
	char cmd[1024], path[128], *out;

	snprintf(path, sizeof(path), "%s/stderr", dir);
	snprintf(cmd, sizeof(cmd), "%s profile %s 2>%s", bpfgauge_bin(), args, path);
	out = sh(cmd, status);
	snprintf(cmd, sizeof(cmd), "cat %s; rm -f %s", path, path);
	*err = sh(cmd, NULL);
	return out;
}

static double value_of(const char *text, const char *name)
{
	const char *p = strstr(text, name);

	cr_assert_not_null(p, "no '%s' in '%s'", name, text);
	return atof(p + strlen(name));
}

struct folded_stats {
	unsigned long long total;	/* every line */
	unsigned long long comm;	/* lines whose first frame is the comm */
	unsigned long long with;	/* ... that also hold the frame */
	unsigned long long pair;	/* ... that hold "caller;frame" */
	unsigned long lines, other_comm_lines;	/* neither comm nor 'bpfgauge-exec' */
};

/* Reads a folded file: 'frame' counted as a whole frame, not a substring of one. */
static struct folded_stats folded_read(const char *path, const char *comm, const char *frame,
				       const char *pair)
{
	struct folded_stats st = {};
	char line[16384], needle[256], pneedle[256];
	FILE *f = fopen(path, "r");

	cr_assert_not_null(f, "no folded file '%s'", path);
	snprintf(needle, sizeof(needle), ";%s;", frame);
	snprintf(pneedle, sizeof(pneedle), ";%s;", pair);
	while (fgets(line, sizeof(line), f)) {
		char *sp = strrchr(line, ' '), stack[16384 + 2];
		unsigned long long n;

		cr_assert_not_null(sp, "folded line without a count: '%s'", line);
		n = strtoull(sp + 1, NULL, 10);
		*sp = '\0';
		snprintf(stack, sizeof(stack), ";%s;", line);
		st.total += n;
		st.lines++;
		if (strncmp(line, comm, strlen(comm)) || line[strlen(comm)] != ';') {
			/* The command's process between fork and exec is named so. */
			if (strncmp(line, "bpfgauge-exec;", 14))
				st.other_comm_lines++;
			continue;
		}
		st.comm += n;
		if (strstr(stack, needle))
			st.with += n;
		if (strstr(stack, pneedle))
			st.pair += n;
	}
	fclose(f);
	return st;
}

/* utime + stime of a process from /proc/PID/stat, in seconds. */
static double process_cpu_seconds(pid_t pid)
{
	char path[64], buf[1024], *p;
	unsigned long long ut = 0, st = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	f = fopen(path, "r");
	cr_assert_not_null(f);
	cr_assert_not_null(fgets(buf, sizeof(buf), f));
	fclose(f);
	/* Fields 14 and 15, counted after the ')' that ends the command name. */
	p = strrchr(buf, ')');
	cr_assert_eq(sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &ut,
			    &st), 2);
	return (double)(ut + st) / sysconf(_SC_CLK_TCK);
}

Test(profile, cpu_samples_land_in_the_spinning_function)
{
	char args[512], *out, *err;
	struct folded_stats st;
	double cpu_ms, expect;
	int status;

	if (!evidence_root())
		cr_skip("needs root to load BPF");
	snprintf(args, sizeof(args), "-F 199 -o %s/cpu.svg --folded %s/cpu.folded -- %s 0.5", dir,
		 dir, SPIN);
	out = profile(args, &status, &err);
	cr_assert_eq(status, 0, "exit %d: %s", status, err);
	cpu_ms = value_of(out, "cpu_ms ");
	snprintf(args, sizeof(args), "%s/cpu.folded", dir);
	st = folded_read(args, "spin_target", "spin_target_burn", "main;spin_target_burn");
	cr_log_info("spin_target: %llu samples, %llu in spin_target_burn, %llu under main; "
		    "cpu %.1f ms\n", st.comm, st.with, st.pair, cpu_ms);
	/* The sampling clock ticks per CPU: the workload gets HZ x its own CPU time. */
	expect = 199 * cpu_ms / 1000;
	cr_assert(st.comm >= 0.75 * expect && st.comm <= 1.25 * expect,
		  "%llu samples, expected about %.0f (199 Hz x %.1f ms of CPU)", st.comm, expect,
		  cpu_ms);
	cr_assert_geq(st.with * 100, st.comm * 80, "only %llu of %llu samples in spin_target_burn",
		      st.with, st.comm);
	/* Frame pointers, return addresses and PIE offsets right: its caller is named too. */
	cr_assert_geq(st.pair * 100, st.comm * 80, "only %llu of %llu samples under main",
		      st.pair, st.comm);
	cr_assert_eq(st.other_comm_lines, 0, "-- COMMAND profiles only the command");
	cr_assert(strstr(err, "CPU profile: ") && (strstr(err, "cpu-clock") ||
						  strstr(err, "cycles")), "%s", err);
	/* Which event ran follows from whether this machine has a hardware CPU PMU. */
	if (evidence_exists("/sys/bus/event_source/devices/cpu") ||
	    evidence_exists("/sys/bus/event_source/devices/cpu_core"))
		cr_assert(strstr(err, "cycles at 199 Hz"), "a PMU here: cycles: %s", err);
	else
		cr_assert(strstr(err, "cpu-clock at 199 Hz") && strstr(err, "hardware cycles"),
			  "no PMU here: the software clock and why: %s", err);
	free(out);
	free(err);
}

/* Distinct frames of a folded file (each distinct prefix of a stack is one frame), + 'all'. */
static long folded_frames(const char *path)
{
	char cmd[512], *out;
	long n;

	snprintf(cmd, sizeof(cmd), "awk '{ sub(/ [0-9]+$/, \"\"); n = split($0, f, \";\"); "
		 "p = \"\"; for (i = 1; i <= n; i++) { p = p \";\" f[i]; seen[p] = 1 } } "
		 "END { print length(seen) + 1 }' %s", path);
	out = sh(cmd, NULL);
	n = atol(out);
	free(out);
	return n;
}

static long count_in_file(const char *path, const char *text)
{
	char cmd[512], *out;
	long n;

	snprintf(cmd, sizeof(cmd), "grep -o '%s' %s | wc -l", text, path);
	out = sh(cmd, NULL);
	n = atol(out);
	free(out);
	return n;
}

Test(profile, svg_is_wellformed_and_draws_every_frame)
{
	char args[512], svg[128], folded[128], *out, *err;
	int status;
	long frames, rects;

	if (!evidence_root())
		cr_skip("needs root to load BPF");
	snprintf(svg, sizeof(svg), "%s/cpu.svg", dir);
	snprintf(folded, sizeof(folded), "%s/cpu.folded", dir);
	snprintf(args, sizeof(args), "-F 199 -o %s --folded %s -- %s 0.3", svg, folded, SPIN);
	out = profile(args, &status, &err);
	cr_assert_eq(status, 0, "exit %d: %s", status, err);
	free(out);
	free(err);
	snprintf(args, sizeof(args), "xmllint --noout %s 2>&1", svg);
	out = sh(args, &status);
	cr_assert_eq(status, 0, "xmllint (package libxml2-utils): %s", out);
	free(out);
	frames = folded_frames(folded);
	rects = count_in_file(svg, "<rect ");
	cr_log_info("%ld frames in the folded file, %ld rects in the SVG\n", frames, rects);
	cr_assert_gt(frames, 3);
	cr_assert_eq(rects, frames, "one <rect> per frame: %ld rects, %ld frames", rects, frames);
	cr_assert_eq(count_in_file(svg, "<title>spin_target_burn ("), 1);
	cr_assert_eq(count_in_file(svg, "<title>all ("), 1);
}

Test(profile, offcpu_total_matches_the_sleeps)
{
	char args[512], *out, *err;
	struct folded_stats st;
	double slept_us, nominal = 20 * 25000.0;	/* the arguments below */
	int status;

	if (!evidence_root())
		cr_skip("needs root to load BPF");
	snprintf(args, sizeof(args), "--off-cpu -o %s/off.svg --folded %s/off.folded -- %s %d %d",
		 dir, dir, SLEEP, 20, 25000);
	out = profile(args, &status, &err);
	cr_assert_eq(status, 0, "exit %d: %s", status, err);
	slept_us = value_of(out, "slept_us ");
	snprintf(args, sizeof(args), "%s/off.folded", dir);
	st = folded_read(args, "sleep_target", "do_nanosleep", "hrtimer_nanosleep;do_nanosleep");
	cr_log_info("sleep_target off-CPU %llu us (%llu in do_nanosleep); it measured %.0f us, "
		    "nominal %.0f us\n", st.comm, st.with, slept_us, nominal);
	cr_assert(st.comm >= 0.9 * nominal && st.comm <= 1.1 * nominal,
		  "%llu us off-CPU, expected %.0f us +-10%%", st.comm, nominal);
	cr_assert(st.comm >= 0.9 * slept_us && st.comm <= 1.1 * slept_us,
		  "%llu us off-CPU, the workload measured %.0f us", st.comm, slept_us);
	cr_assert_geq(st.with * 100, st.comm * 90, "%llu of %llu us in do_nanosleep", st.with,
		      st.comm);
	cr_assert(strstr(err, "Off-CPU time: sched_switch via "), "%s", err);
	free(out);
	free(err);
}

Test(profile, offcpu_min_block_leaves_out_shorter_stretches)
{
	char args[512], *out, *err;
	struct folded_stats st;
	int status;

	if (!evidence_root())
		cr_skip("needs root to load BPF");
	/* 10 sleeps of 20 ms, none reaching 60 ms: nothing of them may be counted. */
	snprintf(args, sizeof(args), "--off-cpu --min-block-us 60000 -o %s/off.svg --folded "
		 "%s/off.folded -- %s 10 20000", dir, dir, SLEEP);
	out = profile(args, &status, &err);
	cr_assert_eq(status, 0, "exit %d: %s", status, err);
	snprintf(args, sizeof(args), "%s/off.folded", dir);
	st = folded_read(args, "sleep_target", "do_nanosleep", "do_nanosleep");
	cr_assert_eq(st.with, 0, "%llu us of 20 ms sleeps counted with a 60 ms minimum", st.with);
	cr_assert_lt(st.comm, 60000 * 2, "%llu us counted", st.comm);
	free(out);
	free(err);
}

Test(profile, pid_filter_profiles_only_that_process)
{
	char args[512], *out, *err;
	struct folded_stats st;
	double cpu_before, cpu_after;
	pid_t pid = fork();
	int status;

	if (!evidence_root())
		cr_skip("needs root to load BPF");
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		execl(SPIN, SPIN, "1.5", (char *)NULL);
		_exit(127);
	}
	usleep(100 * 1000);
	snprintf(args, sizeof(args), "-p %d -F 199 -d 0.5 -o %s/p.svg --folded %s/p.folded", pid,
		 dir, dir);
	cpu_before = process_cpu_seconds(pid);
	out = profile(args, &status, &err);
	cpu_after = process_cpu_seconds(pid);
	kill(pid, SIGTERM);
	waitpid(pid, NULL, 0);
	cr_assert_eq(status, 0, "exit %d: %s", status, err);
	snprintf(args, sizeof(args), "%s/p.folded", dir);
	st = folded_read(args, "spin_target", "spin_target_burn", "main;spin_target_burn");
	cr_log_info("-p: %lu lines, %llu samples, %llu in spin_target_burn\n", st.lines, st.comm,
		    st.with);
	cr_assert_eq(st.other_comm_lines, 0, "samples of other processes with -p");
	/*
	 * 199 Hz of the CPU time the process got while the profiler ran (which includes the
	 * profiler's own start and stop, when it does not sample yet: hence only half of it is
	 * required). On a busy machine the process gets less CPU, and fewer samples are due.
	 */
	cr_assert_gt(st.comm, 0);
	cr_assert_geq(st.comm, (cpu_after - cpu_before) * 199 * 0.5, "%llu samples for %.2f s of CPU",
		      st.comm, cpu_after - cpu_before);
	cr_assert_geq(st.with * 100, st.comm * 80);
	free(out);
	free(err);
}

static void assert_one_line_exit_2(const char *args, const char *expect)
{
	char *out, *err;
	int status;

	out = profile(args, &status, &err);
	cr_assert_eq(status, 2, "'%s': exit %d", args, status);
	cr_assert(strstr(err, expect), "'%s': got '%s'", args, err);
	cr_assert_eq(strchr(err, '\n'), err + strlen(err) - 1, "'%s': not one line: '%s'", args,
		     err);
	free(out);
	free(err);
}

Test(profile, existing_output_is_refused_before_anything_runs)
{
	char args[512], path[128], marker[128], *out;

	snprintf(path, sizeof(path), "%s/taken.svg", dir);
	snprintf(marker, sizeof(marker), "%s/ran", dir);
	snprintf(args, sizeof(args), "echo keep > %s", path);
	free(sh(args, NULL));
	snprintf(args, sizeof(args), "-o %s -- touch %s", path, marker);
	assert_one_line_exit_2(args, "exists");
	cr_assert_not(evidence_exists(marker), "the command ran although -o exists");
	snprintf(args, sizeof(args), "cat %s", path);
	out = sh(args, NULL);
	cr_assert_str_eq(out, "keep\n", "the existing file was changed");
	free(out);
	/* The same for --folded. */
	snprintf(args, sizeof(args), "-o %s/new.svg --folded %s -- touch %s", dir, path, marker);
	assert_one_line_exit_2(args, "exists");
	cr_assert_not(evidence_exists(marker));
}

Test(profile, bad_usage_is_one_line_and_exit_2)
{
	char args[512];
	pid_t pid = fork();

	cr_assert_geq(pid, 0);
	if (pid == 0)
		_exit(0);
	waitpid(pid, NULL, 0);	/* reaped: no process has this pid now */
	snprintf(args, sizeof(args), "-p %d -d 1 -o %s/x.svg", pid, dir);
	assert_one_line_exit_2(args, "no process with pid");
	snprintf(args, sizeof(args), "--bogus -o %s/x.svg", dir);
	assert_one_line_exit_2(args, "unknown option '--bogus'");
	snprintf(args, sizeof(args), "-o %s/x.svg -p", dir);
	assert_one_line_exit_2(args, "needs a value");
	assert_one_line_exit_2("-d 1", "missing -o");
	snprintf(args, sizeof(args), "-F 0 -o %s/x.svg", dir);
	assert_one_line_exit_2(args, "-F takes");
	snprintf(args, sizeof(args), "--off-cpu -F 99 -o %s/x.svg", dir);
	assert_one_line_exit_2(args, "-F applies to CPU profiles only");
	cr_assert_not(evidence_exists("x.svg"));
}

Test(profile, help_mentions_frame_pointers_and_memory)
{
	char *out, *err;
	int status;

	out = profile("--help", &status, &err);
	cr_assert_eq(status, 0);
	cr_assert(strstr(out, "frame pointers") && strstr(out, "Kernel memory") &&
		  strstr(out, "--min-block-us"), "%s", out);
	free(out);
	free(err);
}
