// SPDX-License-Identifier: GPL-2.0
/* The fio and stress-ng workloads: consistent numbers, direct I/O only where it reaches a disk. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "support.h"
#include "workload_run.h"
#include "workloads/workload.h"

#define WORKDIR "build/tests"

static bool fs_reaches_a_device(const char *dir)
{
	char cmd[256], *fs;
	bool yes;

	snprintf(cmd, sizeof(cmd), "stat -f -c %%T %s", dir);
	fs = sh(cmd, NULL);
	yes = !strstr(fs, "tmpfs") && !strstr(fs, "overlay") && !strstr(fs, "ramfs");
	free(fs);
	return yes;
}

/* The test's own O_DIRECT open of a file in dir. */
static bool o_direct_works(const char *dir)
{
	char path[256];
	int fd;

	snprintf(path, sizeof(path), "%s/o_direct.%d", dir, getpid());
	fd = open(path, O_CREAT | O_RDWR | O_DIRECT, 0600);
	unlink(path);
	if (fd < 0)
		return false;
	close(fd);
	return true;
}

static void fio_check(const char *name, const char *dir, double kib_per_io)
{
	struct workload_opts o = { .seconds = 0.3, .cpu = -1, .workdir = dir };
	struct workload_result r;
	json_t *e;
	struct wl x;
	bool direct = fs_reaches_a_device(dir) && o_direct_works(dir);

	x = wl_setup(name, &o);
	/* The data file is unlinked from the start: nothing to leave behind. */
	cr_assert_eq(entries_in(dir), 0, "%s: %s is not empty", name, dir);
	r = wl_run(&x, &o);
	e = r.extra;
	cr_assert_float_eq(json_number_value(json_object_get(e, "iops")), r.ops_per_s, 1e-6);
	/* Bandwidth is the job's block size per I/O: fio read the right direction. */
	cr_assert_float_eq(json_number_value(json_object_get(e, "bw_kib_s")),
			   r.ops_per_s * kib_per_io, r.ops_per_s * kib_per_io * 0.01);
	cr_assert_leq(json_number_value(json_object_get(e, "clat_p50_ns")),
		      json_number_value(json_object_get(e, "clat_p99_ns")));
	cr_assert_gt(json_number_value(json_object_get(e, "clat_p50_ns")), 0);
	cr_assert_eq(json_is_true(json_object_get(e, "direct")), direct, "%s: direct %d in %s",
		     name, direct, dir);
	if (!direct)
		cr_assert_not_null(json_object_get(e, "note"));
	workload_result_release(&r);
	wl_teardown(&x);
	cr_assert_eq(entries_in(dir), 0);
}

static char *temp_dir(const char *under)
{
	char *dir;

	cr_assert_geq(asprintf(&dir, "%s/workloads.XXXXXX", under), 0);
	cr_assert_not_null(mkdtemp(dir));
	return dir;
}

Test(workloads, fio_reads_and_writes_with_consistent_numbers)
{
	char *dir;

	if (!installed("fio"))
		cr_skip_test("fio is not installed");
	dir = temp_dir(WORKDIR);
	fio_check("fio-randread", dir, 4);
	fio_check("fio-seqwrite", dir, 128);
	rmdir(dir);
	free(dir);
}

/* On tmpfs, O_DIRECT may open (Linux >= 6.6) but reaches no device: buffered, and said so. */
Test(workloads, fio_on_tmpfs_is_buffered_and_says_so)
{
	struct workload_opts o = { .seconds = 0.1, .cpu = -1 };
	struct workload_result r;
	char *fs, *dir;
	struct wl x;

	if (!installed("fio"))
		cr_skip_test("fio is not installed");
	fs = sh("stat -f -c %T /dev/shm", NULL);
	if (strncmp(fs, "tmpfs", 5))
		cr_skip_test("/dev/shm is on %s, not tmpfs", fs);
	free(fs);
	dir = temp_dir("/dev/shm");
	o.workdir = dir;
	x = wl_setup("fio-randread", &o);
	r = wl_run(&x, &o);
	cr_assert(json_is_false(json_object_get(r.extra, "direct")));
	cr_assert_str_eq(json_string_value(json_object_get(r.extra, "fs")), "tmpfs");
	cr_assert_not_null(strstr(json_string_value(json_object_get(r.extra, "note")), "tmpfs"));
	workload_result_release(&r);
	wl_teardown(&x);
	cr_assert_eq(rmdir(dir), 0, "%s not empty", dir);
	free(dir);
}

Test(workloads, stress_ng_stops_at_the_op_count)
{
	const struct {
		const char *name;
		long ops;
		const char *field;	/* a number of that stressor's own */
	} cases[] = {
		{ "stress-cpu", 300, "user-time" },
		{ "stress-switch", 20000, "nanosecs-per-context-switch-pipe-method" },
	};
	char *dir;

	if (!installed("stress-ng"))
		cr_skip_test("stress-ng is not installed");
	dir = temp_dir(WORKDIR);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct workload_opts o = {
			.ops = cases[i].ops, .cpu = first_cpu(), .workdir = dir,
		};
		struct workload_result r;
		struct wl x = wl_setup(cases[i].name, &o);

		cr_assert_eq(x.w->pid(x.state), -1);
		r = wl_run(&x, &o);
		cr_assert_eq(r.ops, cases[i].ops, "%s: %.0f ops", cases[i].name, r.ops);
		cr_assert(json_is_number(json_object_get(r.extra, cases[i].field)), "%s: no %s",
			  cases[i].name, cases[i].field);
		workload_result_release(&r);
		wl_teardown(&x);
		cr_assert_eq(entries_in(dir), 0, "%s left files in %s", cases[i].name, dir);
	}
	rmdir(dir);
	free(dir);
}

/* A duration is stress-ng's timeout, in whole seconds: 0.2 s asks for 1 s. */
Test(workloads, stress_ng_runs_for_a_duration)
{
	struct workload_opts o = { .seconds = 0.2, .cpu = -1 };
	struct workload_result r;
	char *dir;
	struct wl x;

	if (!installed("stress-ng"))
		cr_skip_test("stress-ng is not installed");
	dir = temp_dir(WORKDIR);
	o.workdir = dir;
	x = wl_setup("stress-syscall", &o);
	r = wl_run(&x, &o);
	cr_assert_eq(json_integer_value(json_object_get(r.extra, "timeout_s")), 1);
	cr_assert_gt(json_number_value(json_object_get(r.extra, "system-time")), 0);
	workload_result_release(&r);
	wl_teardown(&x);
	cr_assert_eq(rmdir(dir), 0, "%s not empty", dir);
	free(dir);
}
