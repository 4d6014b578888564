// SPDX-License-Identifier: GPL-2.0
/* ELF symbol lookup in a shared library of the real binary (its libelf, as ldd finds it). */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "lib/elf_syms.h"
#include "support.h"

Test(elf_syms, shared_library_dynsym)
{
	char *path = sh("ldd build/bpfgauge | awk '/libelf/ {print $3}'", NULL);
	struct elf_syms *s;

	path[strcspn(path, "\n")] = '\0';
	s = elf_syms_open(path);
	cr_assert_not_null(s, "open '%s'", path);
	cr_assert_gt(elf_syms_offset(s, "elf_begin", NULL), 0);
	elf_syms_free(s);
	free(path);
}
