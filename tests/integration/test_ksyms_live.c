// SPDX-License-Identifier: GPL-2.0
/* Kernel symbols of the running kernel, against /proc/kallsyms as the test reads it with awk. */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "integration.h"
#include "lib/ksyms.h"
#include "support.h"

/* The name ksyms_lookup() gives, or NULL. */
static const char *lookup_name(const struct ksyms *ks, unsigned long addr, unsigned long *off)
{
	const struct ksym *sym = ksyms_lookup(ks, addr, off);

	return sym ? sym->name : NULL;
}

/* Names of text symbols at an address, as the test reads /proc/kallsyms itself. */
static char *kallsyms_names_at(const char *addr)
{
	char cmd[256];

	snprintf(cmd, sizeof(cmd), "awk '$1 == \"%s\" && $2 ~ /^[tTwW]$/ {print $3}' "
		 "/proc/kallsyms", addr);
	return sh(cmd, NULL);
}

Test(ksyms, live_kallsyms_addresses_map_back)
{
	char *out, *line, *save = NULL;
	struct ksyms *ks;
	int checked = 0;

	if (!evidence_root())
		cr_skip_test("needs root to read kernel addresses");
	ks = ksyms_load(NULL, KSYMS_ALLOW_HIDDEN);
	cr_assert_not_null(ks, "/proc/kallsyms: %s", strerror(errno));
	out = sh("awk '$2 == \"T\" && $3 ~ /^(vfs_read|ksys_read|schedule|do_syscall_64)$/ "
		 "{print $1, $3}' /proc/kallsyms", NULL);
	for (line = strtok_r(out, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char addr_hex[32], name[128], *aliases;
		unsigned long addr, off;
		const char *got;

		cr_assert_eq(sscanf(line, "%31s %127s", addr_hex, name), 2, "'%s'", line);
		addr = strtoul(addr_hex, NULL, 16);
		if (!addr) {
			cr_assert(ksyms_hidden(ks), "kallsyms shows 0 for %s", name);
			continue;
		}
		cr_assert_eq(ksyms_addr(ks, name), addr, "%s", name);
		got = lookup_name(ks, addr, &off);
		cr_assert_not_null(got, "%s at %s", name, addr_hex);
		cr_assert_eq(off, 0);
		/* Another name at the same address is as right. */
		aliases = kallsyms_names_at(addr_hex);
		cr_assert(strstr(aliases, got), "%s: got %s, kallsyms has %s", addr_hex, got,
			  aliases);
		free(aliases);
		got = lookup_name(ks, addr + 1, &off);
		cr_assert_not_null(got);
		cr_assert_eq(off, 1, "%s+1", name);
		checked++;
	}
	free(out);
	cr_assert_geq(checked, 2, "found too few well-known functions in /proc/kallsyms");
	ksyms_free(ks);
}

Test(ksyms, live_count_matches_awk)
{
	struct ksyms *ks = ksyms_load(NULL, KSYMS_ALLOW_HIDDEN);
	char *out;
	long awk_count;

	cr_assert_not_null(ks);
	out = sh("awk '$2 ~ /^[tTwW]$/' /proc/kallsyms | wc -l", NULL);
	awk_count = atol(out);
	free(out);
	/* BPF programs come and go between the two reads: a few may differ. */
	cr_assert_gt(awk_count, 1000);
	cr_assert_lt(labs((long)ksyms_count(ks) - awk_count), 100, "ksyms %zu, awk %ld",
		     ksyms_count(ks), awk_count);
	ksyms_free(ks);
}

Test(ksyms, lookup_matches_kallsyms)
{
	struct ksyms *ks;
	const struct ksym *sym;
	unsigned long addr;
	char *out;

	if (!evidence_root())
		cr_skip("kallsyms shows addresses to root only");
	out = sh("awk '$3 == \"vfs_read\" && ($2 == \"T\" || $2 == \"t\") {print $1; exit}' "
		 "/proc/kallsyms", NULL);
	addr = strtoul(out, NULL, 16);
	free(out);
	cr_assert_neq(addr, 0, "no vfs_read address in /proc/kallsyms");
	ks = ksyms_load("/proc/kallsyms", 0);
	cr_assert_not_null(ks, "load: %s", strerror(errno));
	sym = ksyms_lookup(ks, addr + 1, NULL);
	cr_assert_not_null(sym);
	cr_assert_eq(sym->addr, addr);
	cr_assert_str_eq(sym->name, "vfs_read");
	cr_assert_str_eq(sym->module, "");
	cr_assert_null(ksyms_lookup(ks, 0x1000, NULL), "below the kernel");
	ksyms_free(ks);
	cr_assert_null(ksyms_load("/nonexistent", 0));
	cr_assert_eq(errno, ENOENT);
}
