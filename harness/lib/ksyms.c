// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fileio.h"
#include "ksyms.h"

/* The last symbol has no successor to end it: it is taken to reach this far. */
#define LAST_SYM_SPAN 4096

struct ksym_entry {
	struct ksym sym;	/* name and module point into ksyms.text */
	unsigned int order;	/* position in the file, to keep sorting stable */
	bool global;
};

struct ksyms {
	char *text;		/* the whole file, cut into names and modules in place */
	struct ksym_entry *syms;
	size_t nr;
};

static int cmp_addr(const void *a, const void *b)
{
	const struct ksym_entry *x = a, *y = b;

	if (x->sym.addr != y->sym.addr)
		return x->sym.addr < y->sym.addr ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

/*
 * kallsyms lists the kernel's own symbols by address, then modules' and BPF programs': sort
 * only that tail and merge it in, which takes a fraction of sorting all ~120k.
 */
static int sort_syms(struct ksym_entry *syms, size_t nr)
{
	size_t run = 1, i, j, k;
	struct ksym_entry *tmp;

	while (run < nr && syms[run - 1].sym.addr <= syms[run].sym.addr)
		run++;
	if (run >= nr)
		return 0;
	qsort(syms + run, nr - run, sizeof(*syms), cmp_addr);
	if (syms[run - 1].sym.addr <= syms[run].sym.addr)
		return 0;
	tmp = malloc(nr * sizeof(*tmp));
	if (!tmp)
		return -ENOMEM;
	for (i = 0, j = run, k = 0; i < run || j < nr; k++)
		tmp[k] = j >= nr || (i < run && cmp_addr(&syms[i], &syms[j]) <= 0) ?
			 syms[i++] : syms[j++];
	memcpy(syms, tmp, nr * sizeof(*tmp));
	free(tmp);
	return 0;
}

/* "ffffffff816d5b70 T vfs_read" or "... t bpf_prog_6deef7357e7b4530_x\t[bpf]" */
static int parse(struct ksyms *ks, char *text, size_t len)
{
	size_t cap = len / 32 + 16;
	char *line = text, *end = text + len;

	ks->syms = malloc(cap * sizeof(*ks->syms));
	if (!ks->syms)
		return -ENOMEM;
	while (line < end) {
		char *nl = memchr(line, '\n', end - line), *p, *name, *mod = "";
		unsigned long addr;
		char type;

		if (!nl)
			nl = end;
		*nl = '\0';
		addr = strtoul(line, &p, 16);
		if (p == line || p[0] != ' ' || !p[1] || p[2] != ' ')
			goto next;
		type = p[1];
		if (type != 't' && type != 'T' && type != 'w' && type != 'W')
			goto next;
		name = p + 3;
		p = name + strcspn(name, "\t ");
		if (*p) {
			*p++ = '\0';
			p += strspn(p, "\t ");
			if (*p == '[') {
				mod = p + 1;
				mod[strcspn(mod, "]")] = '\0';
			}
		}
		if (!name[0])
			goto next;
		if (ks->nr == cap) {
			struct ksym_entry *tmp;

			cap *= 2;
			tmp = realloc(ks->syms, cap * sizeof(*tmp));
			if (!tmp)
				return -ENOMEM;
			ks->syms = tmp;
		}
		ks->syms[ks->nr] = (struct ksym_entry){ { addr, name, mod }, ks->nr,
							type == 'T' || type == 'W' };
		ks->nr++;
next:
		line = nl + 1;
	}
	return sort_syms(ks->syms, ks->nr);
}

struct ksyms *ksyms_load(const char *path, unsigned int flags)
{
	struct ksyms *ks;
	size_t len;
	int err;

	ks = calloc(1, sizeof(*ks));
	if (!ks)
		return NULL;
	err = file_read_all(path ? path : "/proc/kallsyms", 0, &ks->text, &len);
	if (err)
		goto fail;
	err = parse(ks, ks->text, len);
	if (err)
		goto fail;
	if (ksyms_hidden(ks) && !(flags & KSYMS_ALLOW_HIDDEN)) {
		err = -EPERM;
		goto fail;
	}
	return ks;
fail:
	ksyms_free(ks);
	errno = -err;
	return NULL;
}

void ksyms_free(struct ksyms *ks)
{
	if (!ks)
		return;
	free(ks->syms);
	free(ks->text);
	free(ks);
}

const struct ksym *ksyms_lookup(const struct ksyms *ks, unsigned long addr, unsigned long *off)
{
	size_t lo = 0, hi = ks->nr;
	const struct ksym_entry *sym, *last;

	if (ksyms_hidden(ks))
		return NULL;
	/* The last symbol at or below addr. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (ks->syms[mid].sym.addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo)
		return NULL;
	if (lo == ks->nr && addr - ks->syms[lo - 1].sym.addr >= LAST_SYM_SPAN)
		return NULL;
	/* Of several names at this address, the first global one, else the first. */
	last = &ks->syms[lo - 1];
	sym = last;
	while (sym > ks->syms && sym[-1].sym.addr == last->sym.addr)
		sym--;
	for (const struct ksym_entry *s = sym; s <= last; s++) {
		if (s->global) {
			sym = s;
			break;
		}
	}
	if (off)
		*off = addr - sym->sym.addr;
	return &sym->sym;
}

unsigned long ksyms_addr(const struct ksyms *ks, const char *name)
{
	for (size_t i = 0; i < ks->nr; i++)
		if (!strcmp(ks->syms[i].sym.name, name))
			return ks->syms[i].sym.addr;
	return 0;
}

size_t ksyms_count(const struct ksyms *ks)
{
	return ks->nr;
}

bool ksyms_hidden(const struct ksyms *ks)
{
	/* Sorted: when the highest address is 0, all are. */
	return !ks->nr || ks->syms[ks->nr - 1].sym.addr == 0;
}
