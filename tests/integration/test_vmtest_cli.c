// SPDX-License-Identifier: GPL-2.0
/* vmtest as a command: bad input, no QEMU, help; a guest timed out, panicking or interrupted. */
#include <criterion/criterion.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "integration.h"
#include "support.h"
#include "vmtest_run.h"

/* The test's temporary directory (vmtest_run.h). */
static char *const dir = vmtest_dir;

Test(vmtest, bad_input_exits_2_with_one_line)
{
	char image[PATH_MAX], release[128], args[PATH_MAX * 3], *out;

	test_kernel(image, sizeof(image), release, sizeof(release));
	cr_assert_eq(vmtest("", &out), 2);
	cr_assert_str_eq(out, "bpfgauge vmtest: which kernel? --kernel IMAGE is required; see "
			 "'bpfgauge vmtest --help'\n");
	free(out);
	cr_assert_eq(vmtest("--kernel /nonexistent/vmlinuz", &out), 2);
	cr_assert_str_eq(out, "bpfgauge vmtest: cannot read the kernel image "
			 "'/nonexistent/vmlinuz': No such file or directory\n");
	free(out);
	cr_assert_eq(vmtest("--kernel Makefile", &out), 2);
	cr_assert_str_eq(out, "bpfgauge vmtest: 'Makefile' is not an x86 kernel image (bzImage): "
			 "no boot header with a kernel version\n");
	free(out);
	snprintf(args, sizeof(args), "--kernel %s --mem 12", image);
	cr_assert_eq(vmtest(args, &out), 2);
	cr_assert(strstr(out, "--mem takes a size"), "%s", out);
	free(out);
	snprintf(args, sizeof(args), "--kernel %s --suite no-such-suite", image);
	cr_assert_eq(vmtest(args, &out), 2);
	cr_assert(strstr(out, "no suite 'no-such-suite'"), "%s", out);
	free(out);
	/* The suite is read before the kernel is looked for (or fetched) and checked against
	 * the guest's CPUs, not this machine's. */
	test_file_write(dir, "cpu.suite", "[checks]\nrun = jit\n[bench ringbuf-vs-perfbuf]\n"
			"cpu = 2\n");
	snprintf(args, sizeof(args), "--kernel /nonexistent/vmlinuz --cpus 2 --suite "
		 "%s/cpu.suite", dir);
	cr_assert_eq(vmtest(args, &out), 2);
	cr_assert(strstr(out, "cpu.suite:4: cpu = 2: the guest has 2 CPUs (vmtest --cpus)"), "%s",
		  out);
	cr_assert_eq(strchr(out, '\n'), out + strlen(out) - 1, "one line: %s", out);
	free(out);
	snprintf(args, sizeof(args), "--kernel %s -o Makefile", image);
	cr_assert_eq(vmtest(args, &out), 2);
	cr_assert(strstr(out, "cannot write 'Makefile': it exists (files are never overwritten)"),
		  "%s", out);
	cr_assert_eq(strchr(out, '\n'), out + strlen(out) - 1, "one line: %s", out);
	free(out);
	assert_nothing_left();
}

Test(vmtest, missing_qemu_says_make_deps)
{
	char cmd[PATH_MAX], *out;
	int st;

	/* A PATH with every tool but QEMU. */
	snprintf(cmd, sizeof(cmd), "mkdir -p %s/bin && ln -s /bin/sh /bin/busybox %s/bin/ && "
		 "PATH=%s/bin %s vmtest --kernel build/kernels/test/boot/vmlinuz-* 2>&1", dir,
		 dir, dir, bpfgauge_bin());
	out = sh(cmd, &st);
	cr_assert_eq(st, 2, "%s", out);
	cr_assert_str_eq(out, "bpfgauge vmtest: qemu-system-x86_64 not found: run 'make deps'\n");
	free(out);
}

