// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/elf_syms.h"
#include "usyms.h"

struct umap {
	unsigned long start, end, pgoff;
	char *path;		/* "" for anonymous memory, "[vdso]" and the like as in maps */
};

struct uproc {
	pid_t pid;
	struct umap *maps;	/* executable mappings, in address order as maps lists them */
	size_t nr;
	bool refreshed;		/* re-read once already because an address was not covered */
};

struct uelf {
	char *path;
	struct elf_syms *syms;	/* NULL: not readable as ELF */
};

struct usyms {
	struct uproc *procs;
	size_t nr_procs;
	struct uelf *elfs;
	size_t nr_elfs;
};

struct usyms *usyms_new(void)
{
	return calloc(1, sizeof(struct usyms));
}

static void uproc_clear(struct uproc *p)
{
	for (size_t i = 0; i < p->nr; i++)
		free(p->maps[i].path);
	free(p->maps);
	p->maps = NULL;
	p->nr = 0;
}

static struct uproc *uproc_find(struct usyms *u, pid_t pid)
{
	for (size_t i = 0; i < u->nr_procs; i++)
		if (u->procs[i].pid == pid)
			return &u->procs[i];
	return NULL;
}

/* The entry of pid, added without mappings if there is none; NULL on ENOMEM. */
static struct uproc *uproc_get(struct usyms *u, pid_t pid)
{
	struct uproc *p = uproc_find(u, pid), *tmp;

	if (p)
		return p;
	tmp = realloc(u->procs, (u->nr_procs + 1) * sizeof(*tmp));
	if (!tmp)
		return NULL;
	u->procs = tmp;
	p = &u->procs[u->nr_procs++];
	memset(p, 0, sizeof(*p));
	p->pid = pid;
	return p;
}

/* Reads the executable mappings of pid into a fresh array; 0 or -errno. */
static int maps_read(pid_t pid, struct umap **out, size_t *nr_out)
{
	char path[64], line[4096 + 128];
	struct umap *maps = NULL, *tmp;
	size_t nr = 0, cap = 0;
	FILE *f;
	int err = 0;

	snprintf(path, sizeof(path), "/proc/%d/maps", pid);
	f = fopen(path, "re");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		unsigned long start, end, pgoff;
		char perms[8];
		int name_at = 0;

		if (sscanf(line, "%lx-%lx %7s %lx %*s %*s %n", &start, &end, perms, &pgoff,
			   &name_at) < 4 || perms[2] != 'x')
			continue;
		if (nr == cap) {
			cap = cap ? cap * 2 : 32;
			tmp = realloc(maps, cap * sizeof(*tmp));
			if (!tmp) {
				err = -ENOMEM;
				goto cleanup;
			}
			maps = tmp;
		}
		line[strcspn(line, "\n")] = '\0';
		maps[nr] = (struct umap){ start, end, pgoff,
					  strdup(name_at ? line + name_at : "") };
		if (!maps[nr].path) {
			err = -ENOMEM;
			goto cleanup;
		}
		nr++;
	}
cleanup:
	fclose(f);
	if (err) {
		for (size_t i = 0; i < nr; i++)
			free(maps[i].path);
		free(maps);
		return err;
	}
	/* A process that exited while we read it: nothing useful, as if it were gone. */
	if (!nr) {
		free(maps);
		return -ENOENT;
	}
	*out = maps;
	*nr_out = nr;
	return 0;
}

int usyms_snapshot(struct usyms *u, pid_t pid)
{
	struct uproc *p;
	struct umap *maps;
	size_t nr;
	int err = maps_read(pid, &maps, &nr);

	if (err)
		return err;
	p = uproc_get(u, pid);
	if (!p) {
		for (size_t i = 0; i < nr; i++)
			free(maps[i].path);
		free(maps);
		return -ENOMEM;
	}
	uproc_clear(p);
	p->maps = maps;
	p->nr = nr;
	return 0;
}

static const struct umap *umap_find(const struct uproc *p, unsigned long addr)
{
	for (size_t i = 0; p && i < p->nr; i++)
		if (addr >= p->maps[i].start && addr < p->maps[i].end)
			return &p->maps[i];
	return NULL;
}

static struct elf_syms *elf_get(struct usyms *u, pid_t pid, const char *path)
{
	struct uelf *tmp;
	struct elf_syms *s;
	char alt[4096 + 32];

	for (size_t i = 0; i < u->nr_elfs; i++)
		if (!strcmp(u->elfs[i].path, path))
			return u->elfs[i].syms;
	s = elf_syms_open(path);
	if (!s) {
		/* The process may see another root (a container): look through its eyes. */
		snprintf(alt, sizeof(alt), "/proc/%d/root%s", pid, path);
		s = elf_syms_open(alt);
	}
	tmp = realloc(u->elfs, (u->nr_elfs + 1) * sizeof(*tmp));
	if (!tmp) {
		elf_syms_free(s);
		return NULL;
	}
	u->elfs = tmp;
	u->elfs[u->nr_elfs].path = strdup(path);
	if (!u->elfs[u->nr_elfs].path) {
		elf_syms_free(s);
		return NULL;
	}
	u->elfs[u->nr_elfs++].syms = s;
	return s;
}

