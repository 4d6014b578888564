// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/vfs.h>

#include "mounts.h"

#define TRACEFS_MAGIC 0x74726163
#define BPF_FS_MAGIC 0xcafe4a11
#define SECURITYFS_MAGIC 0x73636673

struct pseudo_fs_info {
	const char *type;
	long magic;
	const char *paths[3];	/* where to look, the first is where to mount */
};

static const struct pseudo_fs_info fs_info[] = {
	[FS_TRACEFS] = { "tracefs", TRACEFS_MAGIC,
			 { "/sys/kernel/tracing", "/sys/kernel/debug/tracing", NULL } },
	[FS_BPFFS] = { "bpf", BPF_FS_MAGIC, { "/sys/fs/bpf", NULL } },
	[FS_SECURITYFS] = { "securityfs", SECURITYFS_MAGIC, { "/sys/kernel/security", NULL } },
};

bool pseudo_fs_is_mounted(enum pseudo_fs fs, const char *path)
{
	struct statfs st;

	return statfs(path, &st) == 0 && st.f_type == fs_info[fs].magic;
}

int pseudo_fs_ensure(enum pseudo_fs fs, const char **path, bool *mounted_now)
{
	const struct pseudo_fs_info *info = &fs_info[fs];
	const char *first = info->paths[0];

	if (mounted_now)
		*mounted_now = false;
	for (int i = 0; info->paths[i]; i++) {
		if (pseudo_fs_is_mounted(fs, info->paths[i])) {
			if (path)
				*path = info->paths[i];
			return 0;
		}
	}
	if (mount(info->type, first, info->type, 0, NULL))
		return -errno;
	fprintf(stderr, "bpfgauge: mounted %s at %s (left mounted, as bpftool and perf do)\n",
		info->type, first);
	if (path)
		*path = first;
	if (mounted_now)
		*mounted_now = true;
	return 0;
}

const char *lockdown_mode(void)
{
	static const char *const modes[] = { "none", "integrity", "confidentiality" };
	char buf[128], file[128];
	const char *dir;
	FILE *f;
	int err;

	err = pseudo_fs_ensure(FS_SECURITYFS, &dir, NULL);
	if (err) {
		errno = -err;
		return NULL;
	}
	snprintf(file, sizeof(file), "%s/lockdown", dir);
	f = fopen(file, "r");
	if (!f)
		return NULL;
	if (!fgets(buf, sizeof(buf), f)) {
		fclose(f);
		errno = EIO;
		return NULL;
	}
	fclose(f);
	/* The file reads "none [integrity] confidentiality": the bracketed one is in force. */
	for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		char want[32];

		snprintf(want, sizeof(want), "[%s]", modes[i]);
		if (strstr(buf, want))
			return modes[i];
	}
	errno = EINVAL;
	return NULL;
}
