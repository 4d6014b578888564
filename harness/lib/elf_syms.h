/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Function symbols of an ELF file (executable or shared library), from .symtab and .dynsym.
 *
 *   elf_syms_open(path)              NULL with errno set when unreadable or not ELF
 *   elf_syms_offset(s, name, &size)  file offset of a function, what uprobes attach to;
 *                                    -ENOENT when there is no such function
 *   elf_syms_lookup(s, vaddr, &off)  name of the function containing a link-time address
 *   elf_syms_file_to_vaddr(s, off)   file offset -> link-time address through PT_LOAD
 *                                    (a runtime address becomes a file offset with
 *                                    /proc/PID/maps: addr - start + pgoff); -1 when outside
 *   elf_syms_stripped(s, &nr_dyn)    whether the file has no .symtab (stripped); the
 *                                    functions its .dynsym gave in nr_dyn
 */
#ifndef BPFGAUGE_ELF_SYMS_H
#define BPFGAUGE_ELF_SYMS_H

#include <stdbool.h>
#include <stddef.h>

struct elf_syms;

struct elf_syms *elf_syms_open(const char *path);
void elf_syms_free(struct elf_syms *s);

long elf_syms_offset(const struct elf_syms *s, const char *name, unsigned long *size);
const char *elf_syms_lookup(const struct elf_syms *s, unsigned long vaddr, unsigned long *off);
long elf_syms_file_to_vaddr(const struct elf_syms *s, unsigned long file_off);
bool elf_syms_stripped(const struct elf_syms *s, size_t *nr_dynamic);

#endif
