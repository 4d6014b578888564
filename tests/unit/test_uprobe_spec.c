// SPDX-License-Identifier: GPL-2.0
/* Library names as func-latency matches them: 'libc' is libc.so.6, not libcrypto.so.3. */
#include <criterion/criterion.h>

#include "attach/uprobe_spec.h"

Test(func_latency, library_names)
{
	cr_assert(uprobe_lib_match("libc.so.6", "libc"));
	cr_assert(uprobe_lib_match("libc.so.6", "libc.so"));
	cr_assert(uprobe_lib_match("libc.so.6", "libc.so.6"));
	cr_assert(uprobe_lib_match("libfoo.so.1.2.3", "libfoo.so.1"));
	cr_assert(uprobe_lib_match("libc.so", "libc"));
	cr_assert_not(uprobe_lib_match("libcrypto.so.3", "libc"));
	cr_assert_not(uprobe_lib_match("libc.so.6", "lib"));
	cr_assert_not(uprobe_lib_match("libc-2.31.so", "libc"));
	cr_assert_not(uprobe_lib_match("libc.so.6", ""));
}
