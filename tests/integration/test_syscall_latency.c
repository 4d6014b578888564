// SPDX-License-Identifier: GPL-2.0
/* syscall-latency against workloads with a known answer, and against bpftrace. */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "integration.h"
#include "support.h"

#define LOOP "build/tests/syscall_loop"

static json_t *trace_json(const char *args, int *code)
{
	char cmd[512], *out;
	json_t *doc;

	snprintf(cmd, sizeof(cmd), "%s trace syscall-latency --json %s 2>/dev/null",
		 bpfgauge_bin(), args);
	out = sh(cmd, code);
	doc = json_loads(out, 0, NULL);
	free(out);
	return doc;
}

/* The histogram labelled 'label' (or the only one when label is NULL). */
static json_t *find_hist(json_t *doc, const char *label)
{
	json_t *h;
	size_t i;

	json_array_foreach(json_object_get(doc, "histograms"), i, h) {
		const char *l = json_string_value(json_object_get(h, "label"));

		if (!label || (l && !strcmp(l, label)))
			return h;
	}
	return NULL;
}

/* Lower bound of the bucket that holds the median event. */
static long long median_bucket(json_t *hist)
{
	long long total = json_integer_value(json_object_get(hist, "count")), seen = 0;
	json_t *b;
	size_t i;

	json_array_foreach(json_object_get(hist, "buckets"), i, b) {
		seen += json_integer_value(json_object_get(b, "count"));
		if (2 * seen >= total)
			return json_integer_value(json_object_get(b, "low_ns"));
	}
	return -1;
}

Test(syscall_latency, counts_exactly_the_calls_of_the_command)
{
	json_t *doc, *h;
	int code;

	doc = trace_json("--by-syscall -- " LOOP " getppid 12345", &code);
	cr_assert_not_null(doc);
	cr_assert_eq(code, 0);
	h = find_hist(doc, "getppid");
	cr_assert_not_null(h, "no getppid histogram");
	cr_assert_eq(json_integer_value(json_object_get(h, "count")), 12345);
	cr_assert_gt(json_integer_value(json_object_get(h, "sum_ns")), 0);
	cr_assert_eq(json_integer_value(json_object_get(doc, "dropped")), 0);
	json_decref(doc);
}

Test(syscall_latency, method_is_the_cheapest_that_loads)
{
	json_t *doc = trace_json("-- " LOOP " getppid 10", NULL), *probe;
	const char *method;

	cr_assert_not_null(doc);
	method = json_string_value(json_object_get(doc, "method"));
	probe = probe_json("--only tp_btf,raw_tracepoint", NULL);
	/* The probe's own verdicts on the same hooks decide which method must have run. */
	if (!strcmp(probe_status(probe, "tp_btf"), "pass"))
		cr_assert_str_eq(method, "tp_btf");
	else if (!strcmp(probe_status(probe, "raw_tracepoint"), "pass"))
		cr_assert_str_eq(method, "raw_tp");
	else
		cr_assert_str_eq(method, "tracepoint");
	json_decref(probe);
	json_decref(doc);
}

/* bpftrace's hist() one-liner on the same workload puts the median in the same bucket. */
Test(syscall_latency, agrees_with_bpftrace_hist)
{
	char *out, cmd[1024], *line, *save = NULL;
	long long ours, theirs = -1, total = 0, seen = 0;
	long long lows[64], counts[64];
	int n = 0, st;
	json_t *doc;

	out = sh("command -v bpftrace", &st);
	free(out);
	if (st)
		cr_skip_test("bpftrace is not installed: nothing to compare with");
	/* 100 us sleeps: well inside one log2 bucket however the timer slack falls. */
	doc = trace_json("-- " LOOP " nanosleep 400 100", &st);
	cr_assert_not_null(doc);
	ours = median_bucket(find_hist(doc, NULL));
	json_decref(doc);

	snprintf(cmd, sizeof(cmd), "bpftrace -e 'tracepoint:raw_syscalls:sys_enter /pid == cpid/ "
		 "{ @s[tid] = nsecs; } tracepoint:raw_syscalls:sys_exit /@s[tid]/ "
		 "{ @h = hist(nsecs - @s[tid]); delete(@s[tid]); } END { clear(@s); }' "
		 "-c '%s/" LOOP " nanosleep 400 100' 2>&1", getcwd((char[512]){}, 512));
	out = sh(cmd, &st);
	cr_assert_eq(st, 0, "bpftrace failed: %s", out);
	/* Lines such as "[128K, 256K)    391 |@@@@@|". */
	for (line = strtok_r(out, "\n", &save); line && n < 64; line = strtok_r(NULL, "\n", &save)) {
		char unit = 0;
		long long low, count;

		if (sscanf(line, "[%lld%c", &low, &unit) < 1 || !strchr(line, '|'))
			continue;
		low *= unit == 'K' ? 1024 : unit == 'M' ? 1024 * 1024 :
		       unit == 'G' ? 1024LL * 1024 * 1024 : 1;
		count = atoll(strchr(line, ')') + 1);
		lows[n] = low;
		counts[n++] = count;
		total += count;
	}
	cr_assert_gt(n, 0, "no histogram in bpftrace's output:\n%s", out);
	for (int i = 0; i < n && theirs < 0; i++) {
		seen += counts[i];
		if (2 * seen >= total)
			theirs = lows[i];
	}
	cr_assert_eq(ours, theirs, "median bucket: ours %lld ns, bpftrace %lld ns", ours, theirs);
	free(out);
}

