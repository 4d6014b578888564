/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Temporary cgroup v2 directories, named bpfgauge-<pid>-<tag> under the cgroup2 mount.
 *
 *   cgroup2_root()            where cgroup v2 is mounted, or NULL
 *   cgroup_tmp_new(tag, path) create one; 0 or -errno
 *   cgroup_tmp_remove(path)   remove it (its processes must have left)
 *   cgroup_remove_stale()     remove those left by runs that were killed, killing what they
 *                             still hold (a tracer that daemonized)
 *   cgroup_pids(path, pids, max)   the processes in a cgroup: how many
 *   cgroup_signal(path, sig)  sig to every process in it (each held by a pidfd and checked
 *                             to be in it still: never a reused pid); how many it held (sig
 *                             0: only that)
 *   cgroup_kill(path)         SIGKILL to every process in it at once, new ones included
 *                             (cgroup.kill, Linux 5.14); 0 or -errno
 */
#ifndef BPFGAUGE_CGROUP_H
#define BPFGAUGE_CGROUP_H

#include <stddef.h>
#include <sys/types.h>

#define CGROUP_MAX_PIDS 256

const char *cgroup2_root(void);
int cgroup_tmp_new(const char *tag, char *path, size_t sz);
int cgroup_tmp_remove(const char *path);
void cgroup_remove_stale(void);
int cgroup_pids(const char *path, pid_t *pids, int max);
int cgroup_signal(const char *path, int sig);
int cgroup_kill(const char *path);

#endif
