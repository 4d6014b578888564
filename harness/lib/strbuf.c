// SPDX-License-Identifier: GPL-2.0
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"
#include "utf8.h"

static bool strbuf_grow(struct strbuf *sb, size_t extra)
{
	size_t cap = sb->cap ? sb->cap : 256;
	char *tmp;

	if (sb->failed)
		return false;
	while (cap < sb->len + extra + 1)
		cap *= 2;
	if (cap == sb->cap)
		return true;
	tmp = realloc(sb->buf, cap);
	if (!tmp) {
		sb->failed = true;
		return false;
	}
	sb->buf = tmp;
	sb->cap = cap;
	return true;
}

void strbuf_add(struct strbuf *sb, const char *data, size_t len)
{
	if (!strbuf_grow(sb, len))
		return;
	memcpy(sb->buf + sb->len, data, len);
	sb->len += len;
	sb->buf[sb->len] = '\0';
}

void strbuf_adds(struct strbuf *sb, const char *s)
{
	strbuf_add(sb, s, strlen(s));
}

void strbuf_addf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || !strbuf_grow(sb, n))
		return;
	va_start(ap, fmt);
	vsnprintf(sb->buf + sb->len, n + 1, fmt, ap);
	va_end(ap);
	sb->len += n;
}

void strbuf_add_xml(struct strbuf *sb, const char *s)
{
	for (; *s; s++) {
		if ((unsigned char)*s >= 0x80) {
			size_t n = utf8_len(s);

			/* Invalid UTF-8 would make the whole document ill-formed. */
			if (!n) {
				strbuf_add(sb, "?", 1);
				continue;
			}
			strbuf_add(sb, s, n);
			s += n - 1;
			continue;
		}
		switch (*s) {
		case '&': strbuf_adds(sb, "&amp;"); break;
		case '<': strbuf_adds(sb, "&lt;"); break;
		case '>': strbuf_adds(sb, "&gt;"); break;
		case '"': strbuf_adds(sb, "&quot;"); break;
		case '\'': strbuf_adds(sb, "&apos;"); break;
		default:
			/* XML 1.0 forbids most control characters even when escaped. */
			if ((unsigned char)*s < 0x20 && *s != '\t')
				strbuf_add(sb, "?", 1);
			else
				strbuf_add(sb, s, 1);
		}
	}
}

void strbuf_release(struct strbuf *sb)
{
	free(sb->buf);
	*sb = (struct strbuf)STRBUF_INIT;
}