Test(syscall_latency, ctrl_c_prints_what_was_collected_and_exits_0)
{
	int pipefd[2], status;
	char out[16384];
	ssize_t n, len = 0;
	pid_t pid;

	cr_assert_eq(pipe(pipefd), 0);
	pid = fork();
	if (pid == 0) {
		dup2(pipefd[1], STDOUT_FILENO);
		close(pipefd[0]);
		/* Its "Tracing ... Ctrl-C to end." goes to stderr: keep the test output clean. */
		freopen("/dev/null", "w", stderr);
		execl(bpfgauge_bin(), "bpfgauge", "trace", "syscall-latency", (char *)NULL);
		_exit(127);
	}
	close(pipefd[1]);
	nanosleep(&(struct timespec){ .tv_nsec = 500 * 1000 * 1000 }, NULL);
	kill(pid, SIGINT);
	while ((n = read(pipefd[0], out + len, sizeof(out) - 1 - len)) > 0)
		len += n;
	out[len] = '\0';
	close(pipefd[0]);
	waitpid(pid, &status, 0);
	cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0, "status %d: %s", status, out);
	cr_assert(strstr(out, "syscall-latency via "), "%s", out);
	cr_assert(strstr(out, " events, mean "), "%s", out);
}

Test(syscall_latency, bad_input_exits_2_with_one_line)
{
	const char *cases[] = { "-d 0", "-d abc", "-p 999999999", "--bogus" };
	char cmd[256], *out;
	int st;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(cmd, sizeof(cmd), "%s trace syscall-latency %s 2>&1", bpfgauge_bin(),
			 cases[i]);
		out = sh(cmd, &st);
		cr_assert_eq(st, 2, "'%s': %s", cases[i], out);
		cr_assert_eq(strchr(out, '\n'), out + strlen(out) - 1, "'%s': %s", cases[i], out);
		free(out);
	}
	out = sh("build/bpfgauge trace no-such-tool 2>&1", &st);
	cr_assert_eq(st, 2);
	cr_assert(strstr(out, "unknown tool 'no-such-tool'"), "%s", out);
	free(out);
}

/*
 * A real histogram: nanosleep never returns before its time is up, so every value is at
 * least 250 us and the 250 us bucket's lower half holds none; no percentile falls there.
 */
Test(syscall_latency, percentiles_stay_inside_the_measured_min_and_max)
{
	json_t *doc, *h, *p;
	double min, max;
	size_t i;

	doc = trace_json("--by-syscall -- " LOOP " nanosleep 200 250", NULL);
	cr_assert_not_null(doc);
	/* glibc's nanosleep() is the clock_nanosleep system call. */
	h = find_hist(doc, "clock_nanosleep");
	cr_assert_not_null(h, "no clock_nanosleep histogram");
	cr_assert_eq(json_integer_value(json_object_get(h, "count")), 200);
	min = json_integer_value(json_object_get(h, "min_ns"));
	max = json_integer_value(json_object_get(h, "max_ns"));
	cr_assert_geq(min, 250000, "a 250 us nanosleep took %.0f ns", min);
	cr_assert_geq(max, min);
	json_array_foreach(json_object_get(h, "percentiles"), i, p) {
		double v = json_number_value(json_object_get(p, "ns"));
		double lo = json_integer_value(json_object_get(p, "low_ns"));
		double hi = json_integer_value(json_object_get(p, "high_ns"));

		cr_assert(v >= min && v <= max, "p%g %.0f outside [%.0f, %.0f]",
			  json_number_value(json_object_get(p, "q")) * 100, v, min, max);
		cr_assert(lo <= v && v <= hi && lo >= min && hi <= max);
	}
	cr_assert_eq(i, 3);
	json_decref(doc);
}
