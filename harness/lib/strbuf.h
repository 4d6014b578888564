/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A growable string, git's strbuf in miniature, for building output files in memory before
 * they are written atomically.
 *
 *   struct strbuf sb = STRBUF_INIT;
 *   strbuf_addf(&sb, "%d", n);        appends; on allocation failure sb.failed is set and
 *   strbuf_add(&sb, data, len);       later additions are ignored, so check once at the end
 *   strbuf_release(&sb);              frees and re-initialises
 */
#ifndef BPFGAUGE_STRBUF_H
#define BPFGAUGE_STRBUF_H

#include <stdbool.h>
#include <stddef.h>

struct strbuf {
	char *buf;	/* NUL-terminated when len > 0 */
	size_t len, cap;
	bool failed;
};

#define STRBUF_INIT { NULL, 0, 0, false }

void strbuf_add(struct strbuf *sb, const char *data, size_t len);
void strbuf_adds(struct strbuf *sb, const char *s);
__attribute__((format(printf, 2, 3)))
void strbuf_addf(struct strbuf *sb, const char *fmt, ...);
/* Appends s with &, <, >, " and ' escaped for XML text and attributes. */
void strbuf_add_xml(struct strbuf *sb, const char *s);
void strbuf_release(struct strbuf *sb);

#endif
