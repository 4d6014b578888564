/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Temporary cgroup v2 directories, named bpfgauge-<pid>-<tag> under the cgroup2 mount.
 *
 *   cgroup2_root()            where cgroup v2 is mounted, or NULL
 *   cgroup_tmp_new(tag, path) create one; 0 or -errno
 *   cgroup_tmp_remove(path)   remove it (its processes must have left)
 *   cgroup_remove_stale()     remove those left by runs that were killed
 */
#ifndef BPFGAUGE_CGROUP_H
#define BPFGAUGE_CGROUP_H

#include <stddef.h>

const char *cgroup2_root(void);
int cgroup_tmp_new(const char *tag, char *path, size_t sz);
int cgroup_tmp_remove(const char *path);
void cgroup_remove_stale(void);

#endif
