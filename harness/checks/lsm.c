// SPDX-License-Identifier: GPL-2.0
/*
 * lsm (BPF LSM, Linux 5.7): a program on the file_open hook refuses one temporary file to this
 * process with EPERM. Verified: opening it fails with EPERM while the program is attached,
 * another temporary file opens, and the first opens again once the link is gone; the program
 * counted the one refusal. Other processes are never refused anything.
 *
 * The program runs only when 'bpf' is in the active LSM list (securityfs 'lsm', set at boot by
 * CONFIG_LSM or lsm=): otherwise unsupported, saying so. BPF LSM programs sit on BPF
 * trampolines: a load or attach that fails is explained as for fentry.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include <bpf/libbpf.h>

#include "check.h"
#include "lib/errno_name.h"
#include "lib/kconfig.h"
#include "lib/kernel_ids.h"
#include "lib/mounts.h"
#include "lsm_deny.skel.h"
#include "trampolines.h"

/* Whether 'bpf' is in the active LSM list; the list into details. 0, 1, or -1 with res set. */
static int bpf_lsm_active(struct check_result *res)
{
	char path[128], list[512] = "";
	const char *dir;
	FILE *f;
	int err = pseudo_fs_ensure(FS_SECURITYFS, &dir, NULL);

	if (err) {
		check_set_errno(res, CHECK_ERROR, err, "mount securityfs (the LSM list lives there)");
		return -1;
	}
	snprintf(path, sizeof(path), "%s/lsm", dir);
	f = fopen(path, "r");
	if (!f || !fgets(list, sizeof(list), f)) {
		check_set_errno(res, CHECK_ERROR, errno, "read '%s'", path);
		if (f)
			fclose(f);
		return -1;
	}
	fclose(f);
	list[strcspn(list, "\n")] = '\0';
	check_detail_str(res, "lsm_list", list);
	for (char *tok = strtok(list, ","); tok; tok = strtok(NULL, ","))
		if (!strcmp(tok, "bpf"))
			return 1;
	switch (kconfig_state("CONFIG_BPF_LSM")) {
	case KCONFIG_NOT_SET:
		check_set(res, CHECK_UNSUPPORTED, "'bpf' is not in the active LSM list (%s): "
			  "CONFIG_BPF_LSM is not set (%s)", path, kconfig_source());
		break;
	case KCONFIG_UNKNOWN:
		check_set(res, CHECK_UNSUPPORTED, "'bpf' is not in the active LSM list (%s); no "
			  "kernel config says whether CONFIG_BPF_LSM is set", path);
		break;
	default:
		check_set(res, CHECK_UNSUPPORTED, "'bpf' is not in the active LSM list (%s): "
			  "CONFIG_BPF_LSM is set, the kernel was booted without it (CONFIG_LSM or "
			  "lsm=)", path);
	}
	return 0;
}

/* Opens path read-only and closes it again: 0 or -errno. */
static int try_open(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

static void verify(struct check_result *res, struct lsm_deny_bpf *skel, struct bpf_link **link,
		   const char *deny, const char *allow)
{
	int denied = try_open(deny), allowed = try_open(allow), after;

	bpf_link__destroy(*link);
	*link = NULL;
	after = try_open(deny);
	check_detail_str(res, "open_refused_file", denied ? errno_name(denied) : "opened");
	check_detail_str(res, "open_other_file", allowed ? errno_name(allowed) : "opened");
	check_detail_str(res, "open_after_detach", after ? errno_name(after) : "opened");
	check_detail_int(res, "denied", skel->bss->denied);
	if (denied != -EPERM)
		check_set(res, CHECK_FAIL, "file_open program attached: opening the file it refuses "
			  "gave %s, not EPERM", denied ? errno_name(denied) : "success");
	else if (allowed)
		check_set_errno(res, CHECK_FAIL, allowed, "file_open program attached: opening "
				"another file");
	else if (after)
		check_set_errno(res, CHECK_FAIL, after, "the program detached: opening the file it "
				"refused");
	else if (skel->bss->denied != 1)
		check_set(res, CHECK_FAIL, "one open refused with EPERM, the program counted %llu "
			  "refusals", (unsigned long long)skel->bss->denied);
	else
		check_set(res, CHECK_PASS, "a file_open program refused one file to pid %d with "
			  "EPERM; another file opened, and the first once detached", getpid());
}

static void run_lsm(struct check_result *res)
{
	/*
	 * On tmpfs, where the inode and device stat() gives are the ones the kernel's file has
	 * (not so on overlayfs or a btrfs subvolume); /tmp where there is no /dev/shm.
	 */
	const char *dir = access("/dev/shm", W_OK) ? "/tmp" : "/dev/shm";
	char deny[32], allow[32];
	struct lsm_deny_bpf *skel = NULL;
	struct bpf_link *link = NULL;
	bool made_allow = false;
	struct stat st;
	int fd, err;

	if (bpf_lsm_active(res) != 1)
		return;
	snprintf(deny, sizeof(deny), "%s/bpfgauge-lsm-XXXXXX", dir);
	snprintf(allow, sizeof(allow), "%s/bpfgauge-lsm-XXXXXX", dir);
	fd = mkstemp(deny);
	if (fd < 0) {
		check_set_errno(res, CHECK_ERROR, errno, "create a temporary file");
		return;
	}
	close(fd);
	fd = mkstemp(allow);
	if (fd < 0) {
		check_set_errno(res, CHECK_ERROR, errno, "create a temporary file");
		goto out;
	}
	close(fd);
	made_allow = true;
	if (stat(deny, &st)) {
		check_set_errno(res, CHECK_ERROR, errno, "stat '%s'", deny);
		goto out;
	}
	skel = lsm_deny_bpf__open();
	if (!skel) {
		check_set_errno(res, CHECK_ERROR, errno, "open 'lsm_deny' BPF object");
		goto out;
	}
	skel->rodata->target_tgid = kernel_tgid();
	skel->rodata->target_ino = st.st_ino;
	skel->rodata->target_dev = major(st.st_dev) << 20 | minor(st.st_dev);
	err = lsm_deny_bpf__load(skel);
	if (err) {
		trampoline_explain(res, err, "load 'lsm/file_open'");
		goto out;
	}
	link = bpf_program__attach_lsm(skel->progs.deny_one);
	if (!link) {
		trampoline_explain(res, -errno, "attach 'lsm/file_open'");
		goto out;
	}
	verify(res, skel, &link, deny, allow);
out:
	bpf_link__destroy(link);
	lsm_deny_bpf__destroy(skel);
	unlink(deny);
	if (made_allow)
		unlink(allow);
}

DEFINE_CHECK_SINCE(lsm, "trampolines",
		   "a BPF LSM program on file_open refuses one file to this process with EPERM",
		   run_lsm, "BPF LSM", 5, 7);
