/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A suite file's text, checked whole before libinih reads it for what libinih would take
 * without a word: a NUL byte (libinih's lines end there: "reps = 5\0junk" would read as 5),
 * text that is not UTF-8 (a result, JSON, holds only UTF-8: the run would be lost at the
 * end), a line longer than libinih reads (it parses the rest as a line of its own), a
 * section given twice, a key given twice in a section (the last would win in silence). Lines
 * are found as libinih finds them: comments (';' or '#'), blank lines and indented lines
 * below a key (they continue its value) are neither keys nor sections.
 *
 *   SUITE_TEXT_MAX                 the largest suite file read: 1 MiB
 *   suite_text_read(path, &text, &len, err, sz)   the whole file, NUL-terminated and
 *                                  malloc'd: 0, or -errno with "'PATH': what is wrong" in err
 *                                  (a name that is not UTF-8, which no result can hold: -EINVAL;
 *                                  a directory: -EISDIR; larger than SUITE_TEXT_MAX: -EFBIG)
 *   suite_text_check(text, len, section, arg, err, sz)   0, or the line (from 1) of the first
 *                                  problem with what is wrong in err: a NUL byte or a byte
 *                                  that is not UTF-8 (with its offset in the file), a long
 *                                  line, a section or key given twice (with the lines of
 *                                  both), or what section() said. section(arg, name, line,
 *                                  err, sz) is called for each section header in file order
 *                                  (once the whole text is known to be NUL-free UTF-8) and
 *                                  returns 0, or nonzero with what is wrong in err
 */
#ifndef BPFGAUGE_SUITE_TEXT_H
#define BPFGAUGE_SUITE_TEXT_H

#include <stddef.h>

#define SUITE_TEXT_MAX (1 << 20)

int suite_text_read(const char *path, char **text, size_t *len, char *err, size_t sz);

typedef int (*suite_section_fn)(void *arg, const char *name, int line, char *err, size_t sz);

int suite_text_check(const char *text, size_t len, suite_section_fn section, void *arg,
		     char *err, size_t sz);

#endif
