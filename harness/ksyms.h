/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel symbols from /proc/kallsyms (text symbols only), sorted by address for binary search.
 *
 *   ksyms_load(path)           NULL with errno set; EPERM when every address reads as 0
 *                              (kptr_restrict, or not root)
 *   ksyms_lookup(ks, addr)     the symbol at or below addr, or NULL below the first one
 *   ksyms_free(ks)             accepts NULL
 */
#ifndef BPFGAUGE_KSYMS_H
#define BPFGAUGE_KSYMS_H

struct ksym {
	unsigned long addr;
	const char *name;
	const char *module;	/* "" for the kernel image, else the module ("bpf" for programs) */
};

struct ksyms;

struct ksyms *ksyms_load(const char *path);
const struct ksym *ksyms_lookup(const struct ksyms *ks, unsigned long addr);
void ksyms_free(struct ksyms *ks);

#endif
