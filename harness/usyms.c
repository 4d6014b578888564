// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "elf_syms.h"
#include "usyms.h"

struct umap {
	unsigned long start, end, pgoff;
	char *path;
	struct elf_syms *elf;	/* opened on first lookup */
	int elf_err;		/* why it could not be opened, then */
};

struct usyms {
	struct umap *maps;
	size_t nr;
};

static int add_map(struct usyms *u, size_t *cap, const struct umap *m)
{
	if (u->nr == *cap) {
		struct umap *tmp;

		*cap = *cap ? *cap * 2 : 64;
		tmp = realloc(u->maps, *cap * sizeof(*tmp));
		if (!tmp)
			return -ENOMEM;
		u->maps = tmp;
	}
	u->maps[u->nr] = *m;
	u->maps[u->nr].path = strdup(m->path);
	if (!u->maps[u->nr].path)
		return -ENOMEM;
	u->nr++;
	return 0;
}

struct usyms *usyms_new(void)
{
	struct usyms *u = calloc(1, sizeof(*u));
	char line[4352], path[4096];
	size_t cap = 0;
	FILE *f;
	int err = 0;

	if (!u)
		return NULL;
	f = fopen("/proc/self/maps", "re");
	if (!f) {
		err = -errno;
		goto cleanup;
	}
	/* 55d0c8a00000-55d0c8a2f000 r-xp 00002000 fe:01 1234   /path/to/file */
	while (fgets(line, sizeof(line), f)) {
		struct umap m = { .path = path };
		char perms[8];

		if (sscanf(line, "%lx-%lx %7s %lx %*s %*s %4095[^\n]", &m.start, &m.end, perms,
			   &m.pgoff, path) != 5 || path[0] != '/')
			continue;
		err = add_map(u, &cap, &m);
		if (err)
			goto cleanup;
	}
cleanup:
	if (f)
		fclose(f);
	if (err) {
		usyms_free(u);
		errno = -err;
		return NULL;
	}
	return u;
}

void usyms_free(struct usyms *u)
{
	if (!u)
		return;
	for (size_t i = 0; i < u->nr; i++) {
		free(u->maps[i].path);
		elf_syms_free(u->maps[i].elf);
	}
	free(u->maps);
	free(u);
}

/* The ELF symbols of a mapped file, shared by every mapping of that file. */
static struct elf_syms *map_elf(struct usyms *u, struct umap *m)
{
	if (m->elf || m->elf_err)
		return m->elf;
	for (size_t i = 0; i < u->nr; i++) {
		if (u->maps[i].elf && !strcmp(u->maps[i].path, m->path))
			return u->maps[i].elf;
	}
	m->elf = elf_syms_open(m->path);
	if (!m->elf)
		m->elf_err = errno ? errno : ENOEXEC;
	return m->elf;
}

int usyms_lookup(struct usyms *u, unsigned long addr, struct usym *sym)
{
	for (size_t i = 0; i < u->nr; i++) {
		struct umap *m = &u->maps[i];
		unsigned long file_off;
		struct elf_syms *elf;
		long vaddr;

		if (addr < m->start || addr >= m->end)
			continue;
		file_off = addr - m->start + m->pgoff;
		sym->path = m->path;
		sym->name = NULL;
		sym->off = file_off;
		elf = map_elf(u, m);
		vaddr = elf ? elf_syms_file_to_vaddr(elf, file_off) : -1;
		if (vaddr >= 0)
			sym->name = elf_syms_lookup(elf, vaddr, &sym->off);
		if (!sym->name)
			sym->off = file_off;
		return 0;
	}
	return -ENOENT;
}
