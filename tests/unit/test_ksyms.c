// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel symbols against fixtures, kallsyms text with known answers. Loads that must also
 * accept hidden addresses pass KSYMS_ALLOW_HIDDEN; those that must not pass 0.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/ksyms.h"

#define FIXTURE "tests/fixtures/kallsyms"

/* The name ksyms_lookup() gives, or NULL. */
static const char *lookup_name(const struct ksyms *ks, unsigned long addr, unsigned long *off)
{
	const struct ksym *sym = ksyms_lookup(ks, addr, off);

	return sym ? sym->name : NULL;
}

static void assert_lookup(const struct ksyms *ks, unsigned long addr, const char *name,
			  unsigned long want_off)
{
	unsigned long off = ~0UL;
	const char *got = lookup_name(ks, addr, &off);

	cr_assert_not_null(got, "0x%lx: no symbol, expected %s", addr, name);
	cr_assert_str_eq(got, name, "0x%lx", addr);
	cr_assert_eq(off, want_off, "0x%lx: offset 0x%lx", addr, off);
}

Test(ksyms, fixture_text_symbols_only)
{
	struct ksyms *ks = ksyms_load(FIXTURE, KSYMS_ALLOW_HIDDEN);

	cr_assert_not_null(ks, "%s: %s", FIXTURE, strerror(errno));
	/* t, T, W lines; not the A and D ones, nor the garbage line. */
	cr_assert_eq(ksyms_count(ks), 9);
	cr_assert_not(ksyms_hidden(ks));
	cr_assert_eq(ksyms_addr(ks, "global_fn"), 0xffffffff81000300UL);
	cr_assert_eq(ksyms_addr(ks, "some_data"), 0);
	cr_assert_eq(ksyms_addr(ks, "no_such_function"), 0);
	ksyms_free(ks);
}

Test(ksyms, fixture_lookups)
{
	struct ksyms *ks = ksyms_load(FIXTURE, KSYMS_ALLOW_HIDDEN);

	cr_assert_not_null(ks);
	/* Three names at one address: the first global one in the file. */
	assert_lookup(ks, 0xffffffff81000000UL, "_stext", 0);
	assert_lookup(ks, 0xffffffff81000150UL, "helper_local", 0x50);
	/* A data symbol does not end a function. */
	assert_lookup(ks, 0xffffffff81000250UL, "helper_local", 0x150);
	assert_lookup(ks, 0xffffffff81000401UL, "weak_fn", 1);
	/* The unsorted tail (modules, BPF programs) is sorted in; module names are cut off. */
	assert_lookup(ks, 0xffffffffc0000010UL, "mod_fn", 0x10);
	assert_lookup(ks, 0xffffffffc0001010UL, "bpf_prog_0123456789abcdef_on_x", 0x10);
	cr_assert_null(ksyms_lookup(ks, 0xffffffff80000000UL, NULL), "below the first symbol");
	cr_assert_null(ksyms_lookup(ks, 0xffffffffc0002000UL, NULL), "a page past the last");
	ksyms_free(ks);
}

/* The merged parser keeps what follows the name: the module, "bpf" for BPF programs. */
Test(ksyms, fixture_modules)
{
	struct ksyms *ks = ksyms_load(FIXTURE, 0);
	const struct ksym *sym;

	cr_assert_not_null(ks, "%s: %s", FIXTURE, strerror(errno));
	sym = ksyms_lookup(ks, 0xffffffffc0000010UL, NULL);
	cr_assert_not_null(sym);
	cr_assert_str_eq(sym->module, "some_module");
	sym = ksyms_lookup(ks, 0xffffffffc0001001UL, NULL);
	cr_assert_not_null(sym);
	cr_assert_str_eq(sym->module, "bpf");
	sym = ksyms_lookup(ks, 0xffffffff81000300UL, NULL);
	cr_assert_not_null(sym);
	cr_assert_str_eq(sym->name, "global_fn");
	cr_assert_str_eq(sym->module, "");
	ksyms_free(ks);
}

Test(ksyms, fixture_hidden_and_missing)
{
	struct ksyms *ks = ksyms_load("tests/fixtures/kallsyms_hidden", KSYMS_ALLOW_HIDDEN);

	cr_assert_not_null(ks);
	cr_assert(ksyms_hidden(ks));
	cr_assert_null(ksyms_lookup(ks, 0, NULL));
	ksyms_free(ks);
	cr_assert_null(ksyms_load("/nonexistent/kallsyms", KSYMS_ALLOW_HIDDEN));
	cr_assert_eq(errno, ENOENT);
}

Test(ksyms, zeroed_addresses_are_eperm)
{
	char path[] = "/tmp/bpfgauge-kallsyms-XXXXXX";
	const char text[] = "0000000000000000 T _stext\n0000000000000000 t foo\t[mod]\n";
	int fd = mkstemp(path);

	cr_assert_geq(fd, 0);
	cr_assert_eq(write(fd, text, sizeof(text) - 1), (ssize_t)sizeof(text) - 1);
	close(fd);
	cr_assert_null(ksyms_load(path, 0));
	cr_assert_eq(errno, EPERM);
	unlink(path);
}
