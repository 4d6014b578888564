// SPDX-License-Identifier: GPL-2.0
#include <string.h>

#include "utf8.h"

size_t utf8_len(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	unsigned char lo = 0x80, hi = 0xbf;	/* the second byte's range */
	size_t n;

	if (u[0] < 0x80)
		return 1;
	if (u[0] < 0xc2 || u[0] > 0xf4)		/* a continuation byte, overlong or too high */
		return 0;
	n = u[0] < 0xe0 ? 2 : u[0] < 0xf0 ? 3 : 4;
	if (u[0] == 0xe0)
		lo = 0xa0;			/* overlong below U+0800 */
	else if (u[0] == 0xed)
		hi = 0x9f;			/* surrogates */
	else if (u[0] == 0xf0)
		lo = 0x90;			/* overlong below U+10000 */
	else if (u[0] == 0xf4)
		hi = 0x8f;			/* above U+10FFFF */
	if (u[1] < lo || u[1] > hi)
		return 0;
	for (size_t i = 2; i < n; i++)
		if ((u[i] & 0xc0) != 0x80)
			return 0;
	return n;
}

const char *utf8_invalid(const char *s)
{
	while (*s) {
		size_t n = utf8_len(s);

		if (!n)
			return s;
		s += n;
	}
	return NULL;
}

size_t utf8_cut(const char *s, size_t max)
{
	size_t n = strnlen(s, max);

	/* Cut before a continuation byte: back to the start of its character. */
	if (n == max)
		while (n && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
	return n;
}
