// SPDX-License-Identifier: GPL-2.0
#include <ctype.h>
#include <stdbool.h>
#include <errno.h>
#include <ini.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/fileio.h"
#include "lib/utf8.h"
#include "suite_text.h"

/* A section header or a key, as a span of the text. */
struct name {
	const char *p;
	size_t len;
	int group;	/* -1: a section header; else the sections before it (0: none) */
	int line;
};

struct names {
	struct name *v;
	size_t nr, cap;
	int sections;		/* headers so far */
	suite_section_fn section;
	void *arg;
	char *err;
	size_t sz;
};

__attribute__((format(printf, 4, 5)))
static int bad(int line, char *err, size_t sz, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, sz, fmt, ap);
	va_end(ap);
	return line;
}

static int line_of(const char *text, const char *at)
{
	int line = 1;

	for (const char *c = text; c < at; c++)
		line += *c == '\n';
	return line;
}

static int add(struct names *n, const char *p, size_t len, int group, int line)
{
	if (n->nr == n->cap) {
		size_t cap = n->cap ? n->cap * 2 : 64;
		struct name *v = realloc(n->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		n->v = v;
		n->cap = cap;
	}
	n->v[n->nr++] = (struct name){ p, len, group, line };
	return 0;
}

static bool same(const struct name *a, const struct name *b)
{
	return a->group == b->group && a->len == b->len && !memcmp(a->p, b->p, a->len);
}

/* By group, then name, then line: a name's first two lines end up side by side. */
static int cmp_name(const void *a, const void *b)
{
	const struct name *x = a, *y = b;
	int c;

	if (x->group != y->group)
		return x->group < y->group ? -1 : 1;
	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	c = memcmp(x->p, y->p, x->len);
	return c ? c : x->line - y->line;
}

/* The header of section 'group' (counted from 1), from the names in file order. */
static const struct name *header(const struct names *n, int group)
{
	for (size_t i = 0; i < n->nr; i++)
		if (n->v[i].group == -1 && !--group)
			return &n->v[i];
	return NULL;
}

/*
 * Of the keys given twice in a section, the one whose second line comes first: that line,
 * with both lines in err; 0 when none is (headers given twice are found as they are read).
 * Sorts a copy: header() needs the names in file order.
 */
static int twice(const struct names *n, char *err, size_t sz)
{
	struct name *s = malloc((n->nr ? n->nr : 1) * sizeof(*s));
	const struct name *first = NULL, *second = NULL, *h;
	int line;

	if (!s)
		return bad(1, err, sz, "out of memory");
	memcpy(s, n->v, n->nr * sizeof(*s));
	qsort(s, n->nr, sizeof(*s), cmp_name);
	for (size_t i = 1; i < n->nr; i++) {
		if (same(&s[i - 1], &s[i]) && (!second || s[i].line < second->line)) {
			first = &s[i - 1];
			second = &s[i];
		}
	}
	if (!second) {
		free(s);
		return 0;
	}
	line = second->line;
	h = second->group > 0 ? header(n, second->group) : NULL;
	if (h)
		bad(line, err, sz, "'%.*s' given twice in [%.*s] (lines %d and %d)",
		    (int)second->len, second->p, (int)h->len, h->p, first->line, line);
	else
		bad(line, err, sz, "'%.*s' given twice before any section (lines %d and %d)",
		    (int)second->len, second->p, first->line, line);
	free(s);
	return line;
}

/*
 * One line as libinih reads it (ini.c: a BOM on line 1 skipped, blanks stripped; a comment, a
 * blank line, a continuation, a [section] or a key): its section header or key added to n, a
 * header passed to n->section. *in_key: a key was read since the last header (libinih's
 * prev_name), so that an indented line continues it. 0, or the line with err said.
 */
static int scan_line(struct names *n, const char *line, size_t len, int lineno, bool *in_key)
{
	const char *start = line, *end = line + len, *close;
	char name[INI_MAX_LINE];
	struct name h;

	if (lineno == 1 && len >= 3 && !memcmp(line, "\xef\xbb\xbf", 3))
		start += 3;
	while (end > start && isspace((unsigned char)end[-1]))
		end--;
	while (start < end && isspace((unsigned char)*start))
		start++;
	if (start == end || *start == ';' || *start == '#')
		return 0;
	if (*in_key && start > line)
		return 0;
	if (*start == '[') {
		close = memchr(start + 1, ']', end - start - 1);
		if (!close)
			return 0;	/* libinih says so */
		*in_key = false;
		h = (struct name){ start + 1, close - start - 1, -1, lineno };
		snprintf(name, sizeof(name), "%.*s", (int)h.len, h.p);
		for (size_t i = 0; i < n->nr; i++)
			if (same(&n->v[i], &h))
				return bad(lineno, n->err, n->sz,
					   "[%s] given twice (lines %d and %d)", name,
					   n->v[i].line, lineno);
		n->sections++;
		if (add(n, h.p, h.len, -1, lineno))
			return bad(lineno, n->err, n->sz, "out of memory");
		return n->section(n->arg, name, lineno, n->err, n->sz) ? lineno : 0;
	}
	for (close = start; close < end && *close != '=' && *close != ':'; close++)
		;
	if (close == end)
		return 0;	/* libinih says so */
	while (close > start && isspace((unsigned char)close[-1]))
		close--;
	*in_key = true;
	return add(n, start, close - start, n->sections, lineno) ?
	       bad(lineno, n->err, n->sz, "out of memory") : 0;
}

int suite_text_check(const char *text, size_t len, suite_section_fn section, void *arg,
		     char *err, size_t sz)
{
	struct names n = { .section = section, .arg = arg, .err = err, .sz = sz };
	const char *line = text, *nl, *bad_byte = memchr(text, '\0', len);
	bool in_key = false;
	int lineno = 0, ret = 0;

	if (bad_byte)
		return bad(line_of(text, bad_byte), err, sz, "contains a NUL byte (offset %zu): a "
			   "suite file is text", (size_t)(bad_byte - text));
	bad_byte = utf8_invalid(text);
	if (bad_byte)
		return bad(line_of(text, bad_byte), err, sz, "not UTF-8 text: byte 0x%02x at "
			   "offset %zu", (unsigned char)*bad_byte, (size_t)(bad_byte - text));
	for (; line < text + len && !ret; line = nl + 1) {
		nl = memchr(line, '\n', text + len - line);
		if (!nl)
			nl = text + len;
		lineno++;
		/* libinih reads lines into INI_MAX_LINE bytes and parses the rest of a longer one
		 * as a line of its own. */
		if (nl - line >= INI_MAX_LINE - 1)
			ret = bad(lineno, err, sz, "line longer than %d characters; continue a "
				  "long list on indented lines below it", INI_MAX_LINE - 2);
		else
			ret = scan_line(&n, line, nl - line, lineno, &in_key);
	}
	/* A name given twice comes before the line that stopped the scan, if any. */
	lineno = twice(&n, err, sz);
	free(n.v);
	return lineno ? lineno : ret;
}

int suite_text_read(const char *path, char **text, size_t *len, char *err, size_t sz)
{
	const char *bad_byte = utf8_invalid(path);
	int ret;

	/* The result records the suite's path and name: JSON holds UTF-8 alone. */
	if (bad_byte) {
		snprintf(err, sz, "'%s': the file name is not UTF-8 text (byte 0x%02x at offset "
			 "%zu): rename it", path, (unsigned char)*bad_byte,
			 (size_t)(bad_byte - path));
		return -EINVAL;
	}
	ret = file_read_all(path, SUITE_TEXT_MAX, text, len);
	if (ret == -EISDIR)
		snprintf(err, sz, "'%s': is a directory, not a suite file", path);
	else if (ret == -EFBIG)
		snprintf(err, sz, "'%s': larger than %d MiB: not a suite file", path,
			 SUITE_TEXT_MAX >> 20);
	else if (ret)
		snprintf(err, sz, "cannot read suite '%s': %s", path, strerror(-ret));
	return ret;
}
