/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel function symbols from /proc/kallsyms (text symbols only: t, T, w, W), sorted by
 * address, to name the frames of kernel stacks. Reading kallsyms is the kernel's slow part
 * (tens of ms for ~120k symbols); parse it once and keep the result.
 *
 *   ksyms_load(path, flags)        NULL with errno set; path NULL means /proc/kallsyms.
 *                                  EPERM when every address reads as 0 (kptr_restrict, or not
 *                                  root), unless flags has KSYMS_ALLOW_HIDDEN: then it loads
 *                                  and ksyms_hidden() says so
 *   ksyms_lookup(ks, addr, &off)   the function containing addr (off: addr - its start; &off
 *                                  may be NULL), or NULL when addr is below the first symbol,
 *                                  more than a page past the last, or every address is hidden;
 *                                  of several names at one address, the first global one
 *   ksyms_addr(ks, name)           address of a function, 0 when there is none
 *   ksyms_count(ks)                how many text symbols were read
 *   ksyms_hidden(ks)               every address read as 0: kernel.kptr_restrict hides them
 *   ksyms_free(ks)                 accepts NULL
 */
#ifndef BPFGAUGE_KSYMS_H
#define BPFGAUGE_KSYMS_H

#include <stdbool.h>
#include <stddef.h>

#define KSYMS_ALLOW_HIDDEN (1U << 0)

struct ksym {
	unsigned long addr;
	const char *name;
	const char *module;	/* "" for the kernel image, else the module ("bpf" for programs) */
};

struct ksyms;

struct ksyms *ksyms_load(const char *path, unsigned int flags);
void ksyms_free(struct ksyms *ks);

const struct ksym *ksyms_lookup(const struct ksyms *ks, unsigned long addr, unsigned long *off);
unsigned long ksyms_addr(const struct ksyms *ks, const char *name);
size_t ksyms_count(const struct ksyms *ks);
bool ksyms_hidden(const struct ksyms *ks);

#endif
