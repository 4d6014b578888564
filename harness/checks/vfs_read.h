/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The workload shared by the kprobes and trampolines checks: exactly VFS_READS reads of
 * VFS_READ_SIZE bytes from /dev/zero by this process, counted by bpf/vfs_read.bpf.c.
 *
 *   vfs_read_open(res)                          the object, its programs filtered to this
 *                                               process; NULL with an 'error' verdict in res
 *   vfs_read_trigger(skel)                      arm, read, disarm; 0 or -errno
 *   vfs_read_verify(res, skel, hook, what)      pass or fail from what the program counted;
 *                                               'what' is VFS_SEEN_ARGS and/or VFS_SEEN_RET
 *   vfs_read_run(res, skel, hook, what)         trigger, then verify; 'error' when the reads
 *                                               fail
 */
#ifndef BPFGAUGE_CHECKS_VFS_READ_H
#define BPFGAUGE_CHECKS_VFS_READ_H

#include "check.h"
#include "vfs_read.skel.h"

#define VFS_READS 64
#define VFS_READ_SIZE 1000

enum vfs_seen {
	VFS_SEEN_ARGS = 1,	/* the size and buffer arguments */
	VFS_SEEN_RET = 2,	/* the return value */
};

struct vfs_read_bpf *vfs_read_open(struct check_result *res);
int vfs_read_trigger(struct vfs_read_bpf *skel);
void vfs_read_verify(struct check_result *res, const struct vfs_read_bpf *skel, const char *hook,
		     unsigned int what);
void vfs_read_run(struct check_result *res, struct vfs_read_bpf *skel, const char *hook,
		  unsigned int what);

#endif
