// SPDX-License-Identifier: GPL-2.0
/*
 * vmtest --kernel debian:SUITE: a kernel of Debian's split 7.x packages (trixie-backports:
 * linux-image-R depends on linux-binary-R, linux-modules-R and linux-base-R) fetched by
 * ci/fetch-kernel.sh through its own apt lists, laid out as the old packages were, and booted:
 * the guest runs the package's release, its modules load (tcx needs veth, a module there) and
 * its config is the package's; sched_ext, with --intrusive, runs its scheduler there. Bad specs
 * exit 2 with one line. It needs the network, as 'make check' does for its first kernel.
 */
#include <criterion/criterion.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "integration.h"
#include "support.h"
#include "vmtest_run.h"

/* The test's temporary directory (vmtest_run.h). */
static char *const dir = vmtest_dir;

Test(vmtest, debian_split_kernel_is_fetched_and_boots, .timeout = 900)
{
	char args[PATH_MAX * 2], path[PATH_MAX], *out, *pkg, *scx;
	const char *release;
	json_t *doc, *env;
	int st;

	test_file_write(dir, "new.suite", "[suite]\n[checks]\nrun = tcx,uprobe_multi,sched_ext\n");
	snprintf(args, sizeof(args), "--kernel debian:trixie-backports --cpus 1 --intrusive --suite "
		 "%s/new.suite -o %s/r.json", dir, dir);
	st = vmtest_guest(args, &out);
	cr_assert(st == 0 || st == 1, "vmtest exited %d:\n%s", st, out);
	free(out);
	snprintf(path, sizeof(path), "%s/r.json", dir);
	doc = json_load_file(path, 0, NULL);
	cr_assert_not_null(doc, "no result in %s", path);
	env = json_object_get(doc, "environment");
	release = json_string_value(json_object_get(json_object_get(env, "kernel"), "release"));
	cr_assert_not_null(release);
	/* The guest ran the package that was fetched, from backports, laid out for vmtest. */
	snprintf(args, sizeof(args), "cat build/kernels/linux-image-%s/package", release);
	pkg = sh(args, NULL);
	cr_assert(strstr(pkg, "Package: linux-image-") && strstr(pkg, "~bpo"), "%s", pkg);
	free(pkg);
	snprintf(path, sizeof(path), "build/kernels/linux-image-%s/lib/modules/%s/kernel", release,
		 release);
	cr_assert(evidence_exists(path), "no %s", path);
	cr_assert(strstr(json_string_value(json_object_get(json_object_get(env, "kernel_config"),
							   "source")), release));
	cr_assert_str_eq(probe_status(doc, "uprobe_multi"), "pass");
	cr_assert_str_eq(probe_status(doc, "tcx"), "pass");
	/* sched_ext, let in by --intrusive, where the package's config has it. */
	snprintf(args, sizeof(args), "grep -c '^CONFIG_SCHED_CLASS_EXT=y' "
		 "build/kernels/linux-image-%s/boot/config-%s", release, release);
	scx = sh(args, NULL);
	if (atoi(scx)) {
		cr_assert_str_eq(probe_status(doc, "sched_ext"), "pass", "%s",
				 probe_reason(doc, "sched_ext"));
		cr_assert_str_eq(probe_detail_str(doc, "sched_ext", "state_attached"), "enabled");
		cr_assert_str_eq(probe_detail_str(doc, "sched_ext", "state_detached"), "disabled");
		cr_assert_gt(probe_detail_int(doc, "sched_ext", "dispatched"), 0);
		cr_assert_gt(probe_detail_int(doc, "sched_ext", "thread_running"), 0);
	} else {
		cr_assert_str_eq(probe_detail_str(doc, "sched_ext", "missing_config"),
				 "CONFIG_SCHED_CLASS_EXT");
	}
	free(scx);
	json_decref(doc);
	assert_nothing_left();
}

Test(vmtest, debian_spec_bad_input_exits_2_with_one_line)
{
	static const char *const bad[] = { "debian:", "debian:Sid", "debian:sid:", "debian:sid:a/b" };
	char args[128], *out;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(args, sizeof(args), "--kernel %s", bad[i]);
		cr_assert_eq(vmtest(args, &out), 2, "%s: %s", bad[i], out);
		cr_assert(strstr(out, "is not debian:SUITE[:PACKAGE]"), "%s: %s", bad[i], out);
		cr_assert_eq(strchr(out, '\n'), out + strlen(out) - 1, "one line: %s", out);
		free(out);
	}
}
