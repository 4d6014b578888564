// SPDX-License-Identifier: GPL-2.0
/* This process's own addresses to names through /proc/self/maps and ELF symbols. */
#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "usyms.h"

/* A function of the test binary, found by name in its symbol table. */
int usyms_test_target(int x);

__attribute__((noinline)) int usyms_test_target(int x)
{
	return x * 3 + 1;
}

Test(usyms, own_function_and_libc)
{
	struct usyms *u = usyms_new();
	struct usym sym;
	int on_stack = 0;

	cr_assert_not_null(u, "/proc/self/maps: %s", strerror(errno));
	cr_assert_eq(usyms_lookup(u, (unsigned long)usyms_test_target + 4, &sym), 0);
	cr_assert_str_eq(sym.name, "usyms_test_target");
	cr_assert_eq(sym.off, 4);
	cr_assert(strstr(sym.path, "bpfgauge-tests"), "path %s", sym.path);
	cr_assert_eq(usyms_lookup(u, (unsigned long)getpid, &sym), 0);
	cr_assert(sym.name && strstr(sym.name, "getpid"), "getpid is %s", sym.name);
	cr_assert(strstr(sym.path, "libc"), "path %s", sym.path);
	cr_assert_eq(usyms_lookup(u, (unsigned long)&on_stack, &sym), -ENOENT, "the stack");
	usyms_free(u);
}
