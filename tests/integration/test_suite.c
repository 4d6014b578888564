// SPDX-License-Identifier: GPL-2.0
/* Suite files: good ones load with their defaults, bad ones name FILE:LINE and the problem. */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench/benchmark.h"
#include "checks/check.h"
#include "run/suite.h"

static char path[64];

static void write_suite(const char *text, size_t len)
{
	int fd;

	snprintf(path, sizeof(path), "/tmp/bpfgauge-suite-XXXXXX");
	fd = mkstemp(path);
	cr_assert_geq(fd, 0);
	cr_assert_eq(write(fd, text, len), (ssize_t)len);
	close(fd);
}

/* A suite of len bytes (NULs too) loaded, for a guest of guest_cpus (0: this machine). */
static int load_bytes(const char *text, size_t len, int guest_cpus, struct suite *s, char *err,
		      size_t sz)
{
	int ret;

	write_suite(text, len);
	ret = suite_load_guest(path, s, guest_cpus, err, sz);
	unlink(path);
	return ret;
}

static int load(const char *text, struct suite *s, char *err, size_t sz)
{
	return load_bytes(text, strlen(text), 0, s, err, sz);
}

/* Asserts that the text is refused with "FILE:LINE: ..." containing 'what'. */
static void assert_bad(const char *text, int line, const char *what)
{
	struct suite s;
	char err[512], want[128];

	cr_assert_eq(load(text, &s, err, sizeof(err)), -EINVAL, "accepted:\n%s", text);
	snprintf(want, sizeof(want), "%s:%d: ", path, line);
	cr_assert(!strncmp(err, want, strlen(want)), "'%s' does not start with '%s'", err, want);
	cr_assert(strstr(err, what), "'%s' does not say '%s'", err, what);
	suite_release(&s);
}

Test(suite, good_file_with_defaults)
{
	struct suite s;
	char err[512] = "";

	cr_assert_eq(load("; a comment\n[suite]\ndescription = the quick one\nthreshold = 7.5%\n"
			  "\n[checks]\nrun = bpf_syscall, tracepoint\nrequire = btf\n"
			  "[thresholds]\nattach-overhead/*/ns_per_event = 10%\n", &s, err,
			  sizeof(err)), 0, "%s", err);
	cr_assert_str_eq(s.description, "the quick one");
	cr_assert_float_eq(s.threshold_pct, 7.5, 1e-9);
	cr_assert(s.run_check[check_index(check_find("tracepoint"))]);
	cr_assert(s.run_check[check_index(check_find("btf"))], "required checks run too");
	cr_assert(s.require_check[check_index(check_find("btf"))]);
	cr_assert_not(s.run_check[check_index(check_find("kprobe"))]);
	cr_assert_float_eq(suite_threshold(&s, "attach-overhead/uprobe/ns_per_event"), 10, 1e-9);
	cr_assert_float_eq(suite_threshold(&s, "tool-overhead/x/pct_throughput"), 7.5, 1e-9);
	suite_release(&s);
}

Test(suite, run_all_checks)
{
	struct suite s;
	char err[512] = "";

	cr_assert_eq(load("[checks]\nrun = all\n", &s, err, sizeof(err)), 0, "%s", err);
	for (size_t i = 0; i < check_registry_len; i++)
		cr_assert(s.run_check[i]);
	cr_assert_float_eq(s.threshold_pct, 5, 1e-9, "default threshold");
	suite_release(&s);
}

Test(suite, bad_files_name_file_line_and_problem)
{
	char text[256];

	assert_bad("[suite]\nreps = 3\nfrobnicate = 1\n", 3, "unknown key 'frobnicate' in [suite]");
	assert_bad("[suite]\nreps = many\n", 2, "reps must be a whole number");
	assert_bad("[suite]\nseconds = -1\n", 2, "seconds must be a number above 0");
	assert_bad("[suite]\nthreshold = lots\n", 2, "threshold must be a percentage");
	assert_bad("[checks]\nrun = tracepoint,nonsense\n", 2, "unknown check 'nonsense'");
	assert_bad("[checks]\nrun = all\nrun = none\n", 3, "'run' given twice");
	assert_bad("[suite]\n\n[bogus]\nx = 1\n", 3, "unknown section [bogus]");
	assert_bad("[bench no-such-benchmark]\nreps = 1\n", 1, "unknown benchmark 'no-such");
	assert_bad("[suite]\nthis line has no equals sign\n", 2, "syntax error");
	assert_bad("[thresholds]\nx/y = huge\n", 2, "threshold for 'x/y'");
	assert_bad("[suite]\nreps = 2\nseconds = 1\nreps = 3\n[checks]\nrun = all\n", 4,
		   "'reps' given twice in [suite] (lines 2 and 4)");
	assert_bad("[suite]\n[checks]\nrun = all\n[suite]\n", 4,
		   "[suite] given twice (lines 1 and 4)");
	assert_bad("[suite]\nreps = 99999999999999999999\n", 2, "reps must be a whole number");
	assert_bad("[suite]\nseconds = inf\n", 2, "seconds must be a number above 0");
	assert_bad("[suite]\nthreshold = 0x10%\n", 2, "threshold must be a percentage");
	assert_bad("[suite]\ndescription = caf\xe9\n[checks]\nrun = all\n", 2,
		   "not UTF-8 text: byte 0xe9 at offset 25");
	/* A pattern cut short would match other metrics. */
	snprintf(text, sizeof(text), "[checks]\nrun = all\n[thresholds]\n%0128d = 5%%\n", 0);
	assert_bad(text, 4, "a metric pattern in [thresholds] is at most 127 bytes long");
}