Test(vmtest, help_teaches)
{
	char *out;

	cr_assert_eq(vmtest("--help", &out), 0);
	for (const char *w[] = { "--kernel", "--suite", "--mem", "--cpus", "--timeout", "--accel",
				 "-o", "examples:", "Exit:", "TCG", NULL }, **p = w; *p; p++)
		cr_assert(strstr(out, *p), "no '%s' in: %s", *p, out);
	free(out);
}

/* A guest stopped at its deadline: exit 2, the console's last lines, nothing left behind. */
Test(vmtest, timeout_stops_the_guest_with_its_console, .timeout = 300)
{
	char image[PATH_MAX], release[128], args[PATH_MAX * 3], stale[PATH_MAX], *out;
	int st;

	test_kernel(image, sizeof(image), release, sizeof(release));
	/* A directory of a vmtest that was killed (a pid that is gone) goes too. */
	out = sh("sh -c 'echo $$'", NULL);
	snprintf(stale, sizeof(stale), "%s/tmp/bpfgauge-vmtest-%d-abcdef", dir, atoi(out));
	free(out);
	cr_assert_eq(mkdir(stale, 0700), 0);
	snprintf(args, sizeof(args), "--kernel %s --accel tcg --timeout 1", image);
	st = vmtest(args, &out);
	cr_assert_eq(st, 2, "%s", out);
	cr_assert(strstr(out, "the guest did not finish within 1 s and was stopped"), "%s", out);
	cr_assert(strstr(out, "the last lines of its console:\n    "), "%s", out);
	cr_assert(strstr(out, "removed '") && strstr(out, "left by a vmtest that was killed"),
		  "%s", out);
	free(out);
	assert_nothing_left();
}

/*
 * A kernel that panics (here: no init, so no root) ends the guest: exit 2 with the panic. Under
 * emulation, a panic before the init ran is booted once more, saying so, and no more.
 */
Test(vmtest, panic_is_reported_with_the_console, .timeout = 300)
{
	char image[PATH_MAX], release[128], args[PATH_MAX * 3], *out;

	test_kernel(image, sizeof(image), release, sizeof(release));
	snprintf(args, sizeof(args), "--kernel %s --accel tcg --timeout 240 --append "
		 "rdinit=/nonexistent -o %s/r.json", image, dir);
	cr_assert_eq(vmtest(args, &out), 2, "%s", out);
	cr_assert(strstr(out, "bpfgauge vmtest: the guest kernel panicked: Kernel panic - not "
			 "syncing: "), "%s", out);
	cr_assert_eq(occurrences(out, "booting under tcg"), 2, "%s", out);
	cr_assert_eq(occurrences(out, "before its init ran: booting it once more\n"), 1, "%s", out);
	/* The tail shows the panic with the guest kernel's own name for itself. */
	cr_assert(strstr(out, "\n    [") && strstr(out, release), "%s", out);
	free(out);
	snprintf(args, sizeof(args), "%s/r.json", dir);
	cr_assert_eq(access(args, F_OK), -1, "no result from a guest that panicked");
	assert_nothing_left();
}

/* Ctrl-C: the guest is stopped, exit 130, and its temporary directory is gone. */
Test(vmtest, interrupt_stops_the_guest_and_leaves_nothing, .timeout = 300)
{
	char image[PATH_MAX], release[128], cmd[PATH_MAX * 2], *out;
	int st;

	test_kernel(image, sizeof(image), release, sizeof(release));
	snprintf(cmd, sizeof(cmd), "TMPDIR=%s/tmp %s vmtest --kernel %s --accel tcg -o %s/r.json "
		 ">%s/log 2>&1 & p=$!; sleep 2; kill -INT $p; wait $p; echo $?; cat %s/log", dir,
		 bpfgauge_bin(), image, dir, dir, dir);
	out = sh(cmd, &st);
	cr_assert_eq(atoi(out), 130, "%s", out);
	cr_assert(strstr(out, "interrupted: the guest was stopped"), "%s", out);
	free(out);
	snprintf(cmd, sizeof(cmd), "%s/r.json", dir);
	cr_assert_eq(access(cmd, F_OK), -1, "no result from an interrupted guest");
	assert_nothing_left();
}
