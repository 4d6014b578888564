// SPDX-License-Identifier: GPL-2.0
/*
 * A BPF LSM program on file_open that refuses one file (by device and inode) to one process
 * with EPERM, and lets everything else through: others' opens, and other files.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#define EPERM 1

const volatile __u32 target_tgid;
const volatile __u64 target_ino;
const volatile __u32 target_dev;	/* the kernel's encoding: major << 20 | minor */

__u64 denied;
__u64 allowed;

SEC("lsm/file_open")
int BPF_PROG(deny_one, struct file *file, int ret)
{
	struct inode *inode = file->f_inode;

	if (ret)
		return ret;	/* an earlier program refused it already */
	if ((bpf_get_current_pid_tgid() >> 32) != target_tgid)
		return 0;
	if (inode->i_ino != target_ino || inode->i_sb->s_dev != target_dev) {
		__sync_fetch_and_add(&allowed, 1);
		return 0;
	}
	__sync_fetch_and_add(&denied, 1);
	return -EPERM;
}

char LICENSE[] SEC("license") = "GPL";
