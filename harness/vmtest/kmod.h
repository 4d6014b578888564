/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel modules of another kernel (one not running here), read from its module directory
 * (lib/modules/RELEASE of its package): which of them a guest must load, in which order.
 * Dependencies come from each module's own .modinfo ("depends="), so no modules.dep (made
 * by depmod at install time) is needed. Compressed modules (.ko.xz, .ko.zst, .ko.gz) are
 * decompressed with xz, zstd or gzip: busybox insmod takes plain ones.
 *
 *   kmod_resolve(dir, names, &set, why, sz)  the modules 'names' need, dependencies first:
 *                       those built into the kernel (modules.builtin) or absent from its
 *                       build are left out and listed in set.absent; 0, or -ENOENT (a
 *                       dependency is missing: why says which), -ENOPKG (no xz, zstd or
 *                       gzip to decompress a module) or another -errno
 *   kmod_set_release(&set)
 */
#ifndef BPFGAUGE_KMOD_H
#define BPFGAUGE_KMOD_H

#include <stddef.h>

#define KMOD_MAX 64

struct kmod {
	char name[64];		/* with '_', as the kernel names it */
	char *data;		/* the plain .ko */
	size_t len;
};

struct kmod_set {
	struct kmod mods[KMOD_MAX];	/* in load order */
	size_t n;
	char absent[256];		/* wanted names neither built in nor built: "a, b" */
	char builtin[256];		/* wanted names built in */
};

int kmod_resolve(const char *dir, const char *const *names, struct kmod_set *set, char *why,
		 size_t sz);
void kmod_set_release(struct kmod_set *set);

#endif
