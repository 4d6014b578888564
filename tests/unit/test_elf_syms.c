// SPDX-License-Identifier: GPL-2.0
/* ELF symbol lookup against a PIE built for the purpose, cross-checked with readelf. */
#include <criterion/criterion.h>
#include <elf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/elf_syms.h"
#include "support.h"

#define TARGET "build/tests/elf_target"

/* Value and file offset of a symbol as readelf and the section table say. */
static void readelf_sym(const char *name, unsigned long *value, unsigned long *file_off)
{
	char cmd[512], *out;
	unsigned long sh_addr, sh_off;
	int ndx;

	snprintf(cmd, sizeof(cmd), "readelf -sW %s | awk '$8 == \"%s\" {print $2, $7; exit}'",
		 TARGET, name);
	out = sh(cmd, NULL);
	cr_assert_eq(sscanf(out, "%lx %d", value, &ndx), 2, "readelf: '%s'", out);
	free(out);
	snprintf(cmd, sizeof(cmd), "readelf -SW %s | sed 's/\\[ */[/' | "
		 "awk '$1 == \"[%d]\" {print $4, $5}'", TARGET, ndx);
	out = sh(cmd, NULL);
	cr_assert_eq(sscanf(out, "%lx %lx", &sh_addr, &sh_off), 2, "readelf -S: '%s'", out);
	free(out);
	*file_off = *value - sh_addr + sh_off;
}

Test(elf_syms, offsets_match_readelf)
{
	struct elf_syms *s = elf_syms_open(TARGET);
	const char *names[] = { "elf_target_add", "elf_target_static", "main" };

	cr_assert_not_null(s, "open %s: %s", TARGET, strerror(errno));
	for (size_t i = 0; i < 3; i++) {
		unsigned long value, file_off, size = 0;

		readelf_sym(names[i], &value, &file_off);
		cr_assert_eq(elf_syms_offset(s, names[i], &size), (long)file_off, "%s", names[i]);
		cr_assert_gt(size, 0);
		cr_assert_eq(elf_syms_file_to_vaddr(s, file_off), (long)value);
	}
	elf_syms_free(s);
}

Test(elf_syms, lookup_inside_and_outside_functions)
{
	struct elf_syms *s = elf_syms_open(TARGET);
	unsigned long value, file_off, off = 99;
	const char *name;

	cr_assert_not_null(s);
	readelf_sym("elf_target_add", &value, &file_off);
	name = elf_syms_lookup(s, value + 1, &off);
	cr_assert_str_eq(name, "elf_target_add");
	cr_assert_eq(off, 1);
	cr_assert_null(elf_syms_lookup(s, 0x10, NULL), "address below every function");
	cr_assert_eq(elf_syms_offset(s, "no_such_function", NULL), -ENOENT);
	elf_syms_free(s);
}

Test(elf_syms, not_elf_or_missing)
{
	cr_assert_null(elf_syms_open("/nonexistent"));
	cr_assert_eq(errno, ENOENT);
	cr_assert_null(elf_syms_open("Makefile"));
	cr_assert_eq(errno, ENOEXEC);
}

/* An ELF file with no function symbol at all (no sections: a stripped static program has none
 * either) opens, with nothing to find in it. */
Test(elf_syms, no_functions)
{
	Elf64_Ehdr eh = { .e_ident = { ELFMAG0, ELFMAG1, ELFMAG2, ELFMAG3, ELFCLASS64, ELFDATA2LSB,
				       EV_CURRENT },
			  .e_type = ET_EXEC, .e_machine = EM_X86_64, .e_version = EV_CURRENT,
			  .e_ehsize = sizeof(eh) };
	char dir[] = "/tmp/bpfgauge-elf-XXXXXX", path[64];
	struct elf_syms *s;
	size_t nr_dyn = 99;
	FILE *f;

	test_dir_make(dir);
	snprintf(path, sizeof(path), "%s/empty", dir);
	f = fopen(path, "w");
	cr_assert_not_null(f);
	cr_assert_eq(fwrite(&eh, sizeof(eh), 1, f), 1);
	fclose(f);
	s = elf_syms_open(path);
	cr_assert_not_null(s, "open %s: %s", path, strerror(errno));
	cr_assert(elf_syms_stripped(s, &nr_dyn));
	cr_assert_eq(nr_dyn, 0);
	cr_assert_eq(elf_syms_offset(s, "main", NULL), -ENOENT);
	cr_assert_null(elf_syms_lookup(s, 0x401000, NULL));
	cr_assert_eq(elf_syms_file_to_vaddr(s, 0), -1);
	elf_syms_free(s);
	test_dir_remove(dir);
}
