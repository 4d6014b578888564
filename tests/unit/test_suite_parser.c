// SPDX-License-Identifier: GPL-2.0
/*
 * A suite file's text before libinih reads it (run/suite_text.h): what libinih would take
 * without a word and mean nothing by.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "run/suite_text.h"
#include "support.h"

struct sections {
	char names[8][64];
	int lines[8];
	int nr;
	const char *refuse;	/* a section to refuse, saying so */
};

static int on_section(void *arg, const char *name, int line, char *err, size_t sz)
{
	struct sections *s = arg;

	if (s->refuse && !strcmp(name, s->refuse)) {
		snprintf(err, sz, "refused [%s]", name);
		return 1;
	}
	if (s->nr < 8) {
		snprintf(s->names[s->nr], sizeof(s->names[0]), "%s", name);
		s->lines[s->nr++] = line;
	}
	return 0;
}

/* The text (of len bytes, NULs included) checked: its line, or 0; the message in err. */
static int check(const char *text, size_t len, struct sections *s, char *err, size_t sz)
{
	struct sections none = {};

	err[0] = '\0';
	return suite_text_check(text, len, on_section, s ? s : &none, err, sz);
}

#define CHECK(text, s, err) check(text, sizeof(text) - 1, s, err, sizeof(err))

Test(suite_text, good_text_passes_with_its_sections_in_order)
{
	struct sections s = {};
	char err[256];

	cr_assert_eq(CHECK("; comment\n# another\n[suite]\ndescription = caf\xc3\xa9 \xe2\x82\xac\n"
			   "reps = 3\n\n[checks]\nrun = jit,\n  btf\n\trun_like = continued\n"
			   "require = jit\n[bench attach-overhead]\nreps = 2\n"
			   "[bench tool-overhead]\nreps = 2\n", &s, err), 0, "%s", err);
	cr_assert_eq(s.nr, 4);
	cr_assert_str_eq(s.names[0], "suite");
	cr_assert_eq(s.lines[0], 3);
	cr_assert_str_eq(s.names[2], "bench attach-overhead");
	cr_assert_eq(s.lines[2], 12);
	cr_assert_eq(s.lines[3], 14);
	/* A BOM on line 1, as libinih skips it; a last line without its newline. */
	cr_assert_eq(CHECK("\xef\xbb\xbf[suite]\nreps = 1\nreps2 = 1", NULL, err), 0, "%s", err);
}

/* "reps = 5\0junk": libinih's line ends at the NUL and reads 5. */
Test(suite_text, nul_bytes_are_refused_with_line_and_offset)
{
	char err[256];

	cr_assert_eq(CHECK("[suite]\nreps = 5\0junk\n", NULL, err), 2);
	cr_assert(strstr(err, "contains a NUL byte (offset 16)"), "%s", err);
	cr_assert_eq(CHECK("\0\0\0\0", NULL, err), 1);
	cr_assert(strstr(err, "offset 0"), "%s", err);
}

Test(suite_text, text_that_is_not_utf8_is_refused_with_line_and_offset)
{
	char err[256];

	cr_assert_eq(CHECK("[suite]\ndescription = caf\xe9\n", NULL, err), 2);
	cr_assert(strstr(err, "not UTF-8 text: byte 0xe9 at offset 25"), "%s", err);
	cr_assert_eq(CHECK("[suite]\n\n\n; \xc0\xaf overlong '/'\n", NULL, err), 4, "%s", err);
	cr_assert_eq(CHECK("[suite]\n; \xed\xa0\x80 a surrogate\n", NULL, err), 2, "%s", err);
	cr_assert_eq(CHECK("[suite]\n; \xf4\x90\x80\x80 above U+10FFFF\n", NULL, err), 2);
	cr_assert_eq(CHECK("[suite]\n; cut \xe2\x82", NULL, err), 2, "%s", err);
}

