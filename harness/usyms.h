/* SPDX-License-Identifier: GPL-2.0 */
/*
 * User-space addresses of this process to function names: /proc/self/maps gives the mapped
 * file and the file offset (addr - start + pgoff), that file's ELF symbols (elf_syms.h) the
 * function. Files are opened on first use and kept.
 *
 *   usyms_new()                   a snapshot of /proc/self/maps; NULL with errno set
 *   usyms_lookup(u, addr, &sym)   0, or -ENOENT when addr is in no file mapping; sym->name is
 *                                 NULL when the file has no function there (or is not ELF)
 */
#ifndef BPFGAUGE_USYMS_H
#define BPFGAUGE_USYMS_H

struct usyms;

struct usym {
	const char *name;	/* function, or NULL */
	unsigned long off;	/* from the function's start, else the file offset */
	const char *path;	/* the mapped file */
};

struct usyms *usyms_new(void);
void usyms_free(struct usyms *u);
int usyms_lookup(struct usyms *u, unsigned long addr, struct usym *sym);

#endif
