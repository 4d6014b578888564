/* SPDX-License-Identifier: GPL-2.0 */
/*
 * UTF-8 as JSON (jansson refuses anything else) and XML take it: shortest forms only, no
 * surrogates (U+D800..U+DFFF), nothing above U+10FFFF.
 *
 *   utf8_len(s)       the length of the valid sequence s starts with (1 to 4), 0 when it is
 *                     not one; s is NUL-terminated (a NUL ends a sequence: it is never read
 *                     past)
 *   utf8_invalid(s)   the first byte of s that does not start a valid sequence, or NULL when
 *                     all of s (NUL-terminated) is UTF-8
 *   utf8_cut(s, max)  how many of the first max bytes of s (all of s when shorter) to keep
 *                     so as not to cut a character of UTF-8 text in two
 */
#ifndef BPFGAUGE_UTF8_H
#define BPFGAUGE_UTF8_H

#include <stddef.h>

size_t utf8_len(const char *s);
const char *utf8_invalid(const char *s);
size_t utf8_cut(const char *s, size_t max);

#endif