/* Asserts that the text is refused as a whole: "'FILE': ..." containing 'what'. */
static void assert_refused(const char *text, const char *what)
{
	struct suite s;
	char err[512], want[128];

	cr_assert_eq(load(text, &s, err, sizeof(err)), -EINVAL, "accepted:\n%s", text);
	snprintf(want, sizeof(want), "'%s': ", path);
	cr_assert(!strncmp(err, want, strlen(want)), "'%s' does not start with '%s'", err, want);
	cr_assert(strstr(err, what), "'%s' does not say '%s'", err, what);
	suite_release(&s);
}

/* A suite that would run nothing at all is no suite: a run of it would say nothing. */
Test(suite, a_suite_that_runs_nothing_is_refused)
{
	const char *nothing = "a suite must run at least one check, benchmark or cost section";
	struct suite s;
	char err[512];

	assert_refused("", nothing);
	assert_refused("[suite]\n", nothing);
	assert_refused("; only a comment\n[suite]\ndescription = d\n[thresholds]\nx = 5%\n",
		       nothing);
	assert_refused("[checks]\nrun = none\n", nothing);
	cr_assert_eq(load("[bench ringbuf-vs-perfbuf]\n", &s, err, sizeof(err)), 0, "%s", err);
	suite_release(&s);
	cr_assert_eq(load("[checks]\nrequire = jit\n", &s, err, sizeof(err)), 0, "%s", err);
	suite_release(&s);
}

/* What libinih would read in silence: a NUL ends its line ("reps = 5\0junk" is 5). */
Test(suite, nul_bytes_directories_and_large_files_are_refused)
{
	static const char nul_value[] = "[suite]\nreps = 5\0junk\n[checks]\nrun = jit\n";
	char zeros[1000] = {}, err[512], dir[] = "/tmp/bpfgauge-suite-dir-XXXXXX";
	struct suite s;

	cr_assert_eq(load_bytes(nul_value, sizeof(nul_value) - 1, 0, &s, err, sizeof(err)),
		     -EINVAL);
	cr_assert(strstr(err, ":2: contains a NUL byte (offset 16)"), "%s", err);
	suite_release(&s);
	cr_assert_eq(load_bytes(zeros, sizeof(zeros), 0, &s, err, sizeof(err)), -EINVAL);
	cr_assert(strstr(err, ":1: contains a NUL byte (offset 0)"), "%s", err);
	suite_release(&s);
	cr_assert_not_null(mkdtemp(dir));
	cr_assert_eq(suite_load(dir, &s, err, sizeof(err)), -EISDIR);
	cr_assert(strstr(err, "is a directory"), "%s", err);
	suite_release(&s);
	rmdir(dir);
}

