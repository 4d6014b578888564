// SPDX-License-Identifier: GPL-2.0
/* Result files: written atomically, never overwritten, and never lost at the last step. */
#include <criterion/criterion.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/fileio.h"
#include "support.h"

static char dir[] = "/tmp/bpfgauge-fileio-XXXXXX";

static void setup(void)
{
	test_dir_make(dir);
}

static void teardown(void)
{
	test_dir_remove(dir);
}

TestSuite(fileio, .init = setup, .fini = teardown);

static void path_of(char *buf, const char *name)
{
	snprintf(buf, PATH_MAX, "%s/%s", dir, name);
}

Test(fileio, writes_new_and_never_overwrites)
{
	char path[PATH_MAX], *s;

	path_of(path, "r.json");
	cr_assert_eq(file_check_new(path), 0);
	cr_assert_eq(file_write_new(path, "first", 5), 0);
	cr_assert_eq(file_check_new(path), -EEXIST);
	cr_assert_eq(file_write_new(path, "second", 6), -EEXIST);
	cr_assert_str_eq(s = test_file_read(dir, "r.json"), "first");
	free(s);
	/* No temporary file stays behind. */
	cr_assert_str_eq(s = test_dir_list(dir, "."), "r.json\n");
	free(s);
	cr_assert_eq(file_check_new("/nonexistent-dir/r.json"), -ENOENT);
}

/* link() refuses a dangling symbolic link's name: the check at the start must say so too. */
Test(fileio, a_dangling_symbolic_link_exists)
{
	char path[PATH_MAX], target[PATH_MAX];

	path_of(path, "link.json");
	path_of(target, "nowhere/r.json");
	cr_assert_eq(symlink(target, path), 0);
	cr_assert_eq(file_check_new(path), -EEXIST);
	cr_assert_eq(file_check_output("test", path), -EEXIST);
	cr_assert_eq(file_write_new(path, "x", 1), -EEXIST);
}

/* A default name taken by a command of the same second: the next free number, exit 0. */
Test(fileio, a_default_name_takes_the_next_free_number)
{
	char path[PATH_MAX], saved[PATH_MAX], want[PATH_MAX], *s;
	const char *const cases[][3] = {
		/* name asked, names taken before it, name given */
		{ "q-T-host.json", "q-T-host.json", "q-T-host-2.json" },
		{ "q-T-host.json", "q-T-host.json q-T-host-2.json", "q-T-host-3.json" },
		{ "plain", "plain", "plain-2" },
		{ ".hidden", ".hidden", ".hidden-2" },
		{ "a.d/r", "a.d/r", "a.d/r-2" },
		{ "a.d/r.tar.gz", "a.d/r.tar.gz", "a.d/r.tar-2.gz" },
	};

	cr_assert_eq(mkdir((path_of(path, "a.d"), path), 0755), 0);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char taken[256], *save = NULL;

		snprintf(taken, sizeof(taken), "%s", cases[i][1]);
		for (char *t = strtok_r(taken, " ", &save); t; t = strtok_r(NULL, " ", &save)) {
			path_of(path, t);
			file_write_new(path, "old", 3);
		}
		path_of(path, cases[i][0]);
		cr_assert_eq(file_save("test", path, FILE_SAVE_ANY_NAME, "new", 3, saved,
				       sizeof(saved)), 0, "%s", cases[i][0]);
		path_of(want, cases[i][2]);
		cr_assert_str_eq(saved, want);
		cr_assert_str_eq(s = test_file_read(dir, cases[i][2]), "new");
		free(s);
		cr_assert_str_eq(s = test_file_read(dir, cases[i][0]), "old", "%s overwritten", cases[i][0]);
		free(s);
	}
	cr_assert_str_eq(s = test_dir_list(dir, "a.d"), "r\nr-2\nr.tar-2.gz\nr.tar.gz\n");
	free(s);
}

/* A name the user gave, made by someone else meanwhile: an error, and the data next to it. */
Test(fileio, a_taken_name_keeps_the_data_beside_it)
{
	char path[PATH_MAX], saved[PATH_MAX], want[PATH_MAX], *s;

	path_of(path, "r.json");
	cr_assert_eq(file_write_new(path, "theirs", 6), 0);
	cr_assert_eq(file_save("test", path, 0, "ours", 4, saved, sizeof(saved)), -EEXIST);
	path_of(want, "r-2.json");
	cr_assert_str_eq(saved, want);
	cr_assert_str_eq(s = test_file_read(dir, "r.json"), "theirs");
	free(s);
	cr_assert_str_eq(s = test_file_read(dir, "r-2.json"), "ours");
	free(s);
	cr_assert_str_eq(s = test_dir_list(dir, "."), "r-2.json\nr.json\n");
	free(s);
}

/* Its directory gone (or full, or read-only): an error, and the data in $TMPDIR. */
Test(fileio, an_unwritable_name_keeps_the_data_in_tmpdir)
{
	char path[PATH_MAX], saved[PATH_MAX], tmp[PATH_MAX], want[PATH_MAX], *s;

	path_of(tmp, "tmp");
	cr_assert_eq(mkdir(tmp, 0755), 0);
	cr_assert_eq(setenv("TMPDIR", tmp, 1), 0);
	path_of(path, "gone/r.json");
	cr_assert_eq(file_save("test", path, 0, "ours", 4, saved, sizeof(saved)), -ENOENT);
	path_of(want, "tmp/r.json");
	cr_assert_str_eq(saved, want);
	cr_assert_str_eq(s = test_file_read(dir, "tmp/r.json"), "ours");
	free(s);
	/* A default name likewise, numbered there when taken. */
	path_of(path, "gone/q.json");
	path_of(want, "tmp/q.json");
	cr_assert_eq(file_write_new(want, "theirs", 6), 0);
	cr_assert_eq(file_save("test", path, FILE_SAVE_ANY_NAME, "ours", 4, saved, sizeof(saved)),
		     -ENOENT);
	path_of(want, "tmp/q-2.json");
	cr_assert_str_eq(saved, want);
	cr_assert_str_eq(s = test_dir_list(dir, "tmp"), "q-2.json\nq.json\nr.json\n");
	free(s);
}
