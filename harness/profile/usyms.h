/* SPDX-License-Identifier: GPL-2.0 */
/*
 * User-space stack addresses to function names: the executable mappings of each process
 * (/proc/PID/maps, kept from when the process was first seen, so that processes which
 * exited can still be symbolized) and the ELF symbols of each mapped file (elf_syms.h),
 * opened on first use and kept. A runtime address becomes a file offset
 * (addr - start + pgoff), then a link-time address through the file's PT_LOAD headers, which
 * works alike for executables, PIE and shared libraries.
 *
 *   usyms_new()                        NULL on ENOMEM
 *   usyms_snapshot(u, pid)             read /proc/PID/maps now; 0 or -errno (-ENOENT: gone);
 *                                      a failed read keeps what an earlier one found
 *   usyms_lookup(u, pid, addr, &sym)   0, or -ENOENT when addr is in no executable mapping
 *                                      known for pid. A pid never snapshotted is read now, and
 *                                      re-read once when an address is not covered (dlopen).
 *                                      sym->name is NULL when there is no function there (not
 *                                      a file, not ELF, no symbol); sym->path stays valid
 *                                      until the next call on u
 *   usyms_name(u, pid, addr, buf, sz)  "function", "[unknown libfoo.so]" (mapped file without
 *                                      a symbol there), "[unknown anon]" (anonymous memory)
 *                                      or "[unknown]" (no mapping known); returns buf
 *   usyms_leaf_frame(u, pid, addr)     whether the function at addr, a stack's leaf, had set
 *                                      up its frame there (1), so that a frame-pointer walk
 *                                      reaches its caller, or not (0: its caller is missing
 *                                      from the walk); -1 unknown (no symbol, no file, not
 *                                      x86-64). From the function's first instructions: a
 *                                      function that sets up its frame later than those
 *                                      (shrink-wrapping) counts as having none.
 *   usyms_free(u)                      accepts NULL
 */
#ifndef BPFGAUGE_USYMS_H
#define BPFGAUGE_USYMS_H

#include <stddef.h>
#include <sys/types.h>

struct usyms;

struct usym {
	const char *name;	/* function, or NULL */
	unsigned long off;	/* from the function's start, else the file offset */
	const char *path;	/* as maps names it: a file, "[vdso]", "" if anonymous */
	unsigned long file_off;	/* the address's offset in the file */
};

struct usyms *usyms_new(void);
int usyms_snapshot(struct usyms *u, pid_t pid);
int usyms_lookup(struct usyms *u, pid_t pid, unsigned long addr, struct usym *sym);
const char *usyms_name(struct usyms *u, pid_t pid, unsigned long addr, char *buf, size_t sz);
int usyms_leaf_frame(struct usyms *u, pid_t pid, unsigned long addr);
void usyms_free(struct usyms *u);

#endif
