// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ksyms.h"

struct ksyms {
	struct ksym *syms;	/* sorted by addr */
	size_t nr, cap;
	char *strs;		/* names and modules, NUL-separated */
	size_t strs_len, strs_cap;
};

/* Offsets into strs while it may still move; turned into pointers at the end. */
static long strs_add(struct ksyms *ks, const char *s)
{
	size_t len = strlen(s) + 1;
	long off = ks->strs_len;

	if (ks->strs_len + len > ks->strs_cap) {
		size_t cap = ks->strs_cap ? ks->strs_cap * 2 : 1 << 20;
		char *tmp;

		while (cap < ks->strs_len + len)
			cap *= 2;
		tmp = realloc(ks->strs, cap);
		if (!tmp)
			return -1;
		ks->strs = tmp;
		ks->strs_cap = cap;
	}
	memcpy(ks->strs + ks->strs_len, s, len);
	ks->strs_len += len;
	return off;
}

static int ksyms_add(struct ksyms *ks, unsigned long addr, const char *name, const char *mod)
{
	long name_off = strs_add(ks, name), mod_off = strs_add(ks, mod);

	if (name_off < 0 || mod_off < 0)
		return -ENOMEM;
	if (ks->nr == ks->cap) {
		size_t cap = ks->cap ? ks->cap * 2 : 4096;
		struct ksym *tmp = realloc(ks->syms, cap * sizeof(*tmp));

		if (!tmp)
			return -ENOMEM;
		ks->syms = tmp;
		ks->cap = cap;
	}
	ks->syms[ks->nr++] = (struct ksym){ addr, (const char *)name_off, (const char *)mod_off };
	return 0;
}

static int cmp_addr(const void *a, const void *b)
{
	const struct ksym *x = a, *y = b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

struct ksyms *ksyms_load(const char *path)
{
	struct ksyms *ks = calloc(1, sizeof(*ks));
	char line[512];
	FILE *f = NULL;
	bool any_addr = false;
	int err = 0;

	if (!ks)
		return NULL;
	f = fopen(path, "re");
	if (!f) {
		err = -errno;
		goto cleanup;
	}
	while (fgets(line, sizeof(line), f)) {
		/* "ffffffff81000000 T _stext" or "... t name\t[module]": split by hand, sscanf
		 * costs more than reading the file across 100k+ lines. */
		char *p = line, *name, *mod = "";
		unsigned long addr = strtoul(p, &p, 16);
		char type;

		if (*p++ != ' ' || !*p)
			continue;
		type = *p++;
		/* Text symbols: the only ones a stack can point into. */
		if ((type != 't' && type != 'T' && type != 'w' && type != 'W') || *p++ != ' ')
			continue;
		name = p;
		p += strcspn(p, " \t\n");
		if (*p == '\t' || *p == ' ') {
			*p++ = '\0';
			p += strspn(p, " \t");
			if (*p == '[') {
				mod = p + 1;
				mod[strcspn(mod, "]\n")] = '\0';
			}
		} else {
			*p = '\0';
		}
		any_addr |= addr != 0;
		err = ksyms_add(ks, addr, name, mod);
		if (err)
			goto cleanup;
	}
	if (!any_addr) {
		err = -EPERM;
		goto cleanup;
	}
	for (size_t i = 0; i < ks->nr; i++) {
		ks->syms[i].name = ks->strs + (long)ks->syms[i].name;
		ks->syms[i].module = ks->strs + (long)ks->syms[i].module;
	}
	qsort(ks->syms, ks->nr, sizeof(*ks->syms), cmp_addr);
cleanup:
	if (f)
		fclose(f);
	if (err) {
		ksyms_free(ks);
		errno = -err;
		return NULL;
	}
	return ks;
}

const struct ksym *ksyms_lookup(const struct ksyms *ks, unsigned long addr)
{
	size_t lo = 0, hi = ks->nr;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (ks->syms[mid].addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo ? &ks->syms[lo - 1] : NULL;
}

void ksyms_free(struct ksyms *ks)
{
	if (!ks)
		return;
	free(ks->syms);
	free(ks->strs);
	free(ks);
}
