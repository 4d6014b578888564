// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "folded.h"

struct folded *folded_new(void)
{
	return calloc(1, sizeof(struct folded));
}

void folded_free(struct folded *f)
{
	if (!f)
		return;
	for (size_t i = 0; i < f->nr; i++)
		free(f->lines[i].stack);
	free(f->lines);
	free(f->index);
	free(f);
}

static uint64_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ULL;	/* FNV-1a */

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

static size_t *index_slot(size_t *index, size_t cap, const struct folded_line *lines,
			  const char *stack)
{
	size_t i = hash_str(stack) & (cap - 1);

	while (index[i] && strcmp(lines[index[i] - 1].stack, stack))
		i = (i + 1) & (cap - 1);
	return &index[i];
}

static int index_grow(struct folded *f)
{
	size_t cap = f->index_cap ? f->index_cap * 2 : 1024;
	size_t *index = calloc(cap, sizeof(*index));

	if (!index)
		return -ENOMEM;
	for (size_t i = 0; i < f->nr; i++)
		*index_slot(index, cap, f->lines, f->lines[i].stack) = i + 1;
	free(f->index);
	f->index = index;
	f->index_cap = cap;
	return 0;
}

int folded_add(struct folded *f, const char *stack, unsigned long long count)
{
	size_t *slot;

	if (2 * (f->nr + 1) > f->index_cap && index_grow(f))
		return -ENOMEM;
	slot = index_slot(f->index, f->index_cap, f->lines, stack);
	if (*slot) {
		f->lines[*slot - 1].count += count;
		return 0;
	}
	if (f->nr == f->cap) {
		size_t cap = f->cap ? f->cap * 2 : 256;
		struct folded_line *tmp = realloc(f->lines, cap * sizeof(*tmp));

		if (!tmp)
			return -ENOMEM;
		f->lines = tmp;
		f->cap = cap;
	}
	f->lines[f->nr].stack = strdup(stack);
	if (!f->lines[f->nr].stack)
		return -ENOMEM;
	f->lines[f->nr].count = count;
	*slot = ++f->nr;
	return 0;
}

void folded_frame_push(struct strbuf *sb, const char *name)
{
	if (sb->len)
		strbuf_add(sb, ";", 1);
	for (; *name; name++) {
		char c = *name;

		/* ';' separates frames; a newline would end the line. */
		strbuf_add(sb, c == ';' ? ":" : (unsigned char)c < 0x20 ? "?" : &c, 1);
	}
}

static int cmp_stack(const void *a, const void *b)
{
	const struct folded_line *x = a, *y = b;

	return strcmp(x->stack, y->stack);
}

void folded_sort(struct folded *f)
{
	if (f->nr)		/* no lines: no array (NULL) */
		qsort(f->lines, f->nr, sizeof(*f->lines), cmp_stack);
	/* Positions moved: rebuild the index at the same size. */
	if (f->index) {
		memset(f->index, 0, f->index_cap * sizeof(*f->index));
		for (size_t i = 0; i < f->nr; i++)
			*index_slot(f->index, f->index_cap, f->lines, f->lines[i].stack) = i + 1;
	}
}

unsigned long long folded_total(const struct folded *f)
{
	unsigned long long sum = 0;

	for (size_t i = 0; i < f->nr; i++)
		sum += f->lines[i].count;
	return sum;
}

void folded_format(const struct folded *f, struct strbuf *sb)
{
	for (size_t i = 0; i < f->nr; i++)
		strbuf_addf(sb, "%s %llu\n", f->lines[i].stack, f->lines[i].count);
}

int folded_parse(struct folded *f, const char *text)
{
	while (*text) {
		size_t len = strcspn(text, "\n");
		char *line = strndup(text, len), *sp, *end;
		unsigned long long count;
		int err = 0;

		if (!line)
			return -ENOMEM;
		sp = strrchr(line, ' ');
		if (len && (!sp || sp == line)) {
			err = -EINVAL;
		} else if (len) {
			*sp = '\0';
			errno = 0;
			count = strtoull(sp + 1, &end, 10);
			if (errno || end == sp + 1 || *end)
				err = -EINVAL;
			else
				err = folded_add(f, line, count);
		}
		free(line);
		if (err)
			return err;
		text += len + (text[len] == '\n');
	}
	return 0;
}
