// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <unistd.h>

#include "lib/errno_name.h"
#include "lib/kernel_ids.h"
#include "vfs_read.h"

static char read_buf[VFS_READ_SIZE];

struct vfs_read_bpf *vfs_read_open(struct check_result *res)
{
	struct vfs_read_bpf *skel = vfs_read_bpf__open();

	if (!skel) {
		check_set_errno(res, CHECK_ERROR, errno, "open 'vfs_read' BPF object");
		return NULL;
	}
	skel->rodata->target_tgid = kernel_tgid();
	return skel;
}

int vfs_read_trigger(struct vfs_read_bpf *skel)
{
	int fd, err = 0;

	fd = open("/dev/zero", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	skel->bss->armed = 1;
	for (int i = 0; i < VFS_READS; i++) {
		ssize_t n = read(fd, read_buf, sizeof(read_buf));

		if (n != (ssize_t)sizeof(read_buf)) {
			err = n < 0 ? -errno : -EIO;
			break;
		}
	}
	skel->bss->armed = 0;
	close(fd);
	return err;
}

void vfs_read_verify(struct check_result *res, const struct vfs_read_bpf *skel, const char *hook,
		     unsigned int what)
{
	const unsigned long long want = (unsigned long long)VFS_READS * VFS_READ_SIZE;
	const struct vfs_read_bpf__bss *bss = skel->bss;

	check_detail_int(res, "pid", getpid());
	check_detail_int(res, "reads", VFS_READS);
	check_detail_int(res, "read_size", VFS_READ_SIZE);
	check_detail_int(res, "counted", bss->hits);
	if (bss->hits != VFS_READS) {
		check_set(res, CHECK_FAIL, "'%s': made %d reads of %d bytes, counted %llu", hook,
			  VFS_READS, VFS_READ_SIZE, (unsigned long long)bss->hits);
		return;
	}
	if ((what & VFS_SEEN_ARGS) && bss->count_sum != want) {
		check_set(res, CHECK_FAIL, "'%s': size arguments summed to %llu, expected %llu",
			  hook, (unsigned long long)bss->count_sum, want);
		return;
	}
	if ((what & VFS_SEEN_ARGS) && bss->last_buf != (uintptr_t)read_buf) {
		check_set(res, CHECK_FAIL, "'%s': buffer argument read as %#llx, expected %p", hook,
			  (unsigned long long)bss->last_buf, (void *)read_buf);
		return;
	}
	/* Each read returns at most its size, so the sum is right only when each one is. */
	if ((what & VFS_SEEN_RET) && bss->ret_sum != (long long)want) {
		check_set(res, CHECK_FAIL, "'%s': return values summed to %lld, expected %llu",
			  hook, (long long)bss->ret_sum, want);
		return;
	}
	check_set(res, CHECK_PASS, "'%s': %d of %d reads of this process counted%s%s", hook,
		  VFS_READS, VFS_READS,
		  what & VFS_SEEN_ARGS ? ", size and buffer arguments right" : "",
		  what & VFS_SEEN_RET ? ", each returned its size" : "");
}

void vfs_read_run(struct check_result *res, struct vfs_read_bpf *skel, const char *hook,
		  unsigned int what)
{
	int err = vfs_read_trigger(skel);

	if (err) {
		check_set_errno(res, CHECK_ERROR, err, "read '/dev/zero'");
		return;
	}
	vfs_read_verify(res, skel, hook, what);
}