/* Pinning to a CPU that is not there fails in silence: the result would say it was pinned. */
Test(suite, a_cpu_that_is_not_online_is_refused_with_the_online_ones)
{
	const char *text;
	struct suite s;
	char err[512], online[64] = "", want[128];
	FILE *f = fopen("/sys/devices/system/cpu/online", "r");

	cr_assert(f && fgets(online, sizeof(online), f));
	fclose(f);
	online[strcspn(online, "\n")] = '\0';
	snprintf(want, sizeof(want), "cpu = 4000: no CPU 4000 here (online CPUs: %s)", online);
	assert_bad("[suite]\ncpu = 4000\n[checks]\nrun = jit\n", 2, want);
	assert_bad("[bench ringbuf-vs-perfbuf]\nreps = 1\ncpu = 4000\n", 3, "no CPU 4000 here");
	/* vmtest checks a suite against its guest's CPUs, not this machine's. */
	text = "[bench ringbuf-vs-perfbuf]\ncpu = 7\n";
	cr_assert_eq(load_bytes(text, strlen(text), 8, &s, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(s.benches[0].params.cpu, 7);
	suite_release(&s);
	text = "[bench ringbuf-vs-perfbuf]\ncpu = 2\n";
	cr_assert_eq(load_bytes(text, strlen(text), 2, &s, err, sizeof(err)), -EINVAL);
	cr_assert(strstr(err, ":2: cpu = 2: the guest has 2 CPUs (vmtest --cpus)"), "%s", err);
	suite_release(&s);
}

Test(suite, bench_sections_take_suite_defaults_and_their_own_values)
{
	struct suite s;
	char err[512] = "";

	cr_assert_eq(load("[suite]\nreps = 4\nseconds = 0.25\ncpu = 1\n"
			  "[bench ringbuf-vs-perfbuf]\nvariants = ringbuf-reserve-1p, perfbuf-2p\n"
			  "reps = 9\n", &s, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(s.nr_benches, 1);
	cr_assert_str_eq(s.benches[0].bench->name, "ringbuf-vs-perfbuf");
	cr_assert_eq(s.benches[0].params.reps, 9);
	cr_assert_float_eq(s.benches[0].params.seconds, 0.25, 1e-9);
	cr_assert_eq(s.benches[0].params.cpu, 1);
	cr_assert_eq(s.benches[0].params.nr_variants, 2);
	cr_assert(bench_wants(&s.benches[0].params, "perfbuf-2p"));
	cr_assert_not(bench_wants(&s.benches[0].params, "perfbuf-1p"));
	suite_release(&s);
	assert_bad("[bench ringbuf-vs-perfbuf]\nvariants = ringbuf-reserve-1p, bogus\n", 2,
		   "'ringbuf-vs-perfbuf' has no variant 'bogus'");
	assert_bad("[bench ringbuf-vs-perfbuf]\nreps = 1\n[bench ringbuf-vs-perfbuf]\n", 3,
		   "given twice");
	assert_bad("[bench ringbuf-vs-perfbuf]\ncolour = 1\n", 2, "unknown key 'colour'");
}

Test(suite, unreadable_file)
{
	struct suite s;
	char err[512];

	cr_assert_eq(suite_load("/nonexistent/x.suite", &s, err, sizeof(err)), -ENOENT);
	cr_assert(strstr(err, "cannot read suite '/nonexistent/x.suite'"), "%s", err);
	suite_release(&s);
}

/* cpu = auto (the default) is the last CPU when there are two or more, else no pinning. */
Test(suite, cpu_auto_is_the_last_cpu_of_two_or_more)
{
	struct suite s;
	char err[512] = "", out[32] = "";
	FILE *f = popen("nproc", "r");
	int nproc, want;

	cr_assert(f && fgets(out, sizeof(out), f));
	pclose(f);
	nproc = atoi(out);
	want = nproc >= 2 ? nproc - 1 : -1;
	cr_assert_eq(load("[bench ringbuf-vs-perfbuf]\n[bench attach-overhead]\ncpu = auto\n"
			  "[bench tool-overhead]\ncpu = -1\n", &s, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(s.benches[0].params.cpu, want, "default: %d, nproc %d",
		     s.benches[0].params.cpu, nproc);
	cr_assert_eq(s.benches[1].params.cpu, want);
	cr_assert_eq(s.benches[2].params.cpu, -1);
	suite_release(&s);
	assert_bad("[suite]\ncpu = last\n", 2, "cpu must be a CPU number, auto or -1, not 'last'");
}

Test(suite, inject_extra_pct_reaches_the_benchmark_params)
{
	struct suite s;
	char err[512] = "";

	cr_assert_eq(load("[bench workload-throughput]\nvariants = syscall, file-read\n"
			  "inject_extra_pct = 10\n[bench attach-overhead]\ninject_extra_pct = 25\n"
			  "[bench ringbuf-vs-perfbuf]\n", &s, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(s.benches[0].params.inject_extra_pct, 10);
	cr_assert_eq(s.benches[1].params.inject_extra_pct, 25, "all variants: syscall among them");
	cr_assert_eq(s.benches[2].params.inject_extra_pct, 0, "none unless given");
	suite_release(&s);
	/* 0 injects nothing: allowed anywhere. */
	cr_assert_eq(load("[bench tool-overhead]\ninject_extra_pct = 0\n", &s, err, sizeof(err)), 0,
		     "%s", err);
	suite_release(&s);
	assert_bad("[bench workload-throughput]\ninject_extra_pct = 100.5\n", 2,
		   "inject_extra_pct must be a whole number from 0 to 100");
	assert_bad("[bench peer-bpftrace]\ninject_extra_pct = 10\n", 2,
		   "'peer-bpftrace' does not pass inject_extra_pct");
}

/* A list may go on over indented lines; a line libinih would cut is refused, as is a key given
 * twice. */
Test(suite, long_lists_continue_on_indented_lines)
{
	struct suite s;
	char err[512] = "", text[1024];
	size_t n = 0;

	cr_assert_eq(load("[checks]\nrun = bpf_syscall, jit,\n  btf, core\nrequire = jit\n", &s,
			  err, sizeof(err)), 0, "%s", err);
	for (size_t i = 0; i < check_registry_len; i++)
		n += s.run_check[i];
	cr_assert_eq(n, 4, "the continuation line's checks run too: %zu", n);
	cr_assert(s.run_check[check_index(check_find("core"))]);
	suite_release(&s);
	n = snprintf(text, sizeof(text), "[checks]\nrun = bpf_syscall");
	while (n < 260)
		n += snprintf(text + n, sizeof(text) - n, ", jit");
	snprintf(text + n, sizeof(text) - n, "\n");
	assert_bad(text, 2, "line longer than 198 characters");
	assert_bad("[checks]\nrun = bpf_syscall\nrun = jit\n", 3, "'run' given twice in [checks]");
}
