// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <gelf.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "elf_syms.h"

struct elf_sym {
	char *name;
	unsigned long vaddr;
	unsigned long size;
	unsigned long file_off;
};

struct elf_load {
	unsigned long vaddr, offset, filesz;
};

struct elf_syms {
	struct elf_sym *syms;	/* sorted by vaddr */
	size_t nr, cap;
	struct elf_load *loads;
	size_t nr_loads;
	bool has_symtab;	/* .symtab present: not stripped */
	size_t nr_dynamic;	/* functions found in .dynsym */
};

static int add_sym(struct elf_syms *s, const char *name, const GElf_Sym *sym,
		   const GElf_Shdr *sec)
{
	struct elf_sym *tmp;

	if (s->nr == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 256;
		tmp = realloc(s->syms, s->cap * sizeof(*tmp));
		if (!tmp)
			return -ENOMEM;
		s->syms = tmp;
	}
	s->syms[s->nr].name = strdup(name);
	if (!s->syms[s->nr].name)
		return -ENOMEM;
	s->syms[s->nr].vaddr = sym->st_value;
	s->syms[s->nr].size = sym->st_size;
	s->syms[s->nr].file_off = sym->st_value - sec->sh_addr + sec->sh_offset;
	s->nr++;
	return 0;
}

static int read_symtab(struct elf_syms *s, Elf *elf, Elf_Scn *scn, const GElf_Shdr *sh)
{
	Elf_Data *data = elf_getdata(scn, NULL);
	size_t n = sh->sh_entsize ? sh->sh_size / sh->sh_entsize : 0;

	for (size_t i = 0; data && i < n; i++) {
		GElf_Sym sym;
		GElf_Shdr sec;
		const char *name;
		int type;

		if (!gelf_getsym(data, i, &sym))
			continue;
		type = GELF_ST_TYPE(sym.st_info);
		if ((type != STT_FUNC && type != STT_GNU_IFUNC) || !sym.st_value ||
		    sym.st_shndx == SHN_UNDEF || sym.st_shndx >= SHN_LORESERVE)
			continue;
		name = elf_strptr(elf, sh->sh_link, sym.st_name);
		if (!name || !name[0] || !gelf_getshdr(elf_getscn(elf, sym.st_shndx), &sec))
			continue;
		if (add_sym(s, name, &sym, &sec))
			return -ENOMEM;
	}
	return 0;
}

static int cmp_vaddr(const void *a, const void *b)
{
	const struct elf_sym *x = a, *y = b;

	return x->vaddr < y->vaddr ? -1 : x->vaddr > y->vaddr;
}

static int read_loads(struct elf_syms *s, Elf *elf)
{
	size_t n;

	if (elf_getphdrnum(elf, &n))
		return 0;
	s->loads = calloc(n ? n : 1, sizeof(*s->loads));
	if (!s->loads)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		GElf_Phdr ph;

		if (!gelf_getphdr(elf, i, &ph) || ph.p_type != PT_LOAD)
			continue;
		s->loads[s->nr_loads++] = (struct elf_load){ ph.p_vaddr, ph.p_offset, ph.p_filesz };
	}
	return 0;
}

struct elf_syms *elf_syms_open(const char *path)
{
	struct elf_syms *s = NULL;
	Elf *elf = NULL;
	Elf_Scn *scn = NULL;
	int fd, err = 0;

	if (elf_version(EV_CURRENT) == EV_NONE) {
		errno = EINVAL;
		return NULL;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	elf = elf_begin(fd, ELF_C_READ, NULL);
	if (!elf || elf_kind(elf) != ELF_K_ELF) {
		err = -ENOEXEC;
		goto cleanup;
	}
	s = calloc(1, sizeof(*s));
	if (!s) {
		err = -ENOMEM;
		goto cleanup;
	}
	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;

		if (!gelf_getshdr(scn, &sh))
			continue;
		if (sh.sh_type == SHT_SYMTAB || sh.sh_type == SHT_DYNSYM) {
			size_t before = s->nr;

			err = read_symtab(s, elf, scn, &sh);
			if (err)
				goto cleanup;
			if (sh.sh_type == SHT_SYMTAB)
				s->has_symtab = true;
			else
				s->nr_dynamic += s->nr - before;
		}
	}
	err = read_loads(s, elf);
	if (err)
		goto cleanup;
	if (s->nr)		/* no functions: no array (NULL) */
		qsort(s->syms, s->nr, sizeof(*s->syms), cmp_vaddr);
cleanup:
	if (elf)
		elf_end(elf);
	close(fd);
	if (err) {
		elf_syms_free(s);
		errno = -err;
		return NULL;
	}
	return s;
}

void elf_syms_free(struct elf_syms *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->nr; i++)
		free(s->syms[i].name);
	free(s->syms);
	free(s->loads);
	free(s);
}

long elf_syms_offset(const struct elf_syms *s, const char *name, unsigned long *size)
{
	for (size_t i = 0; i < s->nr; i++) {
		if (strcmp(s->syms[i].name, name))
			continue;
		if (size)
			*size = s->syms[i].size;
		return s->syms[i].file_off;
	}
	return -ENOENT;
}

const char *elf_syms_lookup(const struct elf_syms *s, unsigned long vaddr, unsigned long *off)
{
	size_t lo = 0, hi = s->nr;

	/* The last symbol starting at or below vaddr. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (s->syms[mid].vaddr <= vaddr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo)
		return NULL;
	const struct elf_sym *sym = &s->syms[lo - 1];

	/* Size 0 (hand-written assembly) is taken as reaching up to the next symbol. */
	if (sym->size && vaddr >= sym->vaddr + sym->size)
		return NULL;
	if (off)
		*off = vaddr - sym->vaddr;
	return sym->name;
}

long elf_syms_file_to_vaddr(const struct elf_syms *s, unsigned long file_off)
{
	for (size_t i = 0; i < s->nr_loads; i++) {
		const struct elf_load *l = &s->loads[i];

		if (file_off >= l->offset && file_off < l->offset + l->filesz)
			return file_off - l->offset + l->vaddr;
	}
	return -1;
}

bool elf_syms_stripped(const struct elf_syms *s, size_t *nr_dynamic)
{
	*nr_dynamic = s->nr_dynamic;
	return !s->has_symtab;
}
