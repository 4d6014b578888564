/* SPDX-License-Identifier: GPL-2.0 */
/*
 * User namespaces.
 *
 *   userns_enter_root(&step)   move this process into a new user namespace in which it is
 *                              root: its uid and gid outside map to 0 inside (one id each),
 *                              setgroups(2) denied, as an unprivileged process may do for
 *                              itself. The process must have one thread. 0 or -errno, with
 *                              step naming the call that failed.
 *
 *   userns_is_initial()        whether this process is in the initial user namespace (its
 *                              uid_map maps all of 0..4294967294 onto itself): 1, 0, or -1
 *                              when /proc/self/uid_map cannot be read
 *   userns_chrooted()          whether this process likely runs in a chroot: its / is no
 *                              mount point in /proc/self/mountinfo (a chroot into a plain
 *                              directory), where the kernel refuses new user namespaces
 *                              with EPERM; 1, 0, or -1 when it cannot tell
 *
 * Inside a new namespace, the process has every capability over what its namespace owns, and
 * none in the initial namespace: the kernel's capable() checks for BPF see an unprivileged
 * process.
 */
#ifndef BPFGAUGE_USERNS_H
#define BPFGAUGE_USERNS_H

int userns_enter_root(const char **step);
int userns_is_initial(void);
int userns_chrooted(void);

#endif
