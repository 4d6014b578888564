// SPDX-License-Identifier: GPL-2.0
/* vmtest's cpio writer: an archive GNU cpio extracts to the files put in; never overwritten. */
#include <criterion/criterion.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "support.h"
#include "vmtest/cpio.h"

static char dir[] = "/tmp/bpfgauge-vmtest-test-XXXXXX";

static void setup(void)
{
	char cmd[PATH_MAX];

	test_dir_make(dir);
	snprintf(cmd, sizeof(cmd), "mkdir %s/tmp", dir);
	free(sh(cmd, NULL));
}

static void teardown(void)
{
	test_dir_remove(dir);
}

TestSuite(vmtest, .init = setup, .fini = teardown);

Test(vmtest, cpio_archive_extracts_with_gnu_cpio)
{
	static const char text[] = "#!/bin/sh\necho hello\n";
	char path[PATH_MAX], cmd[PATH_MAX * 2], *out;
	struct cpio c;
	int st;

	snprintf(path, sizeof(path), "%s/a.cpio", dir);
	cr_assert_eq(cpio_open(&c, path), 0);
	cpio_add_dir(&c, "bin");
	cpio_add_data(&c, "init", 0755, text, strlen(text));
	cpio_add_data(&c, "bin/odd", 0600, "abc", 3);	/* 3 bytes: padding follows */
	cpio_add_dirs(&c, "usr/share/misc/magic.mgc");
	cpio_add_file(&c, "usr/share/misc/copy", "Makefile");
	cr_assert_eq(cpio_close(&c), 0);
	snprintf(cmd, sizeof(cmd), "mkdir %s/x && cd %s/x && cpio -i --quiet -d < ../a.cpio && "
		 "cat init && stat -c '%%a %%n' init bin/odd && cat bin/odd && echo && "
		 "cmp usr/share/misc/copy %s/Makefile && echo same", dir, dir,
		 getcwd((char[PATH_MAX]){}, PATH_MAX));
	out = sh(cmd, &st);
	cr_assert_eq(st, 0, "%s", out);
	cr_assert_str_eq(out, "#!/bin/sh\necho hello\n755 init\n600 bin/odd\nabc\nsame\n");
	free(out);
	/* An existing file is never overwritten. */
	cr_assert_eq(cpio_open(&c, path), -EEXIST);
}