int usyms_lookup(struct usyms *u, pid_t pid, unsigned long addr, struct usym *sym)
{
	struct uproc *p = uproc_find(u, pid);
	const struct umap *m = umap_find(p, addr);
	unsigned long file_off;
	struct elf_syms *s;
	long vaddr;

	/* Never read, or mapped since (dlopen): the process may still be there to ask. */
	if (!m && (!p || !p->refreshed)) {
		usyms_snapshot(u, pid);
		/* Gone before it was first read: remembered as such, not asked again. */
		p = uproc_get(u, pid);
		if (p)
			p->refreshed = true;
		m = umap_find(p, addr);
	}
	if (!m)
		return -ENOENT;
	file_off = addr - m->start + m->pgoff;
	sym->path = m->path;
	sym->name = NULL;
	sym->off = file_off;
	s = m->path[0] == '/' ? elf_get(u, pid, m->path) : NULL;
	vaddr = s ? elf_syms_file_to_vaddr(s, file_off) : -1;
	if (vaddr >= 0)
		sym->name = elf_syms_lookup(s, vaddr, &sym->off);
	if (!sym->name)
		sym->off = file_off;
	sym->file_off = file_off;
	return 0;
}

int usyms_leaf_frame(struct usyms *u, pid_t pid, unsigned long addr)
{
#if defined(__x86_64__)
	/* endbr64 (CET), then push %rbp; mov %rsp,%rbp: what -fno-omit-frame-pointer emits. */
	static const unsigned char endbr[] = { 0xf3, 0x0f, 0x1e, 0xfa };
	/* push %rbp, then mov %rsp,%rbp in either of its two encodings */
	static const unsigned char frame[] = { 0x55, 0x48, 0x89, 0xe5 };
	static const unsigned char frame2[] = { 0x55, 0x48, 0x8b, 0xec };
	char alt[4096 + 32];
	unsigned char code[8];
	unsigned long at = 0;
	struct usym sym;
	int fd, n;

	if (usyms_lookup(u, pid, addr, &sym) || !sym.name || sym.path[0] != '/')
		return -1;
	fd = open(sym.path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		/* Through the process's own root, as elf_get() does (a container). */
		snprintf(alt, sizeof(alt), "/proc/%d/root%s", pid, sym.path);
		fd = open(alt, O_RDONLY | O_CLOEXEC);
	}
	if (fd < 0)
		return -1;
	n = pread(fd, code, sizeof(code), sym.file_off - sym.off);
	close(fd);
	if (n != sizeof(code))
		return -1;
	if (!memcmp(code, endbr, sizeof(endbr)))
		at = sizeof(endbr);
	/* Until the mov has run, %rbp is still the caller's: its caller's frame is next. */
	return (!memcmp(code + at, frame, sizeof(frame)) ||
		!memcmp(code + at, frame2, sizeof(frame2))) && sym.off >= at + sizeof(frame);
#else
	(void)u;
	(void)pid;
	(void)addr;
	return -1;
#endif
}

/* "libfoo.so" from "/usr/lib/libfoo.so", "vdso" from "[vdso]"; its length in *len. */
static const char *module_name(const char *path, int *len)
{
	const char *base = strrchr(path, '/');

	base = base ? base + 1 : path;
	if (base[0] == '[') {
		*len = strcspn(base + 1, "]");
		return base + 1;
	}
	*len = strlen(base);
	return base;
}

const char *usyms_name(struct usyms *u, pid_t pid, unsigned long addr, char *buf, size_t sz)
{
	struct usym sym;
	const char *mod;
	int len;

	if (usyms_lookup(u, pid, addr, &sym)) {
		snprintf(buf, sz, "[unknown]");
	} else if (sym.name) {
		snprintf(buf, sz, "%s", sym.name);
	} else if (!sym.path[0]) {
		snprintf(buf, sz, "[unknown anon]");
	} else {
		mod = module_name(sym.path, &len);
		snprintf(buf, sz, "[unknown %.*s]", len, mod);
	}
	return buf;
}

void usyms_free(struct usyms *u)
{
	if (!u)
		return;
	for (size_t i = 0; i < u->nr_procs; i++)
		uproc_clear(&u->procs[i]);
	free(u->procs);
	for (size_t i = 0; i < u->nr_elfs; i++) {
		free(u->elfs[i].path);
		elf_syms_free(u->elfs[i].syms);
	}
	free(u->elfs);
	free(u);
}
