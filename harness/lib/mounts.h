/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The pseudo file systems BPF tooling needs. Like bpftool and perf, bpfgauge mounts one where
 * it is missing, leaves it mounted, and says so on stderr.
 *
 *   pseudo_fs_ensure(FS_TRACEFS, &path, &mounted_now)   0 or -errno
 *   lockdown_mode()   "none", "integrity", "confidentiality", or NULL (errno set)
 */
#ifndef BPFGAUGE_MOUNTS_H
#define BPFGAUGE_MOUNTS_H

#include <stdbool.h>

enum pseudo_fs {
	FS_TRACEFS,
	FS_BPFFS,
	FS_SECURITYFS,
};

int pseudo_fs_ensure(enum pseudo_fs fs, const char **path, bool *mounted_now);
/* Whether path is the root of a mounted fs of that kind. */
bool pseudo_fs_is_mounted(enum pseudo_fs fs, const char *path);

const char *lockdown_mode(void);

#endif
