/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Folded stacks, the format flamegraph.pl, speedscope and inferno read: one line per stack,
 * frames root first separated by ';', a space, and a count ("comm;main;work 42\n").
 * Identical stacks are summed.
 *
 *   folded_new() / folded_free(f)
 *   folded_add(f, stack, count)       0 or -ENOMEM; sums into an existing identical stack
 *   folded_frame_push(&sb, name)      appends ";name" (no ';' first when sb is empty) with
 *                                     ';' and control characters in the name replaced
 *   folded_sort(f)                    lines in byte order of their stacks (flamegraph.pl's)
 *   folded_total(f)                   sum of the counts
 *   folded_format(f, &sb)             the text
 *   folded_parse(f, text)             adds the lines of a folded text; 0 or -EINVAL
 */
#ifndef BPFGAUGE_FOLDED_H
#define BPFGAUGE_FOLDED_H

#include <stddef.h>

#include "lib/strbuf.h"

struct folded_line {
	char *stack;
	unsigned long long count;
};

struct folded {
	struct folded_line *lines;
	size_t nr, cap;
	size_t *index;		/* open-addressing hash of line numbers + 1; 0 is empty */
	size_t index_cap;
};

struct folded *folded_new(void);
void folded_free(struct folded *f);
int folded_add(struct folded *f, const char *stack, unsigned long long count);
void folded_frame_push(struct strbuf *sb, const char *name);
void folded_sort(struct folded *f);
unsigned long long folded_total(const struct folded *f);
void folded_format(const struct folded *f, struct strbuf *sb);
int folded_parse(struct folded *f, const char *text);

#endif
