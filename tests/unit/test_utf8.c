// SPDX-License-Identifier: GPL-2.0
/* UTF-8 as a result's JSON and XML take it: what is and is not, and where to cut. */
#include <criterion/criterion.h>

#include "lib/utf8.h"

Test(utf8, lengths_and_what_is_not_utf8)
{
	cr_assert_eq(utf8_len("a"), 1);
	cr_assert_eq(utf8_len("\xc3\xa9"), 2);
	cr_assert_eq(utf8_len("\xe2\x82\xac"), 3);
	cr_assert_eq(utf8_len("\xf0\x9f\x98\x80"), 4);
	cr_assert_eq(utf8_len("\xf4\x8f\xbf\xbf"), 4, "U+10FFFF");
	cr_assert_eq(utf8_len("\xc0\x80"), 0, "overlong NUL");
	cr_assert_eq(utf8_len("\xe0\x80\xaf"), 0, "overlong");
	cr_assert_eq(utf8_len("\xf0\x80\x80\xaf"), 0, "overlong");
	cr_assert_eq(utf8_len("\xed\xbf\xbf"), 0, "surrogate");
	cr_assert_eq(utf8_len("\xf4\x90\x80\x80"), 0, "above U+10FFFF");
	cr_assert_eq(utf8_len("\x80"), 0, "a continuation byte alone");
	cr_assert_eq(utf8_len("\xe2\x82"), 0, "cut by the end");
	cr_assert_null(utf8_invalid("plain, caf\xc3\xa9"));
	cr_assert_str_eq(utf8_invalid("caf\xe9!"), "\xe9!");
}

Test(utf8, cut_keeps_characters_whole)
{
	cr_assert_eq(utf8_cut("caf\xc3\xa9", 4), 3, "not between the two bytes of \xc3\xa9");
	cr_assert_eq(utf8_cut("caf\xc3\xa9", 5), 5);
	cr_assert_eq(utf8_cut("caf\xc3\xa9", 64), 5, "shorter than max");
	cr_assert_eq(utf8_cut("\xe2\x82\xac", 2), 0);
}