Test(suite_text, keys_given_twice_in_a_section_name_both_lines)
{
	char err[256];

	cr_assert_eq(CHECK("[suite]\nreps = 2\nseconds = 1\nreps = 3\n", NULL, err), 4);
	cr_assert_str_eq(err, "'reps' given twice in [suite] (lines 2 and 4)");
	cr_assert_eq(CHECK("[checks]\nrun = all\n  jit\nrequire = btf\nrun : none\n", NULL, err),
		     5);
	cr_assert_str_eq(err, "'run' given twice in [checks] (lines 2 and 5)");
	/* The first line given twice is said, wherever its first came. */
	cr_assert_eq(CHECK("[suite]\nseconds = 1\nreps = 2\nreps = 3\nseconds = 2\n", NULL, err),
		     4);
	cr_assert(strstr(err, "'reps'"), "%s", err);
	/* The same key in two sections is two keys. */
	cr_assert_eq(CHECK("[bench a]\nreps = 1\n[bench b]\nreps = 1\n", NULL, err), 0, "%s", err);
	/* An indented line below a section header is a key, not a continuation. */
	cr_assert_eq(CHECK("[suite]\n  reps = 1\nreps = 2\n", NULL, err), 3, "%s", err);
}

Test(suite_text, sections_given_twice_name_both_lines)
{
	struct sections s = {};
	char err[256];

	cr_assert_eq(CHECK("[suite]\nreps = 1\n[checks]\nrun = all\n[suite]\n", &s, err), 5);
	cr_assert_str_eq(err, "[suite] given twice (lines 1 and 5)");
	cr_assert_eq(s.nr, 2, "the second [suite] is not passed on");
	cr_assert_eq(CHECK("[bench x]\n[bench y]\n[bench x]\n", NULL, err), 3);
	cr_assert_str_eq(err, "[bench x] given twice (lines 1 and 3)");
}

Test(suite_text, the_first_problem_in_file_order_is_said)
{
	struct sections s = { .refuse = "bogus" };
	char err[256], text[512];

	cr_assert_eq(CHECK("[suite]\nreps = 1\n[bogus]\nreps = 1\n", &s, err), 3);
	cr_assert_str_eq(err, "refused [bogus]");
	/* A key given twice before the refused section comes first. */
	cr_assert_eq(CHECK("[suite]\nreps = 1\nreps = 2\n[bogus]\n", &s, err), 3);
	cr_assert(strstr(err, "given twice"), "%s", err);
	/* A line libinih would cut in two. */
	snprintf(text, sizeof(text), "[suite]\ndescription = %0220d\n", 0);
	cr_assert_eq(check(text, strlen(text), NULL, err, sizeof(err)), 2);
	cr_assert(strstr(err, "line longer than 198 characters"), "%s", err);
}

Test(suite_text, read_refuses_directories_large_files_and_names_not_utf8)
{
	char dir[] = "/tmp/bpfgauge-suite-text-XXXXXX", path[256], err[256], *text = NULL;
	size_t len;
	FILE *f;

	test_dir_make(dir);
	cr_assert_eq(suite_text_read(dir, &text, &len, err, sizeof(err)), -EISDIR);
	cr_assert(strstr(err, "is a directory"), "%s", err);
	snprintf(path, sizeof(path), "%s/big.suite", dir);
	f = fopen(path, "w");
	cr_assert(f && !ftruncate(fileno(f), SUITE_TEXT_MAX + 1));
	fclose(f);
	cr_assert_eq(suite_text_read(path, &text, &len, err, sizeof(err)), -EFBIG);
	cr_assert(strstr(err, "larger than 1 MiB"), "%s", err);
	test_file_write(dir, "ok.suite", "[checks]\nrun = all\n");
	snprintf(path, sizeof(path), "%s/ok.suite", dir);
	cr_assert_eq(suite_text_read(path, &text, &len, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(len, 19);
	cr_assert_str_eq(text, "[checks]\nrun = all\n");
	free(text);
	snprintf(path, sizeof(path), "%s/caf\xe9.suite", dir);
	cr_assert_eq(suite_text_read(path, &text, &len, err, sizeof(err)), -EINVAL);
	cr_assert(strstr(err, "the file name is not UTF-8 text"), "%s", err);
	test_dir_remove(dir);
}
