/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Where a uprobe goes: 'BINARY:SYMBOL' resolved to a file and the symbol's file offset.
 * BINARY is a path (/usr/bin/bash, build/x), a library name (libc, libc.so.6: looked up in
 * the traced process's /proc/PID/maps, else in the ld.so cache through 'ldconfig -p', keeping
 * only libraries of this machine's ELF class and machine) or a program name found in PATH.
 *
 *   uprobe_spec_resolve(spec, pid, &u, err, sz)  0, or -errno with one line in err:
 *                                                "no symbol 'foo' in '/usr/bin/true'"
 *   uprobe_lib_match(file, name)                 whether file name "libc.so.6" is what the
 *                                                library name "libc" means (pure; for tests)
 */
#ifndef BPFGAUGE_UPROBE_SPEC_H
#define BPFGAUGE_UPROBE_SPEC_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct uprobe_spec {
	char path[PATH_MAX];	/* canonical (realpath) */
	char symbol[256];
	unsigned long offset;	/* file offset of the symbol: what the uprobe attaches to */
};

int uprobe_spec_resolve(const char *spec, pid_t pid, struct uprobe_spec *u, char *err,
			size_t errsz);
bool uprobe_lib_match(const char *file, const char *name);

#endif
